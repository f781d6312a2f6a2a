//! A small CSV reader that keeps where every field is (line and column), so an error
//! about a value can point at it. RFC 4180 quoting (`"a, b"`, `""` for a quote) inside
//! one line; a quoted field that does not close on its line is an error, not a silent
//! join with the next line. Blank lines and lines starting with `#` are notes.

/// One field and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub text: String,
    /// 1-based column (in characters) of the field's first character.
    pub column: usize,
    /// Characters the field occupies on its line (quotes included).
    pub width: usize,
}

/// One data line.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number.
    pub line: usize,
    pub text: String,
    pub fields: Vec<Field>,
}

/// A line whose quoting is broken: its number, text and the column of the open quote.
#[derive(Debug, Clone, PartialEq)]
pub struct UnclosedQuote {
    pub line: usize,
    pub text: String,
    pub column: usize,
}

/// Splits `text` into records; notes (blank and `#` lines) are skipped. A leading
/// byte-order mark is ignored.
pub fn records(text: &str) -> (Vec<Record>, Vec<UnclosedQuote>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match split(line) {
            Ok(fields) => out.push(Record {
                line: i + 1,
                text: line.to_string(),
                fields,
            }),
            Err(column) => errors.push(UnclosedQuote {
                line: i + 1,
                text: line.to_string(),
                column,
            }),
        }
    }
    (out, errors)
}

/// The fields of one line, or the column of a quote that never closes.
fn split(line: &str) -> Result<Vec<Field>, usize> {
    let chars: Vec<char> = line.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        let mut text = String::new();
        // Spaces before an opening quote do not stop it being quoted.
        let lead = chars[i..].iter().take_while(|c| **c == ' ').count();
        if chars.get(i + lead) == Some(&'"') {
            i += lead + 1;
            loop {
                match chars.get(i) {
                    None => return Err(start + lead + 1),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        text.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        text.push(*c);
                        i += 1;
                    }
                }
            }
            // Anything after the closing quote up to the comma belongs to the field.
            while let Some(c) = chars.get(i).filter(|c| **c != ',') {
                text.push(*c);
                i += 1;
            }
        } else {
            while let Some(c) = chars.get(i).filter(|c| **c != ',') {
                text.push(*c);
                i += 1;
            }
        }
        fields.push(Field {
            text,
            column: start + 1,
            width: (i - start).max(1),
        });
        if chars.get(i) == Some(&',') {
            i += 1;
        } else {
            return Ok(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_columns() {
        let (r, e) = records("id,value\n\n# a note\nx,\"1,5\",\"say \"\"hi\"\"\"\r\n");
        assert!(e.is_empty());
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].line, 4);
        let f = &r[1].fields;
        assert_eq!(f[1].text, "1,5");
        assert_eq!((f[1].column, f[1].width), (3, 5));
        assert_eq!(f[2].text, "say \"hi\"");
        assert_eq!(f[2].column, 9);
    }

    #[test]
    fn empty_fields_and_unclosed_quotes() {
        let (r, _) = records("a,,b,");
        let texts: Vec<&str> = r[0].fields.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["a", "", "b", ""]);
        let (r, e) = records("\u{feff}id,value\nx,\"open\n");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].fields[0].text, "id");
        assert_eq!((e[0].line, e[0].column), (2, 3));
    }
}
