//! Writing to stdout without panicking on a closed pipe (`planrisk targets x | head -1`):
//! a broken pipe ends the output quietly, as in ripgrep.

use std::io::{self, Write};

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
