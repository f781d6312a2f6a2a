//! Diagnostics: the one shape of every problem a user can fix — a bad scenario file, a
//! bad number in it, a bad run configuration. A [`Diagnostic`] says what is wrong, where
//! (a file location, or the key path of the value at fault until the loader turns it into
//! one) and what to do; [`Diagnostics`] is all of them at once, the error type of loading,
//! compiling and configuring a run.
//!
//! This module is a leaf: it depends on nothing else in the crate, so every layer can
//! report through it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The file, as the user named it (or as `extends` led to it).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The line's text as it can be shown (empty for a problem with the whole file).
    pub line_text: String,
    /// Characters the caret underlines.
    pub width: usize,
}

/// One problem a user can fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Where in which file, once known (boxed: most diagnostics travel without one
    /// until the loader places them, and a small error keeps `Result`s cheap).
    pub location: Option<Box<Location>>,
    /// The key path of the value at fault (`params.g.sd`, `sectors[2].va.GD`, or a run
    /// setting such as `draws`), for problems found on parsed values: the loader turns it
    /// into a location.
    pub key: Option<String>,
}

impl Diagnostic {
    /// A problem with no hint and no place yet.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            hint: None,
            location: None,
            key: None,
        }
    }

    /// Adds what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the problem in a file.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new);
        self
    }

    /// Names the value at fault by its key path.
    pub fn at_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// A diagnostic about a whole file (missing, unreadable).
    pub fn in_file(message: impl Into<String>, file: &Path) -> Self {
        Diagnostic::new(message).at(Some(Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            line_text: String::new(),
            width: 0,
        }))
    }
}

/// `s` with its control characters other than those in `keep` shown as escapes
/// (`\u{1b}`, `\r`, …), so text from a file (an id with a terminal escape sequence in
/// it) can never drive the terminal it is echoed to.
pub fn escape_controls(s: &str, keep: &[char]) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !keep.contains(&c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages and hints quote ids and values from the file: escaped, but their own
        // line breaks and tabs kept.
        let text = |s: &str| escape_controls(s, &['\n', '\t']);
        writeln!(f, "error: {}", text(&self.message))?;
        if let Some(loc) = &self.location {
            let gutter = loc.line.to_string().len();
            writeln!(
                f,
                "{:indent$}--> {}:{}:{}",
                "",
                loc.file.display(),
                loc.line,
                loc.column,
                indent = gutter.max(2)
            )?;
            if !loc.line_text.is_empty() {
                let (text, column, width) = window(&loc.line_text, loc.column, loc.width);
                writeln!(f, "{:gutter$} |", "")?;
                writeln!(f, "{} | {}", loc.line, escape_controls(&text, &['\t']))?;
                writeln!(
                    f,
                    "{:gutter$} | {}{}",
                    "",
                    caret_padding(&text, column),
                    "^".repeat(width)
                )?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {}", text(hint))?;
        }
        Ok(())
    }
}

/// Characters of a source line shown at most; longer lines are cut around the caret.
const MAX_SHOWN: usize = 100;

/// The part of a long line around the caret: (text, caret column, caret width), with
/// `…` where the line was cut. Short lines are returned whole.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN {
        return (line.to_string(), column, width);
    }
    let caret = column.saturating_sub(1).min(chars.len());
    let start = caret.saturating_sub(MAX_SHOWN / 3);
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let column = caret - start + 1 + usize::from(start > 0);
    let width = width.min(end.saturating_sub(caret)).max(1);
    (text, column, width)
}

/// Spaces up to the caret column; tabs are kept so the caret lines up in a terminal.
/// Wide (CJK) characters count twice.
fn caret_padding(line: &str, column: usize) -> String {
    line.chars()
        .take(column.saturating_sub(1))
        .map(|c| match c {
            '\t' => "\t",
            c if is_wide(c) => "  ",
            _ => " ",
        })
        .collect()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Everything wrong, all at once: the error of loading a scenario, compiling it and
/// configuring a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problem yet.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    /// Whether there is no problem.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The problems in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }

    /// `Ok(value)` when there is no problem, else these problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Orders the problems as a reader meets them: by file, line and column; those
    /// without a location last.
    pub fn sort_by_location(&mut self) {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            match (key(a), key(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { list: vec![d] }
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(list: Vec<Diagnostic>) -> Self {
        Diagnostics { list }
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.list.extend(iter);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Diagnostics shown at most; past this the rest are counted, not printed (a file with
/// thousands of errors is usually one mistake repeated).
pub const MAX_SHOWN_ERRORS: usize = 50;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.list.iter().take(MAX_SHOWN_ERRORS) {
            write!(f, "{d}")?;
        }
        let n = self.list.len();
        if n > MAX_SHOWN_ERRORS {
            writeln!(
                f,
                "… and {} more errors not shown; fix the ones above first",
                n - MAX_SHOWN_ERRORS
            )?;
        }
        if n > 1 {
            writeln!(f, "{n} errors")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to a misspelt name, if it is close enough to be a likely typo.
/// A difference of case alone always counts (`Steel` for `steel`); otherwise at most
/// two edits (a third of the length for long names), and fewer edits than the shorter
/// name has characters, so `C` is not "corrected" to `A`.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            if c.to_lowercase() == lower {
                return Some((0, c));
            }
            let d = strsim::damerau_levenshtein(name, c);
            let shortest = name.chars().count().min(c.chars().count());
            (d <= 2.max(c.len() / 3) && d < shortest).then_some((d, c))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_errors_is_cut_short() {
        let e: Diagnostics = (0..500)
            .map(|i| Diagnostic::new(format!("problem {i}")))
            .collect::<Vec<_>>()
            .into();
        let text = e.to_string();
        assert!(text.contains("problem 49") && !text.contains("problem 50\n"));
        assert!(text.contains("450 more errors not shown") && text.ends_with("500 errors\n"));
    }

    #[test]
    fn suggests_close_names_only() {
        let c = ["mean", "sd", "source"];
        assert_eq!(did_you_mean("sorce", c), Some("source"));
        assert_eq!(did_you_mean("volatility", c), None);
        assert_eq!(did_you_mean("C", ["A", "B"]), None);
        assert_eq!(did_you_mean("gd", ["GD", "HA"]), Some("GD"));
        assert_eq!(did_you_mean("Steel", ["steel", "autos"]), Some("steel"));
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("x = [{}]", "1, ".repeat(200));
        let (text, column, width) = window(&line, 300, 3);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert!(text.chars().count() <= MAX_SHOWN + 2);
        let shown: String = text.chars().skip(column - 1).take(width).collect();
        let orig: String = line.chars().skip(299).take(3).collect();
        assert_eq!(shown, orig);
    }
}
