//! The page around the sections: doctype, a Content-Security-Policy that lets the page
//! load nothing at all (no network, no files: only its own inline style and script,
//! pinned by their SHA-256, and data: images), the stylesheet and the script, both
//! compiled into the binary.

use super::escape::Esc;
use super::image::base64;
use crate::chart::Lang;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The stylesheet (screen and print).
pub const CSS: &str = include_str!("report.css");
/// Sorting and filtering of tables.
pub const JS: &str = include_str!("report.js");

/// `'sha256-…'` of a text as CSP wants it.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

/// The whole HTML document around `body` (already escaped markup).
pub fn document(lang: Lang, title: &str, body: &str) -> String {
    let html_lang = match lang {
        Lang::En => "en",
        Lang::Zh | Lang::Both => "zh-Hans",
    };
    let csp = format!(
        "default-src 'none'; img-src data:; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(CSS),
        csp_hash(JS)
    );
    let mut out = String::with_capacity(body.len() + CSS.len() + JS.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"generator\" content=\"planrisk {}\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n{body}<script>{JS}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        Esc(title),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_cannot_end_their_element_early() {
        // The style and script are inlined verbatim: a closing tag inside would end them.
        assert!(!CSS.to_ascii_lowercase().contains("</style"));
        assert!(!JS.to_ascii_lowercase().contains("</script"));
    }

    #[test]
    fn policy_pins_the_inline_assets() {
        let page = document(Lang::Both, "t <x>", "<p>hi</p>\n");
        assert!(page.contains("<title>t &lt;x&gt;</title>"));
        assert!(page.contains(&csp_hash(CSS)) && page.contains(&csp_hash(JS)));
        assert!(page.contains("default-src 'none'"));
        // sha256 of "" is well known: checks the hash and base64 together.
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }
}
