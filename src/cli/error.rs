//! CLI errors and their exit codes: user errors (bad files, flags, unwritable output)
//! exit 2, internal errors exit 1, an interrupted run exits 130.

use planrisk::scenario::ScenarioError;
use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// The user can fix it: a message with location and hint, already formatted.
    User(String),
    /// One or more scenario files are invalid (already printed or to be printed).
    Scenario(ScenarioError),
    /// Ctrl-C.
    Interrupted(String),
    /// A bug or an environment failure the user did not cause.
    Internal(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::User(_) | CliError::Scenario(_) => 2,
            CliError::Interrupted(_) => 130,
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
            CliError::User(m) => writeln!(f, "error: {}", m.trim_end()),
            CliError::Scenario(e) => write!(f, "{e}"),
            CliError::Interrupted(m) => writeln!(f, "interrupted: {}", m.trim_end()),
            CliError::Internal(m) => writeln!(f, "internal error: {}", m.trim_end()),
        }
    }
}

impl From<ScenarioError> for CliError {
    fn from(e: ScenarioError) -> Self {
        CliError::Scenario(e)
    }
}
