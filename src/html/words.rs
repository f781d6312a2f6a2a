//! Words and numbers on the page: bilingual labels as the charts write them, risk bands,
//! and how a target's goal and outcome are stated.

use crate::chart::format::{condition, fmt_num, tr, unit_short};
use crate::chart::Lang;
use crate::report::summary::TargetResult;

pub(crate) use crate::chart::format::{fmt_ci, fmt_count, fmt_pct, name_lines};

/// A label in the page's language(s): `中文 / English` when both are asked for.
pub fn l(lang: Lang, zh: &str, en: &str) -> String {
    tr(lang, zh, en)
}

/// Whether a target has an estimate (modeled and a usable probability).
pub fn p_hit(t: &TargetResult) -> Option<f64> {
    t.p_hit
        .filter(|p| t.is_modeled() && p.is_finite() && (0.0..=1.0).contains(p))
}

/// Risk band of a target: the CSS class, the sort rank (riskiest first) and the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    High,
    Medium,
    Low,
    NotModeled,
}

impl Band {
    pub fn of(t: &TargetResult) -> Band {
        match p_hit(t) {
            Some(p) if p >= 0.8 => Band::Low,
            Some(p) if p >= 0.5 => Band::Medium,
            Some(_) => Band::High,
            None => Band::NotModeled,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
            Band::NotModeled => "none",
        }
    }

    /// Sort rank: riskiest first, unmodeled last.
    pub fn rank(self) -> u8 {
        match self {
            Band::High => 0,
            Band::Medium => 1,
            Band::Low => 2,
            Band::NotModeled => 3,
        }
    }

    /// The band's name without its thresholds (for table cells).
    pub fn short(self, lang: Lang) -> String {
        match self {
            Band::High => l(lang, "高风险", "high risk"),
            Band::Medium => l(lang, "需关注", "watch"),
            Band::Low => l(lang, "较有把握", "on track"),
            Band::NotModeled => l(lang, "未建模", "not modeled"),
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            Band::High => l(lang, "高风险 < 50%", "high risk < 50%"),
            Band::Medium => l(lang, "需关注 50–80%", "watch 50–80%"),
            Band::Low => l(lang, "较有把握 ≥ 80%", "on track ≥ 80%"),
            Band::NotModeled => l(lang, "未建模", "not modeled"),
        }
    }
}

/// `≤ 13,800 kWh/t (2015)`: the hit condition with unit and horizon.
pub fn goal(lang: Lang, t: &TargetResult) -> String {
    let unit = unit_short(lang, &t.unit);
    let unit = if unit.is_empty() || unit == "%" {
        unit
    } else {
        format!(" {unit}")
    };
    format!("{}{unit} ({})", condition(t), t.horizon)
}

/// A number with about four significant digits, `–` when missing.
pub fn num(x: Option<f64>) -> String {
    x.map(fmt_num).unwrap_or_else(|| "–".into())
}

/// A target's name in the page language(s): Chinese then English.
pub fn target_name(lang: Lang, t: &TargetResult) -> Vec<String> {
    name_lines(lang, &t.name_zh, &t.name, &t.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_language() {
        assert_eq!(l(Lang::Both, "约束性", "binding"), "约束性 / binding");
        assert_eq!(l(Lang::En, "约束性", "binding"), "binding");
        assert_eq!(l(Lang::Zh, "约束性", "binding"), "约束性");
        assert!(Band::High.rank() < Band::NotModeled.rank());
    }
}
