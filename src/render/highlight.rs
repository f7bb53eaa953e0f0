//! Code blocks through syntect, as CSS classes (no inline styles), with the pure-Rust
//! regex engine. The syntax set loads once, and only when a page has code.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Classes are prefixed so they never clash with the site's own CSS.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights code blocks with syntect's bundled syntaxes, loaded on first use.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    /// `code` as HTML spans, or `None` when no syntax knows `lang` (the caller escapes it).
    pub(crate) fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            html.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(html.finalize())
    }
}

/// The stylesheet for a bundled theme, or `None` if there is no such theme.
pub fn theme_css(theme: &str) -> Option<String> {
    let themes = ThemeSet::load_defaults();
    css_for_theme_with_class_style(themes.themes.get(theme)?, CLASS_STYLE).ok()
}

/// Names of the bundled themes, for the error message when site.toml names another.
pub fn theme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let html = Highlighter::default().highlight("rust", "fn main() {}\n").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(Highlighter::default().highlight("no-such-language", "x").is_none());
    }

    #[test]
    fn theme_css_uses_the_prefix() {
        let css = theme_css("InspiredGitHub").unwrap();
        assert!(css.contains(".hl-"));
        assert!(theme_css("nope").is_none());
        assert!(theme_names().contains(&"InspiredGitHub".to_string()));
    }
}
