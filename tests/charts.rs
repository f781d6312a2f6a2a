//! Chart tests: every chart kind is written for synthetic summaries, decodes as a PNG of
//! the expected size and is not blank; the region heat map and the agency sheet appear
//! only when the targets name regions or several lead agencies; Chinese and Latin text
//! render real glyphs; degenerate inputs (NaN, empty histograms, empty summaries) do not
//! panic.

mod synth;

use std::fs::File;
use std::path::{Path, PathBuf};

use planrisk::chart::{self, draw_all, draw_comparison, ChartOptions, Lang};
use planrisk::report::summary::Summary;

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planrisk-charts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

struct Png {
    width: u32,
    height: u32,
    /// Luminance of every pixel.
    luma: Vec<f64>,
}

fn decode(path: &Path) -> Png {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(file)
        .read_info()
        .unwrap_or_else(|e| panic!("{}: not a PNG: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "{}: expected colour, got {:?}",
        path.display(),
        info.color_type
    );
    let luma = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect();
    Png {
        width: info.width,
        height: info.height,
        luma,
    }
}

/// Decodes `path` and checks that it is not blank: enough variance and enough ink.
fn check_png(path: &Path) -> Png {
    let png = decode(path);
    let n = png.luma.len() as f64;
    let mean = png.luma.iter().sum::<f64>() / n;
    let var = png
        .luma
        .iter()
        .map(|v| (v - mean) * (v - mean))
        .sum::<f64>()
        / n;
    let inked = png.luma.iter().filter(|v| **v < 200.0).count() as f64 / n;
    assert!(
        var > 100.0,
        "{}: looks blank (variance {var:.1})",
        path.display()
    );
    assert!(
        inked > 0.005,
        "{}: almost no ink ({:.3}%)",
        path.display(),
        inked * 100.0
    );
    png
}

fn modeled(s: &Summary) -> usize {
    s.targets.iter().filter(|t| t.is_modeled()).count()
}

fn no_temp_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with('.') && !name.contains(".tmp"),
            "temporary file left: {name}"
        );
        if entry.path().is_dir() {
            no_temp_files(&entry.path());
        }
    }
}

#[test]
fn every_chart_kind_is_drawn_at_the_expected_size() {
    let s = synth::summary(60, 4, 11);
    let dir = scratch("all");
    let paths = draw_all(&s, &dir, &ChartOptions::default()).expect("draw_all");

    let dash = check_png(&dir.join("dashboard.png"));
    assert_eq!(dash.width, chart::DASHBOARD_WIDTH);
    assert!(dash.width >= 1600);
    assert!(
        dash.height > 2000,
        "dashboard of 60 targets is only {} px tall",
        dash.height
    );

    let targets: Vec<_> = std::fs::read_dir(dir.join("targets")).unwrap().collect();
    assert_eq!(targets.len(), modeled(&s));
    for t in s.targets.iter().filter(|t| t.is_modeled()) {
        let png = check_png(
            &dir.join("targets")
                .join(format!("{}.png", chart::sanitize_file_name(&t.id))),
        );
        assert_eq!((png.width, png.height), chart::TARGET_SIZE);
    }
    for t in s.targets.iter().filter(|t| !t.is_modeled()) {
        assert!(
            !dir.join("targets").join(format!("{}.png", t.id)).exists(),
            "unmodeled target {} got a chart",
            t.id
        );
    }

    for f in &s.fans {
        let png = check_png(
            &dir.join("fans")
                .join(format!("{}.png", chart::sanitize_file_name(&f.series))),
        );
        assert_eq!((png.width, png.height), chart::FAN_SIZE);
    }
    assert!(
        dir.join("fans/va_steel_HA.png").exists(),
        "fan file names are sanitised"
    );

    for sheet in ["heatmap.png", "tornado.png", "convergence.png"] {
        let png = check_png(&dir.join(sheet));
        assert_eq!(png.width, chart::SHEET_WIDTH, "{sheet}");
        assert!(png.height >= 400, "{sheet}");
    }
    let tornadoes: Vec<_> = std::fs::read_dir(dir.join("tornado"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!tornadoes.is_empty());
    for p in &tornadoes {
        assert_eq!(check_png(p).width, chart::TORNADO_WIDTH);
    }

    assert_eq!(paths[0], dir.join("dashboard.png"));
    assert!(paths.iter().all(|p| p.exists()));
    no_temp_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dashboard_grows_with_the_number_of_targets() {
    let dir = scratch("grow");
    let small = synth::summary(30, 0, 1);
    let big = synth::summary(120, 4, 2);
    draw_all(&small, &dir.join("small"), &ChartOptions::default()).unwrap();
    draw_all(&big, &dir.join("big"), &ChartOptions::default()).unwrap();
    let a = check_png(&dir.join("small/dashboard.png"));
    let b = check_png(&dir.join("big/dashboard.png"));
    assert_eq!(a.width, b.width);
    assert!(b.height > a.height * 3, "{} vs {}", b.height, a.height);
    // 120 rows of at least 40 px each.
    assert!(b.height > 120 * 40);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn single_region_scenarios_have_no_heatmap() {
    let dir = scratch("national");
    let s = synth::summary(24, 0, 3);
    draw_all(&s, &dir, &ChartOptions { lang: Lang::Zh }).unwrap();
    assert!(!dir.join("heatmap.png").exists());
    check_png(&dir.join("dashboard.png"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn heatmap_follows_the_region_field() {
    // Each region with its own targets (no indicator shared across regions): lanes.
    let mut own = synth::summary(30, 3, 9);
    for (i, t) in own.targets.iter_mut().enumerate() {
        t.id = format!("t{i}_{}", t.id);
    }
    let dir = scratch("lanes");
    draw_all(&own, &dir, &ChartOptions::default()).unwrap();
    assert_eq!(
        check_png(&dir.join("heatmap.png")).width,
        chart::SHEET_WIDTH
    );
    let _ = std::fs::remove_dir_all(&dir);

    // Several regions in the scenario but no target names one: nothing to map.
    let mut national = synth::summary(30, 4, 9);
    for t in &mut national.targets {
        t.region = None;
    }
    let dir = scratch("no-region");
    draw_all(&national, &dir, &ChartOptions::default()).unwrap();
    assert!(!dir.join("heatmap.png").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn agency_chart_follows_the_agency_field() {
    // Eight lead agencies, one with a very long name, in every language: agency.png, its
    // columns wrapped into tiers within the sheet width.
    let base = synth::summary(48, 0, 12);
    let s = synth::with_agencies(&base, synth::AGENCIES);
    for lang in [Lang::Zh, Lang::En, Lang::Both] {
        let dir = scratch(&format!("agency-{lang:?}"));
        let paths = draw_all(&s, &dir, &ChartOptions { lang }).unwrap();
        let agency = dir.join("agency.png");
        assert!(paths.contains(&agency), "{lang:?}: agency.png not listed");
        let png = check_png(&agency);
        assert_eq!(png.width, chart::SHEET_WIDTH, "{lang:?}");
        assert!(png.height >= 400, "{lang:?}");
        assert!(!dir.join("heatmap.png").exists());
        no_temp_files(&dir);
        let _ = std::fs::remove_dir_all(&dir);
    }

    // Regions and agencies together: both sheets.
    let dir = scratch("agency-regions");
    let both = synth::with_agencies(&synth::summary(48, 4, 12), &synth::AGENCIES[..3]);
    draw_all(&both, &dir, &ChartOptions::default()).unwrap();
    check_png(&dir.join("heatmap.png"));
    check_png(&dir.join("agency.png"));
    let _ = std::fs::remove_dir_all(&dir);

    // No agencies, blank ones, or a single one: no agency chart.
    let one = synth::with_agencies(&base, &["工业和信息化部"]);
    let blank = synth::with_agencies(&base, &["", "  "]);
    let mut none = base.clone();
    for t in &mut none.targets {
        t.agency = None;
    }
    for (name, s) in [("none", none), ("blank", blank), ("one", one)] {
        let dir = scratch(&format!("no-agency-{name}"));
        let paths = draw_all(&s, &dir, &ChartOptions::default()).unwrap();
        assert!(!dir.join("agency.png").exists(), "{name}: agency.png drawn");
        assert!(paths.iter().all(|p| !p.ends_with("agency.png")), "{name}");
        check_png(&dir.join("dashboard.png"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn every_language_is_drawn() {
    let s = synth::summary(20, 2, 4);
    for lang in [Lang::Zh, Lang::En, Lang::Both] {
        let dir = scratch(&format!("lang-{lang:?}"));
        let paths = draw_all(&s, &dir, &ChartOptions { lang }).unwrap();
        for p in &paths {
            check_png(p);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn comparison_puts_runs_side_by_side() {
    let dir = scratch("compare");
    let base = synth::summary(40, 4, 5);
    let runs = vec![
        ("基准 baseline".to_string(), base.clone()),
        (
            "加快淘汰 faster elimination".to_string(),
            synth::variant(&base, 0.1, 0),
        ),
        (
            "低增长 low growth".to_string(),
            synth::variant(&base, -0.1, 5),
        ),
    ];
    let path =
        draw_comparison(&runs, &dir.join("comparison.png"), &ChartOptions::default()).unwrap();
    let png = check_png(&path);
    assert_eq!(png.width, chart::SHEET_WIDTH);
    let one = draw_comparison(&runs[..1], &dir.join("one.png"), &ChartOptions::default()).unwrap();
    assert!(check_png(&one).height < png.height);
    assert!(draw_comparison(&[], &dir.join("none.png"), &ChartOptions::default()).is_err());
    assert!(!dir.join("none.png").exists());
    no_temp_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

fn ink(buf: &[u8]) -> usize {
    buf.iter().filter(|v| **v > 128).count()
}

#[test]
fn chinese_and_latin_text_render_glyphs() {
    let (_, _, steel) = chart::render_text("钢铁", 24.0).unwrap();
    assert!(
        ink(&steel) > 100,
        "钢铁 drew only {} dark pixels",
        ink(&steel)
    );
    let (_, _, blank) = chart::render_text("", 24.0).unwrap();
    assert_eq!(ink(&blank), 0);
    // Latin letters and digits are real glyphs, not the missing-glyph box: each differs
    // from the others and from what a private-use code point draws.
    let (_, _, notdef) = chart::render_text("\u{E000}", 24.0).unwrap();
    let glyphs: Vec<Vec<u8>> = ["A", "B", "g", "8", "0", "%"]
        .iter()
        .map(|s| chart::render_text(s, 24.0).unwrap().2)
        .collect();
    for (i, g) in glyphs.iter().enumerate() {
        assert!(ink(g) > 10, "glyph {i} is empty");
        assert_ne!(g, &notdef, "glyph {i} is drawn as the missing-glyph box");
        for h in &glyphs[i + 1..] {
            assert_ne!(g, h);
        }
    }
}

#[test]
fn the_font_is_registered_with_plotters() {
    use plotters::prelude::*;
    chart::ensure_fonts().unwrap();
    let count = |text: &str| {
        let (w, h) = (160u32, 60u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            let style = ("sans-serif", 32.0).into_font().color(&BLACK);
            root.draw_text(text, &style, (10, 10)).unwrap();
            root.present().unwrap();
        }
        buf.chunks(3).filter(|p| p[0] < 100).count()
    };
    assert!(count("钢铁") > 100);
    assert_eq!(count(""), 0);
}

#[test]
fn nan_and_empty_inputs_do_not_panic() {
    for (name, s) in [
        ("degenerate", synth::degenerate()),
        ("empty", synth::empty()),
    ] {
        let dir = scratch(name);
        let paths =
            draw_all(&s, &dir, &ChartOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!paths.is_empty());
        for p in &paths {
            decode(p);
        }
        check_png(&dir.join("dashboard.png"));
        no_temp_files(&dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A comparison of runs without any modeled target still draws.
    let dir = scratch("empty-compare");
    let runs = vec![
        ("a".to_string(), synth::empty()),
        ("b".to_string(), synth::degenerate()),
    ];
    let p = draw_comparison(&runs, &dir.join("c.png"), &ChartOptions::default()).unwrap();
    decode(&p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unwritable_destination_is_an_error_not_a_panic() {
    let dir = scratch("unwritable");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = draw_all(&synth::summary(6, 0, 1), &file, &ChartOptions::default()).unwrap_err();
    assert!(!err.to_string().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn barometer_is_drawn_only_for_runs_with_observations() {
    use planrisk::report::summary::{Barometer, BarometerTarget, ObservedResult};
    let mut s = synth::summary(30, 1, 9);
    let dir = scratch("no-barometer");
    draw_all(&s, &dir, &ChartOptions::default()).unwrap();
    assert!(!dir.join(chart::BAROMETER).exists());
    let years: Vec<i32> = (2010..=2014).collect();
    let targets = s
        .targets
        .iter()
        .filter_map(|t| t.p_hit.map(|p| (t, p)))
        .enumerate()
        .map(|(i, (t, p))| BarometerTarget {
            id: t.id.clone(),
            binding: i % 7 == 0,
            // Every third target drifts down by 8 points a year; one holds a NaN.
            p_hit: years
                .iter()
                .map(|y| {
                    let step = f64::from(y - 2010);
                    if i == 5 {
                        f64::NAN
                    } else if i % 3 == 0 {
                        (p - 0.08 * step).max(0.0)
                    } else {
                        p
                    }
                })
                .collect(),
            p_hit_ci95: years.iter().map(|_| [0.0, 1.0]).collect(),
        })
        .collect();
    s.barometer = Some(Barometer { years, targets });
    s.observed = vec![ObservedResult {
        id: "x_2012".into(),
        series: "va".into(),
        year: 2012,
        value: 123.0,
        source: "test".into(),
        prior_percentile: Some(0.03),
    }];
    let dir = scratch("barometer");
    draw_all(&s, &dir, &ChartOptions::default()).unwrap();
    let png = check_png(&dir.join(chart::BAROMETER));
    assert_eq!(png.width, chart::SHEET_WIDTH);
    no_temp_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}
