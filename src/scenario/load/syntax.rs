//! TOML syntax errors made concrete: bare words, percent signs, decimal commas,
//! full-width punctuation, unclosed brackets and duplicate keys get a message and hint
//! that say what to write instead.

use super::super::sources::SourceMap;
use super::merge::shift;
use super::spans::Table;
use crate::diag::Diagnostic;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Syntax errors reported per file at most (later ones are often consequences).
const MAX_SYNTAX_ERRORS: usize = 5;

pub(super) fn parse<'i>(
    text: &'i str,
    base: usize,
    sources: &SourceMap,
) -> Result<Table<'i>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        let span = doc.span();
        return match shift(Spanned::new(span, DeValue::Table(doc.into_inner())), base).into_inner()
        {
            DeValue::Table(t) => Ok(t),
            _ => unreachable!("shift keeps the variant"),
        };
    }
    // One error per line, in file order; errors after an unclosed bracket are mostly
    // its consequences, so stop there.
    let mut errors: Vec<_> = errors.into_iter().enumerate().collect();
    errors.sort_by_key(|(i, e)| (e.span().map_or(0, |s| s.start), *i));
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut lines_seen = Vec::new();
    // Header lines of tables defined twice: the keys of the second definition then
    // repeat the first's, and saying so for each key would only bury the real error.
    let mut twice_defined = Vec::new();
    let line_of = |offset: usize| {
        text[..floor_boundary(text, offset.min(text.len()))]
            .matches('\n')
            .count()
            + 1
    };
    for (_, e) in errors {
        let offset = e.span().map_or(0, |s| s.start);
        let header = section_header(text, offset);
        if e.message().starts_with("duplicate key") {
            match header {
                Some(h) if h == line_of(offset) => twice_defined.push(h),
                Some(h) if twice_defined.contains(&h) => continue,
                _ => {}
            }
        }
        let d = syntax_diagnostic(&e, text, base, sources);
        let line = d.location.as_ref().map_or(0, |l| l.line);
        if lines_seen.contains(&line) {
            continue;
        }
        lines_seen.push(line);
        let cascades = e.message().contains("unclosed") || e.message().contains("missing comma");
        out.push(d);
        if cascades || out.len() == MAX_SYNTAX_ERRORS {
            break;
        }
    }
    Err(out)
}

/// The line number of the `[table]` header above `offset` (or on its line).
fn section_header(text: &str, offset: usize) -> Option<usize> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut line_no = text[..line_end].matches('\n').count() + 1;
    for line in text[..line_end].lines().rev() {
        if line.trim_start().starts_with('[') {
            return Some(line_no);
        }
        line_no -= 1;
    }
    None
}

/// Full-width (Chinese input method) punctuation and what TOML wants instead.
const FULL_WIDTH: [(char, &str); 16] = [
    ('“', "\""),
    ('”', "\""),
    ('‘', "'"),
    ('’', "'"),
    ('＝', "="),
    ('，', ","),
    ('：', ":"),
    ('［', "["),
    ('］', "]"),
    ('｛', "{"),
    ('｝', "}"),
    ('＃', "#"),
    ('（', "("),
    ('）', ")"),
    ('。', "."),
    ('　', " "),
];

/// The ASCII a full-width character stands for: the punctuation above, 【】 for
/// brackets, and the whole full-width block U+FF01–U+FF5E (digits ０–９, the minus sign
/// －, letters) by its fixed offset from ASCII.
fn half_width(c: char) -> Option<String> {
    if let Some((_, ascii)) = FULL_WIDTH.iter().find(|(f, _)| *f == c) {
        return Some(ascii.to_string());
    }
    match c {
        '【' | '〔' => Some("[".into()),
        '】' | '〕' => Some("]".into()),
        '、' => Some(",".into()),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map(String::from),
        _ => None,
    }
}

/// A common mistake found on the line of a syntax error: what it is, where (byte
/// offsets in the file's text) and what to write instead.
struct Mistake {
    message: String,
    at: (usize, usize),
    hint: String,
}

impl Mistake {
    fn new(message: String, at: (usize, usize), hint: String) -> Option<Mistake> {
        Some(Mistake { message, at, hint })
    }
}

/// Where a syntax error is: its span, clamped to character boundaries, and its line.
struct Place<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    line_start: usize,
    line_end: usize,
    line: &'t str,
}

/// A TOML syntax error, with the message and hint made concrete where the mistake is a
/// common one (bare words, percent signs, decimal commas, full-width punctuation,
/// duplicate keys and tables).
fn syntax_diagnostic(
    e: &toml::de::Error,
    text: &str,
    base: usize,
    sources: &SourceMap,
) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let start = floor_boundary(text, span.start.min(text.len()));
    let end = floor_boundary(text, span.end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let place = Place {
        text,
        start,
        end,
        line_start,
        line_end,
        line: &text[line_start..line_end],
    };
    let message = e.message().trim();
    let mistake = full_width(&place)
        .or_else(|| duplicate(&place, message))
        .or_else(|| value_mistake(&place, message))
        .or_else(|| unclosed(&place, message))
        .unwrap_or_else(|| Mistake {
            message: message.to_string(),
            at: (start, end),
            hint: generic_hint(&place, message),
        });
    Diagnostic::new(format!("invalid TOML: {}", mistake.message))
        .at(sources.locate(mistake.at.0 + base..mistake.at.1 + base))
        .with_hint(mistake.hint)
}

/// Full-width punctuation outside quoted text.
fn full_width(p: &Place<'_>) -> Option<Mistake> {
    let mut in_string = None;
    for (i, c) in p.line.char_indices() {
        match (in_string, c) {
            (None, '"' | '\'') => in_string = Some(c),
            (Some(q), c) if c == q => in_string = None,
            (None, c) => {
                if let Some(ascii) = half_width(c) {
                    let at = p.line_start + i;
                    return Mistake::new(
                        format!("full-width character `{c}` where TOML expects `{ascii}`"),
                        (at, at + c.len_utf8()),
                        format!("TOML numbers and punctuation are ASCII: replace `{c}` with `{ascii}` (switch the input method to half-width/半角 for digits, signs, quotes, =, commas and brackets)"),
                    );
                }
            }
            _ => {}
        }
    }
    None
}

/// A key or table given twice.
fn duplicate(p: &Place<'_>, message: &str) -> Option<Mistake> {
    if !message.starts_with("duplicate key") {
        return None;
    }
    let (m, h) = duplicate_key(p.text, p.start, p.end, p.line_start, p.line).unwrap_or_else(|| {
        (
            "duplicate key".into(),
            "each key may appear once per table; delete or rename one".into(),
        )
    });
    Mistake::new(m, (p.start, p.end), h)
}

/// A mistake in the value of a `key = value` line, when the error lies in it: a
/// percent sign, a decimal comma, a bare word…
fn value_mistake(p: &Place<'_>, message: &str) -> Option<Mistake> {
    let v = p
        .line
        .find('=')
        .map(|i| p.line_start + i + 1)
        .filter(|&v| p.start >= v)?;
    let text = p.text;
    let raw = text[v..p.line_end].split('#').next().unwrap_or("").trim();
    let key = p.line[..v - p.line_start - 1].trim();
    let value_start = v + text[v..].len() - text[v..].trim_start().len();
    let at = (value_start, value_start + raw.len());
    if raw.is_empty() {
        return None;
    }
    let first = raw.chars().next().unwrap_or(' ');
    let number_like = first.is_ascii_digit() || matches!(first, '+' | '-' | '.');
    if let Some(num) = raw
        .strip_suffix('%')
        .filter(|n| n.trim().parse::<f64>().is_ok())
    {
        let n: f64 = num.trim().parse().unwrap_or(0.0);
        return Mistake::new(
            format!("`{raw}`: numbers cannot carry a % sign"),
            at,
            format!("write a plain number: rates are fractions ({key} = {} for {raw}), while target values in percent are written without the sign ({key} = {num})", n / 100.0),
        );
    }
    if number_like && raw.contains(',') && !raw.starts_with('[') {
        let fixed = if raw
            .split(',')
            .skip(1)
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
        {
            raw.replace(',', "")
        } else {
            raw.replacen(',', ".", 1)
        };
        return Mistake::new(
            format!("`{raw}` is not a number"),
            at,
            format!("numbers use a decimal point and no thousands separator: {key} = {fixed}"),
        );
    }
    if let Some(rest) = raw
        .strip_prefix('.')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Mistake::new(
            format!("`{raw}` needs a digit before the decimal point"),
            at,
            format!("write {key} = 0.{rest}"),
        );
    }
    if number_like && raw.ends_with('.') {
        return Mistake::new(
            format!("`{raw}` needs a digit after the decimal point"),
            at,
            format!("write {key} = {raw}0"),
        );
    }
    if message.contains("leading zero") {
        return Mistake::new(
            format!("`{raw}`: numbers cannot start with 0"),
            at,
            format!("write {key} = {}", raw.trim_start_matches('0')),
        );
    }
    if matches!(raw.to_lowercase().as_str(), "true" | "false") && raw != "true" && raw != "false" {
        return Mistake::new(
            format!("`{raw}` is not a value"),
            at,
            format!(
                "true and false are written in lower case: {key} = {}",
                raw.to_lowercase()
            ),
        );
    }
    let bare = raw
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '@' | ' '))
        && !number_like;
    if bare {
        return Mistake::new(
            format!("`{raw}` is not a value: text must be in double quotes"),
            at,
            format!("write {key} = \"{raw}\""),
        );
    }
    None
}

/// A list or inline table left open: pointed at where it opens.
fn unclosed(p: &Place<'_>, message: &str) -> Option<Mistake> {
    if !(message.contains("missing comma")
        || message.starts_with("unclosed array,")
        || message.starts_with("unclosed inline table"))
    {
        return None;
    }
    let (open, bracket) = unclosed_bracket(p.text, p.start)?;
    let (what, close) = if bracket == '[' {
        ("list", ']')
    } else {
        ("inline table", '}')
    };
    let open_line = p.text[..open].matches('\n').count() + 1;
    let found_line = p.text[..p.start].matches('\n').count() + 1;
    let found = p.line.trim();
    let hint = if bracket == '{' {
        format!("add the closing `}}` at the end of line {open_line}: an inline table must fit on one line")
    } else if found_line > open_line && !found.is_empty() {
        format!("add the closing `]` where the list ends; TOML read on to line {found_line} (`{}`) before the closing `]`", cut(found, 40))
    } else {
        "add the closing `]` where the list ends".to_string()
    };
    Mistake::new(
        format!("the {what} `{bracket}` opened here is not closed (no `{close}`)"),
        (open, open + 1),
        hint,
    )
}

/// What to do about a syntax error that is none of the common mistakes.
fn generic_hint(p: &Place<'_>, message: &str) -> String {
    if message.contains("basic string") || message.contains("literal string") {
        "the closing quote is missing: text must end on the same line with `\"` (for long text use \"\"\"…\"\"\")".to_string()
    } else if message.contains("missing comma") && p.text[p.line_start..p.start].trim().is_empty() {
        "a list or inline table is still open from an earlier line: is a `]` or `}` missing there?"
            .to_string()
    } else if message.contains("missing comma") {
        "separate the entries of a list with commas: [0.3, 0.25, 0.2]".to_string()
    } else if message.contains("unclosed table") || message.contains("unclosed array table") {
        "table headers look like [scenario], [params.g_steel] or [[sectors]], on a line of their own".to_string()
    } else if message.contains("unclosed array") {
        "close the list with `]`".to_string()
    } else if message.contains("unclosed inline table") {
        "close the inline table with `}`; an inline table must fit on one line".to_string()
    } else if message.contains("key with no value") {
        "every setting is written `key = value`, one per line".to_string()
    } else if message.contains("expected newline") {
        "put one `key = value` per line; text with spaces must be in double quotes".to_string()
    } else if message.contains("invalid date") || message.contains("invalid time") {
        "years are plain numbers (base_year = 2010); a range of years is not a value here"
            .to_string()
    } else if message.contains("recursion") {
        "lists and tables are nested too deeply".to_string()
    } else {
        "see docs/scenario-format.md for the file format".to_string()
    }
}

/// Delimiters of multi-line strings.
const TRIPLE_DOUBLE: &str = "\"\"\"";
const TRIPLE_SINGLE: &str = "\x27\x27\x27";

/// The first `[` or `{` of a value still open at `end`, skipping strings and comments.
fn unclosed_bracket(text: &str, end: usize) -> Option<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'"' | b'\'') => {
                let triple = text[i..].starts_with(if q == b'"' {
                    TRIPLE_DOUBLE
                } else {
                    TRIPLE_SINGLE
                });
                let close = if triple {
                    &text[i..i + 3]
                } else {
                    &text[i..i + 1]
                };
                let from = i + close.len();
                // A single-line string that is not closed on its line ends at the line end.
                let stop = if triple {
                    text.len()
                } else {
                    text[from..].find('\n').map_or(text.len(), |j| from + j)
                };
                let mut j = from;
                loop {
                    match text[j..stop].find(close) {
                        Some(k) if q == b'"' && !triple && k > 0 && bytes[j + k - 1] == b'\\' => {
                            j += k + 1
                        }
                        Some(k) => {
                            i = j + k + close.len();
                            break;
                        }
                        None => {
                            i = stop;
                            break;
                        }
                    }
                }
                continue;
            }
            b'[' | b'{' => stack.push((i, bytes[i] as char)),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.first().copied()
}

/// At most `max` characters of `s`, with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).chain(std::iter::once('…')).collect()
    }
}

/// Message and hint for a duplicate key or table at `start..end`, naming the line of the
/// first definition where it can be found.
fn duplicate_key(
    text: &str,
    start: usize,
    end: usize,
    line_start: usize,
    line: &str,
) -> Option<(String, String)> {
    let key = text.get(start..end)?.trim_matches(['"', '\'']);
    let line_no = |offset: usize| text[..offset].matches('\n').count() + 1;
    let lines: Vec<(usize, &str)> = text[..line_start]
        .split_inclusive('\n')
        .scan(0, |off, l| {
            let here = *off;
            *off += l.len();
            Some((here, l.trim()))
        })
        .collect();
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        let header = squash(trimmed.split('#').next().unwrap_or(trimmed));
        let name = header.trim_matches(['[', ']']).to_string();
        let single = format!("[{name}]");
        let double = format!("[[{name}]]");
        let earlier = |h: &str| {
            lines
                .iter()
                .find(|(_, l)| squash(l.split('#').next().unwrap_or(l)) == h)
                .map(|(o, _)| line_no(*o))
        };
        if header == single {
            if let Some(n) = earlier(&double) {
                return Some((
                    format!(
                        "[{name}] conflicts with the list of [[{name}]] tables started at line {n}"
                    ),
                    format!("write [[{name}]] (double brackets) to add one more item to the list"),
                ));
            }
            if let Some(n) = earlier(&single) {
                return Some((format!("table [{name}] is defined twice (first at line {n})"), format!("merge the two [{name}] tables into one; for a list of items use [[{name}]]")));
            }
            return Some((
                format!("table [{name}] is defined twice"),
                "each table may be defined once; merge the two".into(),
            ));
        }
        if let Some(n) = earlier(&single) {
            return Some((format!("[[{name}]] conflicts with the single table [{name}] at line {n}"), format!("for a list of items write [[{name}]] at line {n} too; for one table write [{name}] here")));
        }
        return Some((
            format!("[[{name}]] conflicts with the key `{key}` set earlier"),
            format!("`{name}` is set both as a value and as a list of tables; keep one"),
        ));
    }
    // A plain key: look for its first definition in the same table.
    let section = lines
        .iter()
        .rposition(|(_, l)| l.starts_with('['))
        .map_or(0, |i| i + 1);
    let first = lines[section..]
        .iter()
        .find(|(_, l)| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        })
        .map(|(o, _)| line_no(*o));
    Some(match first {
        Some(n) => (format!("key `{key}` is set twice in the same table (first at line {n})"), "delete one of the two lines".into()),
        None => (format!("key `{key}` is set twice"), format!("`{key}` is already defined in this table, perhaps by a [table] header or a dotted key; keep one")),
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
