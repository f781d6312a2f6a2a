//! Writing to the terminal: stdout without panicking on a closed pipe (`planrisk
//! targets x | head -1`; a broken pipe ends the output quietly, as in ripgrep), and
//! names from files echoed with their control characters escaped.

use planrisk::diag::escape_controls;
use std::io::{self, Write};

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `s` with control characters (a terminal escape sequence, a newline in a file name)
/// shown as `\u{1b}`, `\n`…, so echoing a name can never drive the terminal.
pub fn escape(s: &str) -> String {
    escape_controls(s, &[])
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_escaped_and_text_is_kept() {
        assert_eq!(escape("钢铁 a.csv"), "钢铁 a.csv");
        assert_eq!(escape("x\u{1b}[31my\n"), "x\\u{1b}[31my\\n");
    }
}
