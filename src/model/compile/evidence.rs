//! What the documents record: `[[history]]` (levels before or at the base year, and the
//! previous period's changes in the document's own terms) and `[[observed]]` (values in
//! years of the plan period that every draw is pinned to), each checked against the
//! plan's years and the series it names.

use super::context::{num, Compiler};
use super::targets::{metric as model_metric, register};
use super::*;
use crate::ix::{IxVec, SeriesIx};
use crate::model::IndicatorKind as Kind;
use crate::scenario::spec::Metric as FileMetric;

/// The cells (region × sector) or regions an observation of an account or a derived
/// series covers, to check how observations of one year overlap.
#[derive(Debug, Clone, PartialEq)]
enum Cover {
    /// Value added (`false`) or energy (`true`): cell indices `r·S + s`.
    Account(bool, Vec<usize>),
    /// Derived series `index`: region indices.
    Derived(usize, Vec<usize>),
    /// Indicators have one value: nothing to overlap.
    Single,
}

impl Cover {
    fn of(src: Source, r_n: usize, s_n: usize) -> Cover {
        let pick =
            |x: Option<usize>, n: usize| -> Vec<usize> { x.map_or((0..n).collect(), |i| vec![i]) };
        match src {
            Source::Account {
                energy,
                region,
                sector,
            } => {
                let cells = pick(region, r_n)
                    .into_iter()
                    .flat_map(|r| pick(sector, s_n).into_iter().map(move |s| r * s_n + s))
                    .collect();
                Cover::Account(energy, cells)
            }
            Source::Derived { index, region } => Cover::Derived(index, pick(region, r_n)),
            _ => Cover::Single,
        }
    }

    /// The covered indices when `self` and `other` are of the same series family.
    fn same_family<'a>(&'a self, other: &'a Cover) -> Option<(&'a [usize], &'a [usize])> {
        match (self, other) {
            (Cover::Account(a, x), Cover::Account(b, y)) if a == b => Some((x, y)),
            (Cover::Derived(a, x), Cover::Derived(b, y)) if a == b => Some((x, y)),
            _ => None,
        }
    }
}

fn subset(a: &[usize], b: &[usize]) -> bool {
    a.iter().all(|x| b.contains(x))
}

/// How far before the base year a history record may go (the plans it can record
/// and a sanity bound: a year −2147483648 would draw a fan chart two billion years wide).
const MAX_HISTORY_YEARS: i32 = 100;

impl Compiler<'_> {
    /// History records, each on a series registered for it.
    pub(super) fn history(
        &mut self,
        names: &Names<'_>,
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Vec<History> {
        let meta = &self.spec.scenario;
        let mut out = Vec::new();
        for (i, h) in self.spec.history.iter().enumerate() {
            let p = format!("history[{i}]");
            if !h.value.is_finite() {
                self.problem(
                    format!("{p}.value"),
                    "history value must be a finite number",
                    "write the value the document states",
                );
            }
            let earliest = meta.base_year.saturating_sub(MAX_HISTORY_YEARS);
            let too_early = [Some(h.year), h.from]
                .into_iter()
                .flatten()
                .any(|y| y < earliest);
            if self.years_ok && too_early {
                self.problem(
                    format!("{p}.year"),
                    format!(
                        "history year {} is more than {MAX_HISTORY_YEARS} years before the base year {}",
                        h.from.map_or(h.year, |f| f.min(h.year)),
                        meta.base_year
                    ),
                    "history is the record of the plans before this one: check the year",
                );
            }
            if self.years_ok && h.year > meta.horizon {
                self.problem(
                    format!("{p}.year"),
                    format!(
                        "history year {} is after the horizon {}",
                        h.year, meta.horizon
                    ),
                    "history is what happened before or during the plan",
                );
            }
            let record = self.record(&p, h);
            let Some(idx) = self.registered(&p, &h.series, h.per.as_deref(), names, series) else {
                continue;
            };
            out.push(History {
                series: idx,
                year: h.year,
                value: h.value,
                record,
            });
        }
        out
    }

    /// What a history entry records: a level, or a change from `from` to `year`.
    fn record(&mut self, p: &str, h: &HistorySpec) -> Record {
        let metric = h.metric.unwrap_or(FileMetric::Level);
        match (metric, h.from) {
            (FileMetric::Level, None) => Record::Level,
            (FileMetric::Level, Some(_)) => {
                self.problem(
                    format!("{p}.from"),
                    "`from` is only for a change (metric change_pct, change_pp, cagr or multiple)",
                    "remove `from`, or give the metric of the change the document states",
                );
                Record::Level
            }
            (FileMetric::Share | FileMetric::Cumulative, _) => {
                self.problem(
                    format!("{p}.metric"),
                    "a history record is a level or a change: metric level, change_pct, change_pp, cagr or multiple",
                    "a share is recorded as the level of its series (with `per`)",
                );
                Record::Level
            }
            (_, None) => {
                self.problem(
                    p,
                    "a change needs the year it is counted from",
                    format!(
                        "add `from = {}` (e.g. the previous plan's base year)",
                        h.year - 5
                    ),
                );
                Record::Level
            }
            (metric, Some(from)) => {
                if from >= h.year {
                    self.problem(
                        format!("{p}.from"),
                        format!("`from` {from} is not before `year` {}", h.year),
                        "a change runs from `from` to `year`",
                    );
                }
                if metric == FileMetric::Multiple && h.value <= 0.0 {
                    self.problem(
                        format!("{p}.value"),
                        format!("a multiple must be positive, got {}", num(h.value)),
                        "e.g. 3.3 for “3.3 times its 2005 level”",
                    );
                }
                if metric == FileMetric::ChangePct && h.value <= -100.0 {
                    self.problem(
                        format!("{p}.value"),
                        format!("a change of {}% leaves nothing", num(h.value)),
                        "a percentage change is above −100",
                    );
                }
                Record::Change {
                    metric: model_metric(metric),
                    from,
                }
            }
        }
    }

    /// Resolves `name` (over `per`) and registers the series (scale 1), or reports why
    /// it does not resolve.
    fn registered(
        &mut self,
        p: &str,
        name: &str,
        per: Option<&str>,
        names: &Names<'_>,
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Option<SeriesIx> {
        let num_src = self.series_source(&format!("{p}.series"), name, names);
        let den_src = per.map(|d| self.series_source(&format!("{p}.per"), d, names));
        let num_src = num_src?;
        let den_src = match den_src {
            Some(d) => Some(d?),
            None => None,
        };
        let key = match per {
            Some(d) => format!("{name}/{d}"),
            None => name.to_string(),
        };
        let label = self.default_label(name, per);
        Some(register(series, &key, num_src, den_src, 1.0, label))
    }

    /// Observations of the plan period, checked: a known series that can be pinned, a
    /// year inside the period, a value the series can take, no second observation of
    /// the same series and year, and observations of one year that nest or are apart.
    pub(super) fn observations(
        &mut self,
        names: &Names<'_>,
        indicators: &[Indicator],
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Vec<Observation> {
        let meta = &self.spec.scenario;
        let (r_n, s_n) = (self.spec.regions.len(), self.spec.sectors.len());
        let mut out: Vec<(usize, Observation, Cover)> = Vec::new();
        for (i, o) in self.spec.observed.iter().enumerate() {
            let p = format!("observed[{i}]");
            let mut ok = true;
            if !o.value.is_finite() {
                self.problem(
                    format!("{p}.value"),
                    "observed value must be a finite number",
                    "write the value the source states",
                );
                ok = false;
            }
            if self.years_ok && !(o.year > meta.base_year && o.year <= meta.horizon) {
                let hint = if o.year == meta.base_year {
                    "the base year is the scenario's starting point: set the base-year value itself (e.g. an indicator's `start`)".to_string()
                } else if o.year > meta.horizon {
                    "a value after the horizon is an outcome: score it with `planrisk backtest --outcomes`".to_string()
                } else {
                    "a value before the base year is history: put it in [[history]]".to_string()
                };
                self.problem(
                    format!("{p}.year"),
                    format!(
                        "observed year {} is outside the plan period {}..{}",
                        o.year,
                        i64::from(meta.base_year) + 1,
                        meta.horizon
                    ),
                    hint,
                );
                ok = false;
            }
            let Some(idx) = self.registered(&p, &o.series, o.per.as_deref(), names, series) else {
                continue;
            };
            let def = series[idx].clone();
            ok &= self.pinnable(&p, &def, o.value, indicators);
            if !ok {
                continue;
            }
            let cover = Cover::of(def.num, r_n, s_n);
            let obs = Observation {
                id: o.id.clone(),
                series: idx,
                year: o.year,
                value: o.value,
                source: o.source.clone(),
            };
            self.overlaps(&p, &obs, &cover, &out, series);
            out.push((i, obs, cover));
        }
        self.remainders(&out, series);
        out.into_iter().map(|(_, o, _)| o).collect()
    }

    /// Whether the kernel can pin `def` to `value`; reports why not.
    fn pinnable(&mut self, p: &str, def: &SeriesDef, value: f64, indicators: &[Indicator]) -> bool {
        let key = &def.key;
        let refusal = match (def.num, def.den) {
            (Source::Capacity { .. }, _) => Some((
                "series",
                format!("`{key}` cannot be observed: capacity series follow their sector's value added"),
                "observe the sector's `va` (its output follows it) or the indicator the plan reports",
            )),
            (Source::Indicator(_), Some(_)) => Some((
                "per",
                format!("`{key}`: an observation of an indicator is of its level"),
                "remove `per` and give the indicator's value",
            )),
            (_, None) => None,
            (Source::Account { energy: false, .. }, Some(_)) => Some((
                "per",
                format!("`{key}`: value added over another series cannot be pinned (pinning its numerator would move its denominator)"),
                "observe the value added of each part as a level",
            )),
            (Source::Account { energy: true, .. }, Some(Source::Account { energy: true, .. })) => Some((
                "per",
                format!("`{key}`: energy per energy is not an intensity"),
                "observe energy per value added (`per = \"va\"`)",
            )),
            (_, Some(Source::Account { .. })) => None,
            (_, Some(_)) => Some((
                "per",
                format!("`{key}`: an observed intensity is per value added or per energy"),
                "write `per = \"va\"` or `per = \"energy\"` (with the same region or sector parts)",
            )),
        };
        match refusal {
            Some((field, message, hint)) => {
                self.problem(format!("{p}.{field}"), message, hint);
                false
            }
            None => self.in_range(p, def, value, indicators),
        }
    }

    /// Whether `value` is one the series can take: inside a bounded indicator's bounds,
    /// positive for levels (an observation scales the simulated path).
    fn in_range(&mut self, p: &str, def: &SeriesDef, value: f64, indicators: &[Indicator]) -> bool {
        if let Source::Indicator(i) = def.num {
            let ind = &indicators[i];
            if ind.kind == Kind::Bounded {
                if !(value > ind.lower && value < ind.upper) {
                    self.problem(
                        format!("{p}.value"),
                        format!(
                            "observed {} is outside the bounds of indicator `{}`, ({}, {})",
                            num(value),
                            ind.id,
                            num(ind.lower),
                            num(ind.upper)
                        ),
                        "a bounded indicator stays strictly between its bounds; check the value and its unit",
                    );
                    return false;
                }
                return true;
            }
        }
        if value <= 0.0 {
            self.problem(
                format!("{p}.value"),
                format!("observed {} of `{}` must be positive", num(value), def.key),
                "levels and intensities are positive: the draw's path is scaled to the observed value",
            );
            return false;
        }
        true
    }

    /// Reports `obs` if an earlier observation has the same series and year, or covers
    /// part of the same cells without nesting, or either of two overlapping ones is an
    /// intensity.
    fn overlaps(
        &mut self,
        p: &str,
        obs: &Observation,
        cover: &Cover,
        earlier: &[(usize, Observation, Cover)],
        series: &IxVec<SeriesIx, SeriesDef>,
    ) {
        for (_, e, ec) in earlier.iter().filter(|(_, e, _)| e.year == obs.year) {
            if e.series == obs.series {
                self.problem(
                    format!("{p}.year"),
                    format!(
                        "`{}` is already observed in {} (by `{}`)",
                        series[obs.series].key, obs.year, e.id
                    ),
                    "keep one observation per series and year",
                );
                return;
            }
            let Some((a, b)) = cover.same_family(ec) else {
                continue;
            };
            let apart = !a.iter().any(|x| b.contains(x));
            let ratio = series[obs.series].den.is_some() || series[e.series].den.is_some();
            if apart {
                continue;
            }
            if ratio {
                self.problem(
                    format!("{p}.series"),
                    format!("`{}` and `{}` (observation `{}`) cover the same cells in {}, and one is an intensity", series[obs.series].key, series[e.series].key, e.id, obs.year),
                    "observe an intensity only where no other observation of its numerator that year overlaps it",
                );
            } else if !(subset(a, b) || subset(b, a)) {
                self.problem(
                    format!("{p}.series"),
                    format!("`{}` overlaps `{}` (observation `{}`) in {} without one containing the other", series[obs.series].key, series[e.series].key, e.id, obs.year),
                    "observations of one year must nest (a region inside the nation) or be apart",
                );
            }
        }
    }

    /// Reports an aggregate observation whose observed parts (finer observations of
    /// the same year inside it) cover it entirely or add up to as much as it.
    fn remainders(
        &mut self,
        obs: &[(usize, Observation, Cover)],
        series: &IxVec<SeriesIx, SeriesDef>,
    ) {
        for (i, o, c) in obs {
            let parts: Vec<&(usize, Observation, Cover)> = obs
                .iter()
                .filter(|(_, q, qc)| {
                    q.year == o.year
                        && q.series != o.series
                        && qc
                            .same_family(c)
                            .is_some_and(|(x, y)| subset(x, y) && x.len() < y.len())
                })
                .collect();
            // The largest parts: those inside no other part.
            let top: Vec<&&(usize, Observation, Cover)> = parts
                .iter()
                .filter(|(_, q, qc)| {
                    !parts.iter().any(|(_, r, rc)| {
                        r.series != q.series
                            && qc
                                .same_family(rc)
                                .is_some_and(|(x, y)| subset(x, y) && x.len() < y.len())
                    })
                })
                .collect();
            if top.is_empty() {
                continue;
            }
            let covered: usize = top.iter().map(|(_, _, qc)| cover_len(qc)).sum();
            let sum: f64 = top.iter().map(|(_, q, _)| q.value).sum();
            let p = format!("observed[{i}]");
            if covered == cover_len(c) {
                self.problem(
                    format!("{p}.series"),
                    format!(
                        "every part of `{}` is observed in {} as well",
                        series[o.series].key, o.year
                    ),
                    "drop the aggregate (it is the sum of its parts) or one of the parts",
                );
            } else if o.value <= sum {
                self.problem(
                    format!("{p}.value"),
                    format!(
                        "`{}` = {} in {} is not more than its observed parts, which add up to {}",
                        series[o.series].key,
                        num(o.value),
                        o.year,
                        num(sum)
                    ),
                    "the rest of the aggregate must be positive: check the values and their units",
                );
            }
        }
    }
}

fn cover_len(c: &Cover) -> usize {
    match c {
        Cover::Account(_, x) | Cover::Derived(_, x) => x.len(),
        Cover::Single => 1,
    }
}
