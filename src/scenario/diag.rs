//! Diagnostics for scenario files: a message, where it is (file:line:column with the
//! offending line and a caret), and a hint saying what to do.
//!
//! Spans from every file of an `extends` chain live in one offset space (each file
//! gets a base offset), so a span alone says which file a value came from.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The files of one scenario load, laid end to end in one offset space.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
struct SourceFile {
    path: PathBuf,
    text: String,
    base: usize,
}

impl SourceMap {
    /// Adds a file and returns the base offset of its spans.
    pub fn add(&mut self, path: &Path, text: String) -> usize {
        let base = self.files.last().map_or(0, |f| f.base + f.text.len() + 1);
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            text,
            base,
        });
        base
    }

    pub fn text(&self, index: usize) -> &str {
        &self.files[index].text
    }

    /// Where a global span is: file, 1-based line and column (in characters).
    pub fn locate(&self, span: Range<usize>) -> Option<Location> {
        let file = self
            .files
            .iter()
            .rev()
            .find(|f| f.base <= span.start && span.start <= f.base + f.text.len())?;
        let start = (span.start - file.base).min(file.text.len());
        let end = (span.end.saturating_sub(file.base)).clamp(start, file.text.len());
        let start = floor_char_boundary(&file.text, start);
        let before = &file.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = file.text[start..]
            .find('\n')
            .map_or(file.text.len(), |i| start + i);
        let column = file.text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(&file.text, end.min(line_end));
        let width = file.text[start..end].chars().count().max(1);
        Some(Location {
            file: file.path.clone(),
            line,
            column,
            line_text: printable(file.text[line_start..line_end].trim_end()),
            width,
        })
    }
}

/// A line as it can be shown in a terminal: control characters (a NUL from a binary
/// file, an escape sequence) become U+FFFD so they cannot garble the output, one
/// character for one, so columns still line up.
pub fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub line_text: String,
    pub width: usize,
}

/// One problem with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub hint: Option<String>,
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
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
                writeln!(f, "{} | {}", loc.line, text)?;
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
            writeln!(f, "  = help: {hint}")?;
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

/// A problem found by a semantic check, addressed by key path (`params.g.sd`,
/// `sectors[2].va.GD`); the loader turns the path into a file location.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}

/// Everything wrong with a scenario, all at once.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for ScenarioError {
    fn from(d: Diagnostic) -> Self {
        ScenarioError {
            diagnostics: vec![d],
        }
    }
}

/// Diagnostics shown at most; past this the rest are counted, not printed (a file with
/// thousands of errors is usually one mistake repeated).
pub const MAX_SHOWN_ERRORS: usize = 50;

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.diagnostics.iter().take(MAX_SHOWN_ERRORS) {
            write!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
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

impl std::error::Error for ScenarioError {}

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
    fn locate_second_file_line_and_column() {
        let mut map = SourceMap::default();
        map.add(Path::new("a.toml"), "x = 1\n".into());
        let base = map.add(Path::new("b.toml"), "a = 1\nsd = -2\n".into());
        let loc = map.locate(base + 11..base + 13).unwrap();
        assert_eq!(loc.file, PathBuf::from("b.toml"));
        assert_eq!((loc.line, loc.column, loc.width), (2, 6, 2));
        assert_eq!(loc.line_text, "sd = -2");
    }

    #[test]
    fn a_flood_of_errors_is_cut_short() {
        let e = ScenarioError {
            diagnostics: (0..500)
                .map(|i| Diagnostic::new(format!("problem {i}")))
                .collect(),
        };
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

    #[test]
    fn control_characters_are_not_printed() {
        let mut map = SourceMap::default();
        map.add(Path::new("a.toml"), "a = \u{0}\u{1b}[31m\n".into());
        let loc = map.locate(4..5).unwrap();
        assert!(!loc.line_text.chars().any(|c| c.is_control()));
    }
}
