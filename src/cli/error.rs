//! CLI errors and their exit codes: problems the user can fix (bad files, flags,
//! unwritable output) exit 2, internal errors exit 1, an incomplete set of shards to
//! merge exits 3, an interrupted run exits 130. The library reports the user's
//! problems as diagnostics; here they only get a code.

use super::outset::OutError;
use planrisk::chart::ChartError;
use planrisk::diag::{Diagnostic, Diagnostics};
use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// The user can fix it: every problem, each with its place and a hint.
    User(Diagnostics),
    /// Ctrl-C.
    Interrupted(String),
    /// `merge`: shards missing, damaged or from another run; the message names the
    /// shards to run again.
    Incomplete(String),
    /// A bug or an environment failure the user did not cause.
    Internal(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::User(_) => 2,
            CliError::Interrupted(_) => 130,
            CliError::Incomplete(_) => 3,
            CliError::Internal(_) => 1,
        }
    }

    /// Prints to stderr; a closed stderr is ignored rather than a panic.
    pub fn report(&self) {
        use std::io::Write;
        let _ = write!(std::io::stderr().lock(), "{self}");
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::User(d) => write!(f, "{d}"),
            CliError::Interrupted(m) => writeln!(f, "interrupted: {}", m.trim_end()),
            CliError::Incomplete(m) => writeln!(f, "error: {}", m.trim_end()),
            CliError::Internal(m) => writeln!(f, "internal error: {}", m.trim_end()),
        }
    }
}

impl From<Diagnostics> for CliError {
    fn from(d: Diagnostics) -> Self {
        CliError::User(d)
    }
}

impl From<Diagnostic> for CliError {
    fn from(d: Diagnostic) -> Self {
        CliError::User(d.into())
    }
}

impl From<OutError> for CliError {
    fn from(e: OutError) -> Self {
        match e {
            OutError::Interrupted { .. } => CliError::Interrupted(e.message()),
            other => Diagnostic::new(other.message())
                .with_hint(other.hint())
                .into(),
        }
    }
}

/// A chart that cannot be drawn from the input is the user's to fix; a drawing failure
/// on sound input is a bug.
impl From<ChartError> for CliError {
    fn from(e: ChartError) -> Self {
        match e {
            ChartError::Io { .. } | ChartError::Input(_) => {
                Diagnostic::new(format!("cannot draw charts: {e}")).into()
            }
            other => CliError::Internal(format!("drawing charts failed: {other}")),
        }
    }
}
