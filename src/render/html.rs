//! Small HTML helpers shared by the body renderer and the templates: escaping, and
//! isolating left-to-right runs inside right-to-left text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Escapes the five characters that matter in HTML text and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appending to `out`. The five characters are ASCII, so the text between them
/// is copied whole (Arabic text seldom holds any).
fn escape_into(out: &mut String, s: &str) {
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
}

/// Text for XML 1.0 (feeds): escaped, without the characters XML cannot hold at all
/// (C0 controls but tab and line breaks, U+FFFE, U+FFFF), which a scraped text may have.
pub fn xml_escape(s: &str) -> String {
    let allowed =
        |c: char| !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if s.chars().all(allowed) {
        escape(s)
    } else {
        escape(&s.chars().filter(|&c| allowed(c)).collect::<String>())
    }
}

/// `value` as JSON to put inside a `<script>` element: every `<` written `\u003c`, so that
/// no text in it can close the element or open a comment. `<` is only ever inside strings.
pub fn script_json(value: &impl serde::Serialize) -> String {
    // Only strings, numbers, lists and structs with string keys: nothing that can fail.
    serde_json::to_string(value).unwrap_or_default().replace('<', "\\u003c")
}

/// Whether `url` may become a link: relative, or http, https or mailto. Browsers ignore
/// whitespace and control characters inside a scheme ("java\tscript:"), so this does too.
pub fn is_safe_url(url: &str) -> bool {
    let compact: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    scheme(&compact).is_none_or(|scheme| matches!(scheme, "http" | "https" | "mailto"))
}

/// The scheme `url` names (`https` of `https://…`): what comes before a `:` that no `/`,
/// `?` or `#` precedes. `None` for a relative link (`a/b:c`, `#x:y`).
pub fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    (!url[..colon].contains(['/', '?', '#'])).then(|| &url[..colon])
}

/// Whether `url` is an absolute http or https address (for links to an article's source).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && is_safe_url(url)
}

/// Raw HTML from Markdown, cleaned with an allow-list: formatting and links stay, scripts,
/// event handlers, styles and dangerous URLs go. The attributes this program writes on
/// mentions, code and isolation survive.
pub fn sanitize(fragment: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["bdi", "mark", "figure", "figcaption"])
            .add_generic_attributes(["class", "dir", "lang"])
            .add_tag_attributes("a", ["id", "data-entity", "data-type", "aria-label"])
            .add_tag_attributes("span", ["id", "data-entity", "data-type", "aria-label"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow noopener"));
        builder
    });
    CLEANER.clean(fragment).to_string()
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
    // Most names and titles hold no Latin letter or digit: no need to search them.
    let may_hold_runs = text.chars().any(|c| c.is_ascii_alphanumeric() || ('\u{C0}'..='\u{24F}').contains(&c));
    if !may_hold_runs {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for run in latin_runs(text) {
        escape_into(&mut out, &text[last..run.start]);
        out.push_str("<bdi>");
        escape_into(&mut out, &text[run.clone()]);
        out.push_str("</bdi>");
        last = run.end;
    }
    escape_into(&mut out, &text[last..]);
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
    fn xml_text_leaves_out_what_xml_cannot_hold() {
        assert_eq!(xml_escape("أ\u{1}ب\t<ج>\u{ffff}"), "أب\t&lt;ج&gt;");
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let json = script_json(&serde_json::json!({"headline": "</script><!-- «نص»"}));
        assert!(!json.contains('<'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["headline"], "</script><!-- «نص»");
    }

    #[test]
    fn safe_urls() {
        for ok in [
            "https://example.org/a",
            "http://x",
            "mailto:a@b.c",
            "/entities/place/x/",
            "#m-12",
            "../a",
            "a/b:c",
            "?q=1",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
        assert_eq!(
            (scheme("https://x"), scheme("mailto:a"), scheme("a/b:c"), scheme("#x:y")),
            (Some("https"), Some("mailto"), None, None)
        );
        assert!(is_web_url("https://example.org"));
        assert!(!is_web_url("/local") && !is_web_url("javascript:x"));
    }

    #[test]
    fn sanitize_keeps_formatting_and_mentions_but_not_scripts() {
        let dirty = r#"<p onclick="x()">نص <b>عريض</b><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">رابط</a></p>"#;
        let clean = sanitize(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onerror")
                && !clean.contains("onclick")
                && !clean.contains("javascript"),
            "{clean}"
        );
        assert!(clean.contains("<b>عريض</b>"), "{clean}");
        let mention = r#"<a class="mention mention-place" id="m-1" href="/entities/place/x/" data-entity="x" data-type="place" aria-label="س — مكان">س</a><bdi>35</bdi>"#;
        let kept = sanitize(mention);
        for part in [
            "class=\"mention mention-place\"",
            "id=\"m-1\"",
            "data-entity=\"x\"",
            "data-type=\"place\"",
            "aria-label=",
            "<bdi>35</bdi>",
        ] {
            assert!(kept.contains(part), "{part} in {kept}");
        }
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
