//! `planrisk validate <file>...`: load every file and report all problems, then warn of
//! targets whose outcome a trial run finds undefined (a change from a zero baseline, a
//! share of a zero total), which a run would leave without a P(hit).

use super::error::CliError;
use super::output::{escape, print};
use planrisk::diag::Diagnostics;
use planrisk::load_model;
use planrisk::model::{Metric, Model, Undefined};
use planrisk::sim::{self, RunConfig, Sampler};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Draws of the trial run that looks for undefined outcomes: enough to see a zero
/// baseline (which is zero in every draw) at a few milliseconds per file.
const TRIAL_DRAWS: u64 = 256;

pub fn validate(files: &[PathBuf]) -> Result<(), CliError> {
    let mut all = Diagnostics::new();
    let mut report = String::new();
    let mut warnings = Vec::new();
    for f in files {
        match load_model(f) {
            Ok(l) => {
                let modeled = l.model.modeled_targets().count();
                report.push_str(&format!(
                    "ok: {} ({}: {} targets, {} modeled)\n",
                    f.display(),
                    l.model.id,
                    l.model.targets.len(),
                    modeled
                ));
                warnings.extend(undefined_warnings(f, &l.model));
            }
            Err(e) => all.extend(e),
        }
    }
    print(&report).map_err(|e| CliError::Internal(e.to_string()))?;
    for w in warnings {
        eprintln!("{w}");
    }
    if all.is_empty() {
        Ok(())
    } else {
        Err(all.into())
    }
}

/// A warning for every modeled target whose baseline is zero in a trial run (its
/// change_pct, cagr or multiple is then undefined) or whose outcome is undefined in
/// some trial draws.
fn undefined_warnings(file: &Path, m: &Model) -> Vec<String> {
    let cfg = RunConfig {
        draws: TRIAL_DRAWS,
        seed: 1,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: Vec::new(),
    };
    // A model that loaded runs; a trial that cannot is no reason to fail validate.
    let Ok(out) = sim::run(m, &cfg, &|_| {}, &AtomicBool::new(false)) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for (j, slot) in out.layout.slots.iter_enumerated() {
        let t = &m.targets[slot.target];
        let Some(e) = &t.eval else { continue };
        let base = out.acc.baseline(j);
        let divides = matches!(
            t.metric,
            Metric::Cagr | Metric::ChangePct | Metric::Multiple
        );
        let zero = divides && base.n > 0 && base.mean == 0.0 && base.m2 == 0.0;
        let undefined = out.acc.hist(j).invalid;
        if !zero && undefined == 0 {
            continue;
        }
        let what = if zero {
            format!(
                "its baseline ({} in {}) is zero, so its {} is undefined",
                escape(&m.series[e.series].key),
                m.base_year + e.from as i32,
                t.metric
            )
        } else {
            format!(
                "its {} is undefined (not a number) in {undefined} of {TRIAL_DRAWS} trial draws",
                t.metric
            )
        };
        let then = match t.goal.undefined() {
            Undefined::Unscored => format!(
                "a run gives it no P(hit); {}say how to score such draws with undefined = \"miss\" (or \"hit\")",
                if zero { "measure it as a level, or " } else { "" }
            ),
            policy => format!("the scenario scores such draws as a {}", policy.name()),
        };
        warnings.push(format!(
            "warning: {}: target `{}`: {what}\n  = hint: {then}",
            file.display(),
            escape(&t.id)
        ));
    }
    warnings
}
