//! Realistic synthetic `Summary` values to develop and test the charts against: long
//! Chinese and English target names from the plan catalogues, several regions, binding and
//! unmodeled targets, fans, sensitivity rows and convergence traces. Deterministic.

#![allow(dead_code)]

use planrisk::model::{Comparator, Goal, Metric, Target};
use planrisk::report::summary::*;
use planrisk::sim::Sampler;

/// (id, 中文名, English name, unit, metric, comparator, value, band)
type Indicator = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Metric,
    Comparator,
    f64,
    Option<f64>,
);

const INDICATORS: &[Indicator] = &[
    ("industrial_va_growth", "全部工业增加值年均增速", "Total industrial value added, average annual growth 2011-2015", "percent_per_year", Metric::Cagr, Comparator::AtLeast, 8.0, None),
    ("rd_intensity_above_scale", "规模以上工业企业R&D经费内部支出占主营业务收入比重", "R&D expenditure of above-scale industrial enterprises as share of main business revenue", "percent", Metric::Share, Comparator::AtLeast, 1.0, None),
    ("energy_intensity", "规模以上企业单位工业增加值能耗下降", "Energy use per unit industrial VA (above-scale enterprises), change vs 2010", "percent", Metric::ChangePct, Comparator::About, -21.0, Some(2.0)),
    ("co2_intensity", "单位工业增加值二氧化碳排放量下降", "CO2 emissions per unit industrial VA, change vs 2010", "percent", Metric::ChangePct, Comparator::AtMost, -21.0, None),
    ("strategic_emerging_va_share", "战略性新兴产业增加值占工业增加值比重", "Strategic emerging industries value added as share of industrial VA", "percent", Metric::Share, Comparator::About, 15.0, Some(1.5)),
    ("steel_top10_concentration", "钢铁行业前10家产业集中度", "Top-10 steel groups share of national crude steel output", "percent", Metric::Share, Comparator::About, 60.0, Some(3.0)),
    ("digital_design_tool_penetration", "主要行业大中型企业数字化设计工具普及率", "Digital design tool penetration, large and medium enterprises in main industries", "percent", Metric::Share, Comparator::AtLeast, 85.0, None),
    ("water_intensity", "单位工业增加值用水量下降", "Water use per unit industrial VA, change vs 2010", "percent", Metric::ChangePct, Comparator::AtMost, -30.0, None),
    ("traditional_revenue", "传统优势产业主营业务收入", "Traditional advantaged industries (chemicals, nonferrous, steel, textiles) main business revenue", "trillion_yuan", Metric::Level, Comparator::AtLeast, 2.2, None),
    ("energy_intensity_level", "万元工业增加值能耗", "Energy consumption per 10k yuan industrial value added", "tce_per_10k_yuan", Metric::Level, Comparator::AtMost, 1.692, None),
    ("solid_waste_utilisation", "工业固体废物综合利用率", "Comprehensive utilisation rate of industrial solid waste", "percent", Metric::Share, Comparator::AtLeast, 72.0, None),
    ("autos_vehicle_capacity", "整车生产能力", "Complete-vehicle production capacity", "10k_vehicles", Metric::Level, Comparator::AtLeast, 200.0, None),
    ("steel_revenue", "规模以上钢铁企业主营业务收入", "Steel industry main business revenue (above scale)", "100m_yuan", Metric::Level, Comparator::AtLeast, 5400.0, None),
    ("va_rate_change", "制造业增加值率提高", "Manufacturing value-added rate, increase vs 2015", "pp", Metric::ChangePp, Comparator::AtLeast, 2.0, None),
    ("labour_productivity_growth", "全员劳动生产率年均提高", "Overall labour productivity, average annual growth 2011-2015", "percent_per_year", Metric::Cagr, Comparator::AtLeast, 10.0, None),
    ("pharma_output_growth", "医药工业产值年均增速", "Pharmaceutical industry output, average annual growth", "percent_per_year", Metric::Cagr, Comparator::AtLeast, 20.0, None),
    ("so2_emissions", "工业二氧化硫排放总量", "Total industrial SO2 emissions, change vs 2010", "percent", Metric::ChangePct, Comparator::AtMost, -10.0, None),
    ("erp_penetration", "规模以上企业资源计划（ERP）普及率", "ERP penetration among above-scale enterprises", "percent", Metric::Share, Comparator::AtLeast, 80.0, None),
    ("patents_multiple", "企业发明专利拥有量", "Invention patents held by enterprises, multiple of 2010 stock", "multiple", Metric::Multiple, Comparator::AtLeast, 2.0, None),
    ("nc_rate_key_processes", "主要行业关键工艺流程数控化率", "Numerical-control rate of key process flows in main industries", "percent", Metric::Share, Comparator::AtLeast, 70.0, None),
];

const UNMODELED: &[(&str, &str, &str, &str)] = &[
    ("quality_evaluation_labs", "权威的工业产品质量技术评价实验室", "Authoritative industrial product quality evaluation laboratories", "a count of laboratories, not an outcome of the production model"),
    ("famous_brands", "国内著名品牌", "Famous domestic brands cultivated", "brand counts are outside the production model"),
    ("small_giants_small_firm_share", "“小巨人”企业中小型企业占比", "Share of small enterprises in annual small-giant list", "firm-count share, outside model"),
    ("large_firm_ecommerce_share", "大型企业开展电子商务应用比例", "Share of large enterprises using e-commerce", "no series for e-commerce adoption; the plan gives no 2010 level and no comparable history to anchor a diffusion trend"),
    ("industrial_growth_above_national", "主要工业经济指标年均增速高于全国平均水平、高于中部地区平均水平", "Growth of main industrial indicators above national and central-region averages", "relative to other regions' outcomes"),
];

const REGIONS: &[(&str, &str, &str)] = &[
    ("GD", "Guangdong", "广东"),
    ("SD", "Shandong", "山东"),
    ("HA", "Henan", "河南"),
    ("RoC", "Rest of China", "全国其他地区"),
];

const PARAMS: &[&str] = &[
    "g_industry",
    "ei_decline",
    "g_steel",
    "tp_cement",
    "cnc_drift",
    "g_autos",
    "rd_drift",
    "sei_growth",
    "elim_steel_backward",
    "water_eff",
    "co2_factor_coal",
    "growth_offset_HA",
];

/// SplitMix64: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf).
fn phi(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-z * z).exp();
    if x >= 0.0 {
        0.5 * (1.0 + y)
    } else {
        0.5 * (1.0 - y)
    }
}

fn ci(p: f64, n: u64) -> [f64; 2] {
    let se = (p * (1.0 - p) / n as f64).sqrt();
    [(p - 1.96 * se).max(0.0), (p + 1.96 * se).min(1.0)]
}

/// A summary with `n_targets` targets (about one in six unmodeled) over `n_regions`
/// regions (0 = national only).
pub fn summary(n_targets: usize, n_regions: usize, seed: u64) -> Summary {
    let mut rng = Rng(seed);
    let draws: u64 = 100_000;
    let regions: Vec<Named> = REGIONS
        .iter()
        .take(n_regions)
        .map(|(id, n, z)| Named {
            id: id.to_string(),
            name: n.to_string(),
            name_zh: z.to_string(),
        })
        .collect();
    let mut targets = Vec::new();
    let mut unmodeled_k = 0;
    for i in 0..n_targets {
        let region = if regions.is_empty() {
            None
        } else {
            Some(regions[i % regions.len()].id.clone())
        };
        let round = if regions.is_empty() {
            i
        } else {
            i / regions.len()
        };
        if i % 6 == 5 {
            let (id, zh, en, reason) = UNMODELED[unmodeled_k % UNMODELED.len()];
            let suffix = region
                .as_deref()
                .map(|r| format!("_{}", r.to_lowercase()))
                .unwrap_or_default();
            unmodeled_k += 1;
            targets.push(TargetResult::stated(&Target {
                id: format!(
                    "{id}{suffix}{}",
                    if unmodeled_k > UNMODELED.len() {
                        format!("_{i}")
                    } else {
                        String::new()
                    }
                ),
                name: en.into(),
                name_zh: zh.into(),
                metric: Metric::Level,
                goal: Goal::at_least(500.0),
                horizon: 2015,
                binding: false,
                agency: None,
                unit: "count".into(),
                quote: String::new(),
                reason: Some(reason.into()),
                region,
                eval: None,
            }));
            continue;
        }
        let (id, zh, en, unit, metric, cmp, value, band) = INDICATORS[round % INDICATORS.len()];
        let later = round >= INDICATORS.len();
        let id = match (&region, later) {
            (Some(r), true) => format!("{id}_2020_{}", r.to_lowercase()),
            (Some(r), false) => format!("{id}_{}", r.to_lowercase()),
            (None, true) => format!("{id}_2020"),
            (None, false) => id.to_string(),
        };
        let (zh, en) = if later {
            (format!("{zh}（2020年）"), format!("{en} (2020)"))
        } else {
            (zh.to_string(), en.to_string())
        };
        // Choose a spread, then a mean that gives a spread of probabilities (some near 0 and 1).
        let sd = (value.abs() * 0.08).max(0.15) * (0.6 + rng.uniform());
        let z = match i % 9 {
            0 => -3.2,
            1 => 3.4,
            _ => rng.normal() * 1.3 + 0.3,
        };
        let mean = match cmp {
            Comparator::AtMost => value - z * sd,
            Comparator::About | Comparator::Range => value + z * sd * 0.4,
            Comparator::AtLeast => value + z * sd,
        };
        let p = match cmp {
            Comparator::AtLeast => 1.0 - phi((value - mean) / sd),
            Comparator::AtMost => phi((value - mean) / sd),
            Comparator::About | Comparator::Range => {
                let b = band.unwrap_or(1.0);
                phi((value + b - mean) / sd) - phi((value - b - mean) / sd)
            }
        };
        let p = (p * draws as f64).round() / draws as f64;
        let skew = 0.25 * rng.normal();
        let bins = 1200;
        let (lo, hi) = (mean - 6.0 * sd, mean + 6.0 * sd);
        let w = (hi - lo) / bins as f64;
        let mut counts = Vec::with_capacity(bins);
        for b in 0..bins {
            let x = (lo + (b as f64 + 0.5) * w - mean) / sd;
            let dens = (-0.5 * x * x).exp() * (1.0 + skew * x * 0.3).max(0.0);
            counts.push(dens);
        }
        let total: f64 = counts.iter().sum();
        let counts: Vec<u64> = counts
            .iter()
            .map(|c| {
                ((c / total) * draws as f64 * (1.0 + 0.08 * rng.normal()))
                    .max(0.0)
                    .round() as u64
            })
            .collect();
        let q = |z: f64| mean + z * sd;
        let baseline = match metric {
            Metric::Level | Metric::Share => Some(value * 0.8),
            Metric::Multiple => Some(1.0),
            _ => Some(0.0),
        };
        targets.push(TargetResult {
            id: id.clone(),
            name: en,
            name_zh: zh,
            binding: i % 4 == 2,
            status: Status::Modeled,
            reason: None,
            metric,
            comparator: cmp,
            target_value: value,
            band,
            wanted: None,
            unit: unit.into(),
            horizon: 2015,
            agency: if i % 3 == 0 {
                Some("工业和信息化部".into())
            } else {
                None
            },
            region,
            quote: String::new(),
            baseline,
            p_hit: Some(p),
            p_hit_ci95: Some(ci(p, draws)),
            p_hit_se: Some((p * (1.0 - p) / draws as f64).sqrt()),
            mean: Some(mean),
            sd: Some(sd),
            quantiles: Some(Quantiles {
                p5: q(-1.645),
                p25: q(-0.674),
                p50: q(0.0),
                p75: q(0.674),
                p95: q(1.645),
            }),
            expected_shortfall: Some(sd * 0.6),
            histogram: Some(Histogram {
                lo,
                hi,
                counts,
                underflow: 3,
                overflow: 0,
                min: lo + w,
                max: hi - w,
            }),
            undefined_draws: Some(0),
            undefined: None,
            pace: None,
            enforcement: None,
        });
    }

    let modeled: Vec<&TargetResult> = targets.iter().filter(|t| t.is_modeled()).collect();

    let mut sensitivity = Vec::new();
    for t in modeled.iter().take(24) {
        let k = 5 + (rng.next() % 8) as usize;
        for param in PARAMS.iter().take(k) {
            let rho = (rng.normal() * 0.35).clamp(-0.95, 0.95);
            sensitivity.push(Sensitivity {
                target: t.id.clone(),
                parameter: param.to_string(),
                spearman: rho,
                first_order: (rho * rho * 0.9).min(1.0),
            });
        }
    }

    let conv_draws: Vec<u64> = (0..)
        .map(|k| 100u64 << k)
        .take_while(|n| *n <= draws)
        .chain(std::iter::once(draws))
        .collect();
    let mut conv_ids = Vec::new();
    let mut conv_p = Vec::new();
    for t in &modeled {
        let pf = t.p_hit.unwrap_or(0.5);
        conv_ids.push(t.id.clone());
        let mut run = Vec::new();
        let mut walk = 0.0;
        for (j, n) in conv_draws.iter().enumerate() {
            walk = 0.6 * walk + rng.normal();
            let se = (pf * (1.0 - pf) / *n as f64).sqrt();
            let v = if j + 1 == conv_draws.len() {
                pf
            } else {
                (pf + 0.8 * walk * se).clamp(0.0, 1.0)
            };
            run.push(v);
        }
        conv_p.push(run);
    }

    let years: Vec<i32> = (2010..=2015).collect();
    let fan = |series: &str,
               name: &str,
               name_zh: &str,
               unit: &str,
               start: f64,
               g: f64,
               vol: f64,
               hist: Vec<(i32, f64)>,
               tg: Vec<(String, i32, f64)>| {
        let mut f = Fan {
            series: series.into(),
            name: name.into(),
            name_zh: name_zh.into(),
            unit: unit.into(),
            years: years.clone(),
            p5: vec![],
            p25: vec![],
            p50: vec![],
            p75: vec![],
            p95: vec![],
            history: hist,
            targets: tg,
        };
        for (k, _) in years.iter().enumerate() {
            let m = start * (1.0 + g).powi(k as i32);
            let s = m * vol * (k as f64).sqrt();
            f.p5.push(m - 1.645 * s);
            f.p25.push(m - 0.674 * s);
            f.p50.push(m);
            f.p75.push(m + 0.674 * s);
            f.p95.push(m + 1.645 * s);
        }
        f
    };
    let fans = vec![
        fan(
            "va",
            "Industrial value added",
            "全部工业增加值",
            "100m yuan (2010 prices)",
            160_000.0,
            0.085,
            0.025,
            vec![
                (2006, 91_000.0),
                (2007, 107_000.0),
                (2008, 130_000.0),
                (2009, 135_000.0),
                (2010, 160_000.0),
            ],
            vec![("industrial_va_level".into(), 2015, 240_000.0)],
        ),
        fan(
            "energy/va",
            "Energy per unit industrial VA",
            "单位工业增加值能耗",
            "tce_per_10k_yuan",
            2.1,
            -0.045,
            0.012,
            vec![(2005, 2.9), (2008, 2.45), (2010, 2.1)],
            vec![
                ("energy_intensity_level".into(), 2015, 1.692),
                ("energy_intensity_mid".into(), 2013, 1.85),
            ],
        ),
        fan(
            "va:steel@HA",
            "Steel value added, Henan",
            "河南钢铁工业增加值",
            "100m yuan (2010 prices)",
            900.0,
            0.06,
            0.04,
            vec![],
            vec![],
        ),
    ];

    let n_mod = modeled.len().max(1) as f64;
    let mean_p: f64 = modeled.iter().filter_map(|t| t.p_hit).sum::<f64>() / n_mod;
    Summary {
        scenario: ScenarioInfo {
            id: if n_regions > 1 {
                "regional_2011_2015".into()
            } else {
                "national_2011_2015".into()
            },
            name: "Industrial Transformation and Upgrading Plan 2011-2015".into(),
            name_zh: "工业转型升级规划（2011－2015年）".into(),
            document: "国发〔2011〕47号".into(),
            base_year: 2010,
            horizon: 2015,
            regions,
            sectors: vec![Named {
                id: "steel".into(),
                name: "Iron and steel".into(),
                name_zh: "钢铁".into(),
            }],
            parameters: PARAMS
                .iter()
                .enumerate()
                .map(|(i, id)| ParamInfo {
                    id: id.to_string(),
                    name: format!("Parameter {id}"),
                    name_zh: format!("参数 {id}"),
                    unit: "fraction per year".into(),
                    law: format!("normal(mean = 0.0{i}, sd = 0.01)"),
                    source: format!("assumption: synthetic source <{i}> & \"quoted\" 「原文」"),
                })
                .collect(),
            inside_view: false,
        },
        draws,
        seed: 20_111_230 + seed,
        sampler: Sampler::Sobol,
        targets,
        joint: Joint {
            all_binding: Some(Probability {
                p: mean_p * 0.2,
                ci95: ci(mean_p * 0.2, draws),
            }),
            all_modeled: Some(Probability {
                p: 0.0004,
                ci95: ci(0.0004, draws),
            }),
            k_missed: vec![0.1, 0.2, 0.3, 0.4],
            miss_pairs: vec![],
        },
        fans,
        fan_draws: draws.min(20_000),
        sensitivity,
        rank_draws: draws.min(50_000),
        convergence: Convergence {
            draws: conv_draws,
            ids: conv_ids,
            p_hit: conv_p,
        },
        conditional: vec![],
        observed: vec![],
        barometer: None,
        responses: vec![],
    }
}

/// A summary full of degenerate values: NaN probabilities and quantiles, empty, all-zero
/// and NaN-bounded histograms, NaN fans, mismatched convergence vectors, NaN sensitivity.
pub fn degenerate() -> Summary {
    let mut s = summary(14, 2, 7);
    let hists = [
        None,
        Some(Histogram {
            lo: 0.0,
            hi: 1.0,
            counts: vec![],
            underflow: 0,
            overflow: 0,
            min: 0.0,
            max: 0.0,
        }),
        Some(Histogram {
            lo: f64::NAN,
            hi: f64::NAN,
            counts: vec![5; 100],
            underflow: 0,
            overflow: 0,
            min: f64::NAN,
            max: f64::NAN,
        }),
        Some(Histogram {
            lo: 3.0,
            hi: 3.0,
            counts: vec![10; 10],
            underflow: 0,
            overflow: 0,
            min: 3.0,
            max: 3.0,
        }),
        Some(Histogram {
            lo: 0.0,
            hi: 10.0,
            counts: vec![0; 1000],
            underflow: 40,
            overflow: 60,
            min: -5.0,
            max: 20.0,
        }),
        Some(Histogram {
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            counts: vec![1; 7],
            underflow: 0,
            overflow: 0,
            min: 0.0,
            max: 0.0,
        }),
        Some(Histogram {
            lo: 0.0,
            hi: 1.0,
            counts: vec![0, 0, 100_000, 0],
            underflow: 0,
            overflow: 0,
            min: 0.5,
            max: 0.5,
        }),
        Some(Histogram {
            lo: 1e300,
            hi: f64::MAX,
            counts: vec![u64::MAX / 4; 3],
            underflow: u64::MAX / 4,
            overflow: 0,
            min: 0.0,
            max: 0.0,
        }),
    ];
    for (k, t) in s.targets.iter_mut().filter(|t| t.is_modeled()).enumerate() {
        t.histogram = hists[k % hists.len()].clone();
        match k % 4 {
            0 => {
                t.p_hit = Some(f64::NAN);
                t.p_hit_ci95 = Some([f64::NAN, f64::NAN]);
            }
            1 => {
                t.quantiles = Some(Quantiles {
                    p5: f64::NAN,
                    p25: f64::NAN,
                    p50: f64::NAN,
                    p75: f64::NAN,
                    p95: f64::NAN,
                });
                t.target_value = f64::NAN;
            }
            2 => {
                t.p_hit = None;
                t.quantiles = None;
                t.baseline = Some(f64::INFINITY);
            }
            _ => {
                t.p_hit = Some(1.5);
                t.band = Some(f64::NAN);
                t.comparator = Comparator::About;
            }
        }
    }
    s.fans[0].p50 = vec![f64::NAN; 6];
    s.fans[1].p5.truncate(2);
    s.fans[1].history.push((2012, f64::NAN));
    s.fans[2].years.clear();
    s.fans.push(Fan {
        series: "".into(),
        name: "".into(),
        name_zh: "".into(),
        unit: "".into(),
        years: vec![2010, 2011],
        p5: vec![f64::NAN; 2],
        p25: vec![f64::NAN; 2],
        p50: vec![f64::NAN; 2],
        p75: vec![f64::NAN; 2],
        p95: vec![f64::NAN; 2],
        history: vec![],
        targets: vec![("x".into(), 2011, f64::NAN)],
    });
    for r in s.sensitivity.iter_mut().step_by(3) {
        r.spearman = f64::NAN;
        r.first_order = f64::NAN;
    }
    s.sensitivity.push(Sensitivity {
        target: "no_such_target".into(),
        parameter: "p".into(),
        spearman: 0.5,
        first_order: 0.2,
    });
    s.convergence.draws.insert(0, 0);
    if let Some(row) = s.convergence.p_hit.get_mut(0) {
        row.truncate(3);
        row[1] = f64::NAN;
    }
    s.joint.all_binding = Some(Probability {
        p: f64::NAN,
        ci95: [f64::NAN, f64::NAN],
    });
    s
}

/// A summary with nothing in it.
pub fn empty() -> Summary {
    let mut s = summary(0, 0, 1);
    s.fans.clear();
    s.sensitivity.clear();
    s.convergence = Convergence {
        draws: vec![],
        ids: vec![],
        p_hit: vec![],
    };
    s.joint.all_binding = None;
    s.joint.all_modeled = None;
    s
}

/// A policy variant of `base`: probabilities shifted deterministically.
pub fn variant(base: &Summary, shift: f64, drop_every: usize) -> Summary {
    let mut s = base.clone();
    let mut k = 0;
    s.targets.retain(|_| {
        k += 1;
        drop_every == 0 || k % drop_every != 0
    });
    for (i, t) in s.targets.iter_mut().enumerate() {
        if let Some(p) = t.p_hit {
            let np = (p + shift * (1.0 + (i % 3) as f64) / 2.0).clamp(0.0, 1.0);
            t.p_hit = Some(np);
            t.p_hit_ci95 = Some(ci(np, s.draws));
        }
    }
    s.seed += 1;
    s
}

/// Lead agencies of a provincial plan (牵头单位), one of them a long joint listing.
pub const AGENCIES: &[&str] = &[
    "省经济和信息化委",
    "省发展改革委",
    "省科技厅",
    "省环境保护厅",
    "省水利厅",
    "省质监局",
    "工业和信息化部、国家发展和改革委员会、财政部、科学技术部、国家质量监督检验检疫总局",
    "广东省人民政府国有资产监督管理委员会办公室",
];

/// `base` with the lead agencies `agencies` assigned round-robin; every seventh target
/// gets none, and every fifth a copy of its agency padded with spaces (the same agency).
pub fn with_agencies(base: &Summary, agencies: &[&str]) -> Summary {
    let mut s = base.clone();
    for (i, t) in s.targets.iter_mut().enumerate() {
        t.agency = match agencies.get(i % agencies.len().max(1)) {
            _ if i % 7 == 6 => None,
            Some(a) if i % 5 == 4 => Some(format!("  {a} ")),
            Some(a) => Some(a.to_string()),
            None => None,
        };
    }
    s
}
