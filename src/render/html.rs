//! Small HTML helpers shared by the body renderer and the templates: escaping, and
//! isolating left-to-right runs inside right-to-left text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Escapes the five characters that matter in HTML text and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Latin letters and digits, with the punctuation that holds them together ("F-35",
/// "2021/02/26", "The Voice").
static LATIN_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Latin}0-9](?:[\p{Latin}0-9 .,:/\-+%'&_]*[\p{Latin}0-9%])?").expect("latin run pattern")
});

/// The runs of `text` to isolate with `<bdi>` so they keep their order in Arabic text.
pub fn latin_runs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    LATIN_RUN.find_iter(text).map(|m| m.range())
}

/// `text` escaped, with its Latin-script runs and numbers in `<bdi>`.
pub fn isolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for run in latin_runs(text) {
        out.push_str(&escape(&text[last..run.start]));
        out.push_str("<bdi>");
        out.push_str(&escape(&text[run.clone()]));
        out.push_str("</bdi>");
        last = run.end;
    }
    out.push_str(&escape(&text[last..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_slashes() {
        assert_eq!(escape(r#"<a href="/x">'&'</a>"#), "&lt;a href=&quot;/x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn isolates_latin_and_numbers() {
        assert_eq!(isolate("طائرات إف-35 الأمريكية/ بلومبيرغ"), "طائرات إف-<bdi>35</bdi> الأمريكية/ بلومبيرغ");
        assert_eq!(
            isolate("تم النشر: 2021/02/26 الساعة 13:55"),
            "تم النشر: <bdi>2021/02/26</bdi> الساعة <bdi>13:55</bdi>"
        );
        assert_eq!(isolate("برنامج The Voice <ب>"), "برنامج <bdi>The Voice</bdi> &lt;ب&gt;");
    }
}
