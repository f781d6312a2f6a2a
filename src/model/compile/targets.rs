//! Series names resolved to sources, default labels, and targets checked against the
//! plan's years and the series they read.

use super::context::Compiler;
use crate::ix::{IxVec, SeriesIx};
use crate::model::series::{resolve, Names};
use crate::model::{
    self, Direction, Evaluation, Goal, Named, SeriesDef, Source, Target, Undefined,
};
use crate::scenario::spec::{Comparator, Metric, Status, TargetSpec, UndefinedScore, Wanted};

impl Compiler<'_> {
    pub(super) fn series_source(
        &mut self,
        path: &str,
        name: &str,
        names: &Names<'_>,
    ) -> Option<Source> {
        match resolve(name, names) {
            Ok(s) => self.exists(path, name, s, names).then_some(s),
            Err(e) => {
                self.problems.push(e.at_key(path));
                None
            }
        }
    }

    /// Whether `src` (series `name`) reads something that exists: a sector in a region
    /// that has it, a derived series in one of its regions.
    fn exists(&mut self, path: &str, name: &str, src: Source, names: &Names<'_>) -> bool {
        let missing = match src {
            Source::Account {
                region: Some(r),
                sector: Some(s),
                ..
            } if !self.present.cells.contains(&(r, s)) => Some(format!(
                "sector `{}` does not exist in region `{}`",
                names.sectors[s], names.regions[r]
            )),
            Source::Derived {
                index,
                region: Some(r),
            } if self
                .present
                .derived
                .get(index)
                .is_some_and(|d| !d.contains(&r)) =>
            {
                Some(format!(
                    "derived series `{}` is not defined in region `{}`",
                    names.derived[index], names.regions[r]
                ))
            }
            _ => None,
        };
        if let Some(m) = &missing {
            self.problem(
                path,
                format!("series `{name}`: {m}"),
                "read it in a region listed in its `regions`, or without `@region` for the national total",
            );
        }
        missing.is_none()
    }

    /// Label for a series from its parts.
    pub(super) fn default_label(&self, name: &str, per: Option<&str>) -> (String, String, String) {
        let spec = self.spec;
        let part = |n: &str| -> (String, String, String) {
            let (rest, region) = n.split_once('@').map_or((n, None), |(a, b)| (a, Some(b)));
            let (base, sector) = rest
                .split_once(':')
                .map_or((rest, None), |(a, b)| (a, Some(b)));
            let (mut en, mut zh, unit) = match base {
                "va" => (
                    "Value added".to_string(),
                    "增加值".to_string(),
                    spec.scenario.va_unit.clone(),
                ),
                "energy" => (
                    "Energy use".to_string(),
                    "能源消费量".to_string(),
                    spec.scenario.energy_unit.clone(),
                ),
                _ => spec
                    .derived
                    .iter()
                    .map(|d| (&d.id, &d.name, &d.name_zh, &d.unit))
                    .chain(
                        spec.indicators
                            .iter()
                            .map(|d| (&d.id, &d.name, &d.name_zh, &d.unit)),
                    )
                    .find(|(id, ..)| *id == base)
                    .map(|(_, a, b, u)| (a.clone(), b.clone(), u.clone()))
                    .unwrap_or_else(|| (base.to_string(), base.to_string(), String::new())),
            };
            if let Some(s) = sector.and_then(|s| spec.sectors.iter().find(|x| x.id == s)) {
                en = format!("{en}, {}", s.name);
                zh = format!("{}{zh}", s.name_zh);
            }
            if let Some(r) = region.and_then(|r| spec.regions.iter().find(|x| x.id == r)) {
                en = format!("{en}, {}", r.name);
                zh = format!("{}{zh}", r.name_zh);
            }
            (en, zh, unit)
        };
        let (en, zh, unit) = part(name);
        match per {
            None => (en, zh, unit),
            Some(d) => {
                let (den_en, den_zh, den_unit) = part(d);
                (
                    format!("{en} per {den_en}"),
                    format!("单位{den_zh}{zh}"),
                    format!("{unit} / {den_unit}"),
                )
            }
        }
    }

    /// The target's value is a number; a band where the comparator has one; a wanted
    /// direction exactly for 左右.
    fn check_goal(&mut self, p: &str, t: &TargetSpec) {
        if !t.value.is_finite() {
            self.problem(
                format!("{p}.value"),
                "target value must be a finite number",
                "write the plan's number",
            );
        }
        let banded = matches!(t.comparator, Comparator::About | Comparator::Range);
        let modeled = t.status == Status::Modeled;
        if !banded && t.band.is_some() {
            self.problem(
                format!("{p}.band"),
                format!(
                    "`band` belongs to `about` and `range` targets, not `{}`",
                    comparator_name(t.comparator)
                ),
                "an at_least or at_most target is hit exactly at its value: remove `band`, or write comparator = \"about\" (左右, with `wanted`) or \"range\" if the plan gives a margin",
            );
        }
        if banded {
            match t.band {
                Some(b) if b.is_finite() && b > 0.0 => {}
                Some(b) => self.problem(
                    format!("{p}.band"),
                    format!("band {b} must be positive"),
                    "`about` and `range` targets are measured from ±band around the value",
                ),
                None if modeled => self.problem(
                    p,
                    format!(
                        "comparator `{}` needs a `band`",
                        comparator_name(t.comparator)
                    ),
                    "e.g. band = 1.0: the outcome counts within ±1 of the value",
                ),
                None => {}
            }
        }
        match (t.comparator, t.wanted) {
            (Comparator::About, None) if modeled => self.problem(
                p,
                "a 左右 (`about`) target needs `wanted = \"up\"` or `wanted = \"down\"`",
                "plan reviews count an outcome beyond a 左右 target in the direction the plan wants as met (超额完成): say which way that is (up for more VA, down for less energy); for a range that is missed on both sides write comparator = \"range\"",
            ),
            (Comparator::AtLeast | Comparator::AtMost | Comparator::Range, Some(_)) => self
                .problem(
                    format!("{p}.wanted"),
                    format!(
                        "`wanted` belongs to 左右 (`about`) targets, not `{}`",
                        comparator_name(t.comparator)
                    ),
                    "at_least already wants up and at_most down; a range is missed on both sides: remove `wanted`",
                ),
            _ => {}
        }
    }

    pub(super) fn target(
        &mut self,
        i: usize,
        t: &TargetSpec,
        names: &Names<'_>,
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Target {
        let p = format!("targets[{i}]");
        let meta = &self.spec.scenario;
        let horizon = t.horizon.unwrap_or(meta.horizon);
        self.check_goal(&p, t);
        let region = t
            .series
            .as_deref()
            .and_then(|s| s.split_once('@'))
            .map(|(_, r)| r.to_string());
        let mut target = Target {
            id: t.id.clone(),
            name: t.name.clone(),
            name_zh: t.name_zh.clone(),
            metric: metric(t.metric),
            goal: goal(t),
            horizon,
            binding: t.binding,
            agency: t.agency.clone(),
            unit: t.unit.clone(),
            quote: t.quote.clone(),
            reason: t.reason.clone(),
            region,
            eval: None,
        };
        if t.status == Status::Unmodeled {
            if t.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                self.problem(
                    &p,
                    format!("unmodeled target `{}` needs a `reason`", t.id),
                    "say why the model cannot represent it",
                );
            }
            return target;
        }
        let Some(name) = &t.series else {
            self.problem(
                &p,
                format!("target `{}` has no `series`", t.id),
                "name the series it is measured on, or set status = \"unmodeled\" with a reason",
            );
            return target;
        };
        target.eval = self.evaluation(&p, t, name, horizon, names, series);
        target
    }

    /// How target `t` (at key path `p`, on series `name`, measured at `horizon`) is
    /// evaluated: its years checked against the plan's, its series registered; None
    /// when something is wrong (and reported).
    fn evaluation(
        &mut self,
        p: &str,
        t: &TargetSpec,
        name: &str,
        horizon: i32,
        names: &Names<'_>,
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Option<Evaluation> {
        let meta = &self.spec.scenario;
        if !self.years_ok {
            return None;
        }
        if horizon <= meta.base_year || horizon > meta.horizon {
            let hint = if t.horizon.is_some() {
                format!("a target's horizon is a simulated year, {}..{}; remove `horizon` to use the scenario's ({})", i64::from(meta.base_year) + 1, meta.horizon, meta.horizon)
            } else {
                "a target's horizon is a simulated year".to_string()
            };
            self.problem(
                format!("{p}.horizon"),
                format!(
                    "horizon {horizon} is outside the simulated years {}..{}",
                    i64::from(meta.base_year) + 1,
                    meta.horizon
                ),
                hint,
            );
            return None;
        }
        let from = t.from.unwrap_or(meta.base_year);
        if from < meta.base_year || from >= horizon {
            self.problem(format!("{p}.from"), format!("baseline year {from} must lie in {}..{}", meta.base_year, i64::from(horizon) - 1), format!("`from` is the year the target is measured from, between the base year and the year before the target's horizon; remove it to use the base year ({})", meta.base_year));
            return None;
        }
        let num = self.series_source(&format!("{p}.series"), name, names);
        let den = t
            .per
            .as_ref()
            .map(|d| self.series_source(&format!("{p}.per"), d, names));
        let (Some(num), Some(den)) = (num, den.map_or(Some(None), |d| d.map(Some))) else {
            return None;
        };
        let scale = if t.per.is_some() && matches!(t.metric, Metric::Share | Metric::ChangePp) {
            100.0
        } else {
            1.0
        };
        let key = format!(
            "{name}{}{}",
            t.per.as_ref().map(|d| format!("/{d}")).unwrap_or_default(),
            if scale != 1.0 { "%" } else { "" }
        );
        let (gen_en, gen_zh, gen_unit) = self.default_label(name, t.per.as_deref());
        let unit = if scale == 100.0 {
            "%".to_string()
        } else {
            gen_unit
        };
        let label = (
            if t.name.is_empty() {
                gen_en
            } else {
                t.name.clone()
            },
            if t.name_zh.is_empty() {
                gen_zh
            } else {
                t.name_zh.clone()
            },
            unit,
        );
        let idx = register(series, &key, num, den, scale, label);
        Some(Evaluation {
            series: idx,
            from: (from - meta.base_year) as usize,
            to: (horizon - meta.base_year) as usize,
        })
    }
}

/// The model's metric for the file's.
pub(super) fn metric(m: Metric) -> model::Metric {
    match m {
        Metric::Cagr => model::Metric::Cagr,
        Metric::ChangePct => model::Metric::ChangePct,
        Metric::Level => model::Metric::Level,
        Metric::Share => model::Metric::Share,
        Metric::ChangePp => model::Metric::ChangePp,
        Metric::Cumulative => model::Metric::Cumulative,
        Metric::Multiple => model::Metric::Multiple,
    }
}

/// The goal a target's comparator, value, band and wanted direction describe.
fn goal(t: &TargetSpec) -> Goal {
    let band = t.band.unwrap_or(0.0);
    let wanted = t.wanted.map(|w| match w {
        Wanted::Up => Direction::Up,
        Wanted::Down => Direction::Down,
    });
    let goal = match t.comparator {
        Comparator::AtLeast => Goal::at_least(t.value),
        Comparator::AtMost => Goal::at_most(t.value),
        Comparator::About => Goal::about(t.value, band, wanted),
        Comparator::Range => Goal::range(t.value, band),
    };
    goal.scoring_undefined(match t.undefined {
        None => Undefined::Unscored,
        Some(UndefinedScore::Miss) => Undefined::Miss,
        Some(UndefinedScore::Hit) => Undefined::Hit,
    })
}

pub(super) fn named(id: &str, name: &str, name_zh: &str) -> Named {
    Named {
        id: id.into(),
        name: name.into(),
        name_zh: name_zh.into(),
    }
}

/// Adds a series to the registry (or finds it) and returns its index.
pub(super) fn register(
    series: &mut IxVec<SeriesIx, SeriesDef>,
    key: &str,
    num: Source,
    den: Option<Source>,
    scale: f64,
    label: (String, String, String),
) -> SeriesIx {
    if let Some(i) = series.position(|s| s.key == key) {
        return i;
    }
    let region = match num {
        Source::Account { region, .. } | Source::Derived { region, .. } => region,
        _ => None,
    };
    series.push(SeriesDef {
        key: key.into(),
        num,
        den,
        scale,
        name: label.0,
        name_zh: label.1,
        unit: label.2,
        region,
    })
}

/// The scenario-file spelling of a comparator.
fn comparator_name(c: Comparator) -> &'static str {
    match c {
        Comparator::AtLeast => "at_least",
        Comparator::AtMost => "at_most",
        Comparator::About => "about",
        Comparator::Range => "range",
    }
}
