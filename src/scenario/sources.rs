//! The text of every file of one scenario load, laid end to end in one offset space
//! (each file gets a base offset), so a span alone says which file a value came from and
//! turns into a [`Location`].

use crate::diag::Location;
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

    /// The text of the `index`-th file added.
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
    fn control_characters_are_not_printed() {
        let mut map = SourceMap::default();
        map.add(Path::new("a.toml"), "a = \u{0}\u{1b}[31m\n".into());
        let loc = map.locate(4..5).unwrap();
        assert!(!loc.line_text.chars().any(|c| c.is_control()));
    }
}
