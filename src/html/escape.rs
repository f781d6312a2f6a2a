//! Escaping text for HTML. Everything that comes from a scenario or a results file
//! (names, ids, quotes, sources, paths) goes through [`Esc`] before it reaches the page,
//! in element content and in (always double-quoted) attribute values alike.

use std::collections::HashSet;
use std::fmt;

/// Displays a string with `&`, `<`, `>`, `"` and `'` escaped, safe in element content
/// and in quoted attribute values.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// Hands out element ids (`t-energy_intensity`) for keys such as target ids: the key
/// itself when it is plain ASCII and not yet taken, else `<prefix>-<n>`, so ids are
/// always valid (no spaces), unique and stable for the same input.
#[derive(Default)]
pub struct Anchors {
    used: HashSet<String>,
}

impl Anchors {
    pub fn next(&mut self, prefix: &str, key: &str) -> String {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let mut id = if plain {
            format!("{prefix}-{key}")
        } else {
            format!("{prefix}-{}", self.used.len() + 1)
        };
        let mut k = 2;
        while self.used.contains(&id) {
            id = format!("{prefix}-{}-{k}", if plain { key } else { "x" });
            k += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            Esc(r#"</td><script>alert("x")</script> & 'y'"#).to_string(),
            "&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(Esc("工业「原文」").to_string(), "工业「原文」");
        assert_eq!(Esc("").to_string(), "");
    }

    #[test]
    fn anchors_are_plain_and_unique() {
        let mut a = Anchors::default();
        assert_eq!(a.next("t", "energy_intensity"), "t-energy_intensity");
        assert_eq!(a.next("t", "energy_intensity"), "t-energy_intensity-2");
        let odd = a.next("t", "a b\"<c>");
        assert!(!odd.contains([' ', '"', '<']), "{odd}");
        assert_ne!(odd, a.next("t", "a b\"<c>"));
        assert_eq!(a.next("p", "g"), "p-g");
    }
}
