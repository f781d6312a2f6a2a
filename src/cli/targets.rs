//! `planrisk targets <file>`: the scenario's targets as a table.

use super::error::CliError;
use super::output::print;
use super::table::{cut, Table};
use planrisk::load_model;
use planrisk::report::summary::Status;
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
            target.metric.to_string(),
            target.goal.comparator().to_string(),
            target.goal.value().to_string(),
            target.horizon.to_string(),
            if target.binding {
                "约束性"
            } else {
                "预期性"
            }
            .into(),
            Status::of(target).to_string(),
            cut(&format!("{} {}", target.name_zh, target.name), 60),
        ]);
    }
    print(&t.render()).map_err(|e| CliError::Internal(e.to_string()))
}
