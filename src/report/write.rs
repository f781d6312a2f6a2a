//! Encoding results as files: summary.json, targets.csv, sensitivity.csv, joint.csv,
//! backtest.json, backtest.csv and manifest.json, each as bytes with its file name. Putting them on disk, all together
//! or not at all, is the caller's job (the CLI's output set), so nothing here touches
//! the file system.

use super::backtest::Backtest;
use super::manifest::Manifest;
use super::summary::Summary;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` whole: into a temporary file beside it (fsynced), then
/// renamed into place, so a reader never sees a half-written file.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Distinct per call: threads of one process may write beside each other.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The result files of a run, in the order they are written: (file name, contents).
/// The manifest is not among them: it lists these, so it is encoded last.
/// `responses.csv` only when the scenario has policy responses.
pub fn result_files(summary: &Summary) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    let mut files = vec![
        ("summary.json", to_json(summary)?),
        ("targets.csv", targets_csv(summary).into_bytes()),
        ("sensitivity.csv", sensitivity_csv(summary).into_bytes()),
        ("joint.csv", joint_csv(summary).into_bytes()),
    ];
    if !summary.responses.is_empty() {
        files.push(("responses.csv", responses_csv(summary).into_bytes()));
    }
    Ok(files)
}

/// `manifest.json`'s contents.
pub fn manifest_json(manifest: &Manifest) -> io::Result<Vec<u8>> {
    to_json(manifest)
}

/// Pretty JSON with a final newline.
pub fn to_json<T: serde::Serialize>(v: &T) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(v).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x}"))
        .unwrap_or_default()
}

/// The header of `targets.csv`.
pub const TARGET_COLUMNS: &str = "id,name,name_zh,binding,status,metric,comparator,target_value,band,wanted,unit,horizon,agency,region,p_hit,p_hit_ci95_low,p_hit_ci95_high,p_hit_se,mean,sd,p5,p25,p50,p75,p95,baseline,expected_shortfall,reason,pace_unit,pace_required,pace_recorded,pace_ratio,undefined_draws,undefined";
/// Columns added to targets.csv when the scenario has policy responses.
pub const ENFORCEMENT_COLUMNS: &str =
    "p_hit_without_responses,enforcement_share,met_only_if_enforced,responses";

fn targets_csv(summary: &Summary) -> String {
    let enforced = !summary.responses.is_empty();
    let mut out = String::from(TARGET_COLUMNS);
    if enforced {
        out.push(',');
        out.push_str(ENFORCEMENT_COLUMNS);
    }
    out.push('\n');
    for t in &summary.targets {
        let q = t.quantiles;
        let ci = t.p_hit_ci95;
        let cells = [
            csv_field(&t.id),
            csv_field(&t.name),
            csv_field(&t.name_zh),
            t.binding.to_string(),
            t.status.to_string(),
            t.metric.to_string(),
            t.comparator.to_string(),
            num(Some(t.target_value)),
            num(t.band),
            t.wanted.map(|w| w.to_string()).unwrap_or_default(),
            csv_field(&t.unit),
            t.horizon.to_string(),
            csv_field(t.agency.as_deref().unwrap_or("")),
            csv_field(t.region.as_deref().unwrap_or("")),
            num(t.p_hit),
            num(ci.map(|c| c[0])),
            num(ci.map(|c| c[1])),
            num(t.p_hit_se),
            num(t.mean),
            num(t.sd),
            num(q.map(|q| q.p5)),
            num(q.map(|q| q.p25)),
            num(q.map(|q| q.p50)),
            num(q.map(|q| q.p75)),
            num(q.map(|q| q.p95)),
            num(t.baseline),
            num(t.expected_shortfall),
            csv_field(t.reason.as_deref().unwrap_or("")),
            t.pace.map_or("", |p| p.unit.name()).to_string(),
            num(t.pace.map(|p| p.required)),
            num(t.pace.map(|p| p.recorded)),
            num(t.pace.and_then(|p| p.ratio)),
            t.undefined_draws.map(|u| u.to_string()).unwrap_or_default(),
            t.undefined.map_or("", |u| u.name()).to_string(),
        ];
        out.push_str(&cells.join(","));
        if enforced {
            let e = t.enforcement.as_ref();
            let extra = [
                num(e.map(|e| e.p_hit_without)),
                num(e.and_then(|e| e.share)),
                e.map_or(String::new(), |e| e.met_only_if_enforced.to_string()),
                csv_field(&e.map_or(String::new(), |e| e.responses.join(" "))),
            ];
            out.push(',');
            out.push_str(&extra.join(","));
        }
        out.push('\n');
    }
    out
}

fn responses_csv(s: &Summary) -> String {
    let mut out = String::from("id,watch,p_triggered,p_triggered_ci95_low,p_triggered_ci95_high,p_capped,mean_extra_effort,mean_extra_effort_if_triggered,effort_unit,first_trigger\n");
    for r in &s.responses {
        let first: Vec<String> = r
            .first_trigger
            .iter()
            .map(|(y, p)| format!("{y}:{p}"))
            .collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            csv_field(&r.id),
            csv_field(&r.watch),
            r.p_triggered.p,
            r.p_triggered.ci95[0],
            r.p_triggered.ci95[1],
            r.p_capped,
            r.mean_extra_effort,
            num(r.mean_extra_effort_if_triggered),
            csv_field(&r.effort_unit),
            first.join(" ")
        );
    }
    out
}

fn sensitivity_csv(s: &Summary) -> String {
    let mut out = String::from("target,parameter,spearman,first_order\n");
    for r in &s.sensitivity {
        let _ = writeln!(
            out,
            "{},{},{},{}",
            csv_field(&r.target),
            csv_field(&r.parameter),
            r.spearman,
            r.first_order
        );
    }
    out
}

fn joint_csv(s: &Summary) -> String {
    let j = &s.joint;
    let mut out = String::from("kind,a,b,value\n");
    if let Some(p) = j.all_binding {
        let _ = writeln!(out, "p_all_binding_hit,,,{}", p.p);
    }
    if let Some(p) = j.all_modeled {
        let _ = writeln!(out, "p_all_modeled_hit,,,{}", p.p);
    }
    for (k, p) in j.k_missed.iter().enumerate() {
        let _ = writeln!(out, "p_missed_exactly,{k},,{p}");
    }
    for p in &j.miss_pairs {
        let (a, b) = (csv_field(&p.a), csv_field(&p.b));
        let _ = writeln!(out, "miss_correlation,{a},{b},{}", p.correlation);
        let _ = writeln!(out, "p_both_missed,{a},{b},{}", p.p_both_missed);
    }
    out
}

/// Columns of `backtest.csv`.
pub const BACKTEST_COLUMNS: &str = "id,name,name_zh,binding,comparator,target_value,band,unit,p_hit,p_hit_ci95_low,p_hit_ci95_high,realized,hit,percentile,p5,p50,p95,source,line";

fn backtest_csv(bt: &Backtest) -> String {
    let mut out = String::from(BACKTEST_COLUMNS);
    out.push('\n');
    for t in &bt.targets {
        let cells = [
            csv_field(&t.id),
            csv_field(&t.name),
            csv_field(&t.name_zh),
            t.binding.to_string(),
            t.comparator.to_string(),
            num(Some(t.target_value)),
            num(t.band),
            csv_field(&t.unit),
            num(Some(t.p_hit)),
            num(Some(t.p_hit_ci95[0])),
            num(Some(t.p_hit_ci95[1])),
            num(Some(t.realized)),
            t.hit.to_string(),
            num(Some(t.percentile)),
            num(Some(t.quantiles.p5)),
            num(Some(t.quantiles.p50)),
            num(Some(t.quantiles.p95)),
            csv_field(&t.source),
            t.line.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The files of a back-test, as [`result_files`] gives a run's: backtest.json and
/// backtest.csv.
pub fn backtest_files(bt: &Backtest) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    Ok(vec![
        ("backtest.json", to_json(bt)?),
        ("backtest.csv", backtest_csv(bt).into_bytes()),
    ])
}
