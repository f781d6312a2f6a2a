//! Plain-text tables for the terminal, aligned by display width (CJK counts double).

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Terminal columns a string occupies.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2010..=0x2027) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Truncates to at most `max` display columns, marking the cut with `…`.
pub fn cut(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let n = self.header.len();
        let widths: Vec<usize> = (0..n)
            .map(|i| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| r.get(i).map_or(0, |c| width(c)))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |r: &Vec<String>| -> String {
            let mut s = String::new();
            for (i, w) in widths.iter().enumerate() {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                s.push_str(c);
                if i + 1 < n {
                    s.push_str(&" ".repeat(w - width(c) + 2));
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.header);
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["钢铁".into(), "x".into()]);
        t.row(vec!["ab".into(), "y".into()]);
        assert_eq!(t.render(), "a     b\n钢铁  x\nab    y\n");
        assert_eq!(cut("abcdef", 4), "abc…");
    }
}
