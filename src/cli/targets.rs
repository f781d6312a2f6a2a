//! `planrisk targets <file>`: the scenario's targets as a table.

use super::error::CliError;
use super::output::print;
use super::table::{cut, Table};
use planrisk::load_model;
use planrisk::report::summarize::{comparator_name, metric_name};
use std::path::Path;

pub fn targets(file: &Path) -> Result<(), CliError> {
    let l = load_model(file)?;
    let m = &l.model;
    let mut t = Table::new(&[
        "id",
        "metric",
        "comparator",
        "value",
        "horizon",
        "binding",
        "status",
        "name",
    ]);
    for target in &m.targets {
        t.row(vec![
            target.id.clone(),
            metric_name(target.metric).into(),
            comparator_name(target.comparator).into(),
            format!("{}", target.value),
            target.horizon.to_string(),
            if target.binding {
                "约束性"
            } else {
                "预期性"
            }
            .into(),
            if target.eval.is_some() {
                "modeled"
            } else {
                "unmodeled"
            }
            .into(),
            cut(&format!("{} {}", target.name_zh, target.name), 60),
        ]);
    }
    print(&t.render()).map_err(|e| CliError::Internal(e.to_string()))
}
