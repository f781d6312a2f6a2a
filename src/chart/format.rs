//! Words and numbers on the charts: picking the language, naming targets, regions and
//! scenarios, and formatting probabilities, intervals, numbers, tick labels, units and
//! hit conditions; plus the small helpers that pick usable probabilities.

use super::options::Lang;
use crate::model::{Direction, Reading};
use crate::report::summary::{Status, Summary, TargetResult};

/// `zh`, `en`, or both joined by " / ", as `lang` asks.
pub(crate) fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
        Lang::Both => format!("{zh} / {en}"),
    }
}

/// The lines naming something in `lang`: Chinese first when both are asked for. An empty
/// name falls back to the other language, then to `id`.
pub(crate) fn name_lines(lang: Lang, zh: &str, en: &str, id: &str) -> Vec<String> {
    let zh = zh.trim();
    let en = en.trim();
    let pick = |a: &str, b: &str| {
        if !a.is_empty() {
            a.to_string()
        } else if !b.is_empty() {
            b.to_string()
        } else {
            id.to_string()
        }
    };
    match lang {
        Lang::Zh => vec![pick(zh, en)],
        Lang::En => vec![pick(en, zh)],
        Lang::Both => match (zh.is_empty(), en.is_empty()) {
            (false, false) if zh != en => vec![zh.to_string(), en.to_string()],
            _ => vec![pick(zh, en)],
        },
    }
}

/// The lines naming a target; in a multi-region scenario the first starts with the
/// region in brackets, since the same indicator then recurs once per region.
pub(crate) fn target_lines(lang: Lang, s: &Summary, t: &TargetResult) -> Vec<String> {
    let mut lines = name_lines(lang, &t.name_zh, &t.name, &t.id);
    if let (Some(r), true) = (&t.region, s.scenario.regions.len() > 1) {
        lines[0] = format!("[{}] {}", region_name(lang, s, r), lines[0]);
    }
    lines
}

/// Scenario title lines (Chinese, English).
pub(crate) fn scenario_title(lang: Lang, s: &Summary) -> Vec<String> {
    name_lines(lang, &s.scenario.name_zh, &s.scenario.name, &s.scenario.id)
}

/// Name of a region id in `lang`, or the id itself when the scenario does not list it.
pub(crate) fn region_name(lang: Lang, s: &Summary, id: &str) -> String {
    match s.scenario.regions.iter().find(|r| r.id == id) {
        Some(r) => name_lines(lang, &r.name_zh, &r.name, &r.id).join(" "),
        None => id.to_string(),
    }
}

/// A probability as a percentage: one decimal, `<0.1%` / `>99.9%` near the ends, `–`
/// when it is not a number.
pub(crate) fn fmt_pct(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p <= 0.0 {
        "0%".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p < 0.001 {
        "<0.1%".into()
    } else if p > 0.999 {
        ">99.9%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// A 95% interval of a probability in percent, `[61.9–62.7]`, with as many decimals (up
/// to three) as it takes to tell the two ends apart.
pub(crate) fn fmt_ci(ci: Option<[f64; 2]>) -> String {
    match ci {
        Some([a, b]) if a.is_finite() && b.is_finite() => {
            let (a, b) = (a.clamp(0.0, 1.0) * 100.0, b.clamp(0.0, 1.0) * 100.0);
            let mut out = String::new();
            for d in 1..=3 {
                let (sa, sb) = (format!("{a:.d$}"), format!("{b:.d$}"));
                out = format!("[{sa}–{sb}]");
                if sa != sb {
                    break;
                }
            }
            out
        }
        _ => String::new(),
    }
}

/// A number with about four significant digits and thousands separators, no exponent for
/// ordinary magnitudes; `–` when not finite.
pub(crate) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e12).contains(&a) {
        return format!("{x:.2e}");
    }
    let decimals = if a >= 1000.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    group_thousands(&s)
}

/// An integer count with thousands separators.
pub(crate) fn fmt_count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if int.len() <= 4 {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// A readable unit for the unit codes of the target catalogue (`100m_yuan` → 亿元 / 100m
/// yuan); unknown codes are shown with `_` as spaces.
pub(crate) fn unit_label(lang: Lang, unit: &str) -> String {
    let known: &[(&str, &str, &str)] = &[
        ("percent", "%", "%"),
        ("pp", "百分点", "pp"),
        ("pp_per_year", "百分点/年", "pp/yr"),
        ("percent_per_year", "%/年", "%/yr"),
        ("100m_yuan", "亿元", "100m yuan"),
        ("trillion_yuan", "万亿元", "trillion yuan"),
        ("10k_yuan", "万元", "10k yuan"),
        ("10k_t", "万吨", "10k t"),
        ("10k_t_per_year", "万吨/年", "10k t/yr"),
        ("100m_t", "亿吨", "100m t"),
        ("10k_tce", "万吨标准煤", "10k tce"),
        ("tce_per_10k_yuan", "吨标准煤/万元", "tce per 10k yuan"),
        ("kgce_per_t", "千克标准煤/吨", "kgce/t"),
        ("kwh_per_t", "千瓦时/吨", "kWh/t"),
        ("m3_per_10k_yuan", "立方米/万元", "m³ per 10k yuan"),
        ("10k_vehicles", "万辆", "10k vehicles"),
        ("10k_units", "万台", "10k units"),
        ("10k_sets", "万套", "10k sets"),
        ("count", "个", "count"),
        ("multiple", "倍", "×"),
        ("index", "指数", "index"),
    ];
    let unit = unit.trim();
    match known.iter().find(|(code, _, _)| *code == unit) {
        Some((_, zh, en)) if zh == en => zh.to_string(),
        Some((_, zh, en)) => match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both => format!("{zh} ({en})"),
        },
        None => unit.replace('_', " "),
    }
}

/// The unit after a number: the Chinese form unless English only is asked for.
pub(crate) fn unit_short(lang: Lang, unit: &str) -> String {
    unit_label(if lang == Lang::En { Lang::En } else { Lang::Zh }, unit)
}

/// `≥ 8`, `≤ -21`, `15 ± 2` — the condition for a hit, numbers as charts write them.
pub(crate) fn condition(t: &TargetResult) -> String {
    t.goal().describe(fmt_num)
}

/// Which reading a target with a band uses, as a short tag for a dashboard row:
/// `左右↑` / `左右↓` (one-sided) or `区间` (two-sided); None for at_least / at_most.
pub(crate) fn reading_tag(lang: Lang, t: &TargetResult) -> Option<String> {
    Some(match t.goal().reading()? {
        Reading::OneSided(Direction::Up) => tr(lang, "左右↑", "about↑"),
        Reading::OneSided(Direction::Down) => tr(lang, "左右↓", "about↓"),
        Reading::TwoSided => tr(lang, "区间", "range"),
    })
}

/// The reading of a target with a band in a sentence, with the edge(s) that decide a
/// hit: for the per-target chart.
pub(crate) fn reading_sentence(lang: Lang, t: &TargetResult) -> Option<String> {
    let goal = t.goal();
    let (lo, hi) = goal.band_edges()?;
    Some(match goal.reading()? {
        Reading::OneSided(Direction::Up) => tr(
            lang,
            &format!(
                "左右目标按单侧判定：不低于 {} 即达成（超额完成算达成）",
                fmt_num(lo)
            ),
            &format!(
                "左右 target read one-sided: {} or more counts as met (over-fulfilment counts)",
                fmt_num(lo)
            ),
        ),
        Reading::OneSided(Direction::Down) => tr(
            lang,
            &format!(
                "左右目标按单侧判定：不高于 {} 即达成（超额完成算达成）",
                fmt_num(hi)
            ),
            &format!(
                "左右 target read one-sided: {} or less counts as met (over-fulfilment counts)",
                fmt_num(hi)
            ),
        ),
        Reading::TwoSided => tr(
            lang,
            &format!(
                "区间目标（双侧）：须在 {} 至 {} 之间",
                fmt_num(lo),
                fmt_num(hi)
            ),
            &format!(
                "range target (two-sided): met only between {} and {}",
                fmt_num(lo),
                fmt_num(hi)
            ),
        ),
    })
}

/// A usable probability: finite and within [0, 1].
/// Why a target has no P(hit) to draw, in a word: not modeled, not scored (undefined
/// draws the scenario does not say how to score), or no estimate.
pub(crate) fn no_estimate(lang: Lang, t: &TargetResult) -> String {
    match t.status {
        Status::Unmodeled => tr(lang, "未建模", "not modeled"),
        Status::Unscored => tr(lang, "未评分", "not scored"),
        Status::Modeled => tr(lang, "无估计", "no estimate"),
    }
}

pub(crate) fn prob(p: Option<f64>) -> Option<f64> {
    p.filter(|p| p.is_finite() && (0.0..=1.0).contains(p))
}

/// Modeled targets that have a probability, riskiest (lowest P(hit)) first; ties keep
/// document order.
pub(crate) fn riskiest(s: &Summary) -> Vec<(&TargetResult, f64)> {
    let mut v: Vec<_> = s
        .targets
        .iter()
        .filter(|t| t.is_modeled())
        .filter_map(|t| prob(t.p_hit).map(|p| (t, p)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

/// A tick label: as few decimals as the step needs.
pub(crate) fn fmt_tick(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let decimals = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        (-step.log10().floor()) as usize
            + usize::from((step * 10f64.powf(-step.log10().floor())).fract() > 0.01)
    };
    let s = format!("{v:.decimals$}");
    group_thousands(&s)
}

/// The word for a binding (约束性) target.
pub(crate) fn binding_word(lang: Lang) -> String {
    tr(lang, "约束性", "binding")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(fmt_num(1234567.0), "1,234,567");
        assert_eq!(fmt_num(8.0), "8");
        assert_eq!(fmt_num(-21.456), "-21.46");
        assert_eq!(fmt_num(0.01234), "0.012");
        assert_eq!(fmt_num(f64::NAN), "–");
        assert_eq!(fmt_pct(0.6234), "62.3%");
        assert_eq!(fmt_pct(0.0004), "<0.1%");
        assert_eq!(fmt_pct(f64::NAN), "–");
        assert_eq!(fmt_tick(0.5, 0.5), "0.5");
        assert_eq!(fmt_tick(20.0, 5.0), "20");
        assert_eq!(fmt_tick(0.25, 0.25), "0.25");
    }
}
