//! `site.toml`: what the site is called, where its inputs are, and the cleaning rules.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};

/// The cleaning rules used when site.toml gives none: web debris seen in scraped Arabic news.
const DEFAULT_CLEAN: &str = include_str!("clean_defaults.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Where the site is published (`https://example.org/archive/`), for the addresses read
    /// away from it: feeds, sitemap, citations. Pages link to each other relatively.
    pub base_url: String,
    /// Link to folders as `articles/x/` rather than `articles/x/index.html`: shorter
    /// addresses on a web server, but a site opened from disk cannot follow them.
    pub folder_links: bool,
    pub lang: String,
    pub dir: String,
    pub content_dir: PathBuf,
    pub gazetteer: PathBuf,
    /// Every country and territory, and their capitals, built in under the gazetteer.
    pub countries: bool,
    pub templates_dir: PathBuf,
    pub static_dir: PathBuf,
    /// Build articles marked `draft = true` too.
    pub drafts: bool,
    /// How dates and counts are written on pages: "latin" (0-9) or "arabic" (٠-٩) digits.
    pub digits: String,
    pub highlight: Highlight,
    pub markdown: MarkdownConfig,
    pub clean: CleanConfig,
    pub home: Home,
    pub paginate: Paginate,
    pub entities: EntityPages,
    pub related: Related,
    pub discovery: Discovery,
    pub search: SearchConfig,
}

/// The search page and its index (`search/`, `pagefind/`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Off: no search page, no index, and a faster build.
    pub enabled: bool,
    /// Pages (articles and entities) an index shard holds, about: fewer use less memory
    /// to build and less time to update after an edit, more make fewer downloads for the
    /// search page.
    pub shard_pages: usize,
}

impl Default for SearchConfig {
    fn default() -> SearchConfig {
        SearchConfig { enabled: true, shard_pages: 10_000 }
    }
}

/// Names the gazetteer lacks, found by the trained tagger.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Discovery {
    /// Off: only the gazetteer and the date and quantity rules recognise anything.
    pub enabled: bool,
    /// Articles a discovered entity must be named in to get a page.
    pub min_articles: usize,
    /// A model of `archive train`, relative to the archive's folder; the built-in one if unset.
    pub model: Option<PathBuf>,
}

impl Default for Discovery {
    fn default() -> Discovery {
        Discovery { enabled: true, min_articles: 2, model: None }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Highlight {
    /// A theme bundled with syntect, turned into CSS classes.
    pub theme: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
}

/// What happens to HTML written inside Markdown articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept through an allow-list: formatting stays, scripts and event handlers go.
    #[default]
    Sanitize,
    /// Shown as text.
    Escape,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Home {
    /// How many of the most mentioned entities of each type the home page lists.
    pub top_entities: usize,
    /// How many of the latest articles the home page lists.
    pub latest_articles: usize,
}

/// How long lists get before they go on to another page: no page grows with the archive.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paginate {
    /// Articles per page of /articles/.
    pub articles: usize,
    /// Entities per page of a type index.
    pub entities: usize,
    /// Articles per page of an entity's timeline.
    pub timeline: usize,
    /// Mentions shown for one article on an entity page; the rest are counted.
    pub mentions_per_article: usize,
}

impl Default for Paginate {
    fn default() -> Paginate {
        Paginate { articles: 100, entities: 300, timeline: 20, mentions_per_article: 25 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityPages {
    /// Words shown either side of a mention when its sentence is longer.
    pub context_words: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Related {
    /// How many related articles an article page lists.
    pub max: usize,
    /// How many articles referring to the same dates an article page lists.
    pub by_date: usize,
}

/// Cleaning rules as written in site.toml: each pattern applies to one line of text.
/// A `[clean]` section replaces the built-in rules as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanConfig {
    /// Lines that are web debris: dropped from the text, listed on the page as removed.
    #[serde(default)]
    pub(crate) drop: Vec<DropRule>,
    /// Lines that are metadata: lifted out of the text into the article's metadata.
    #[serde(default)]
    pub(crate) meta: Vec<MetaRule>,
    /// A line of at most this many words, without sentence punctuation, next to a
    /// timestamp or at the very end of the text is a byline.
    #[serde(default = "default_byline_words")]
    pub(crate) byline_words: usize,
}

fn default_byline_words() -> usize {
    4
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropRule {
    pub name: String,
    pub pattern: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaRule {
    /// Metadata field the line fills: source, published, updated, byline, caption…
    pub field: String,
    /// The value is the named group `value` if the pattern has one, else the whole line.
    pub pattern: Spanned<String>,
}

/// Cleaning rules ready to run.
#[derive(Debug, Clone)]
pub struct CleanRules {
    pub(crate) drop: Vec<(String, Regex)>,
    pub(crate) meta: Vec<(String, Regex)>,
    pub(crate) byline_words: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "أرشيف".into(),
            description: String::new(),
            base_url: "/".into(),
            folder_links: false,
            lang: "ar".into(),
            dir: "rtl".into(),
            content_dir: "seeds".into(),
            gazetteer: "entities.toml".into(),
            countries: true,
            templates_dir: "templates".into(),
            static_dir: "static".into(),
            drafts: false,
            digits: "latin".into(),
            highlight: Highlight::default(),
            markdown: MarkdownConfig::default(),
            clean: CleanConfig::default(),
            home: Home::default(),
            paginate: Paginate::default(),
            entities: EntityPages::default(),
            related: Related::default(),
            discovery: Discovery::default(),
            search: SearchConfig::default(),
        }
    }
}

impl Default for Highlight {
    fn default() -> Highlight {
        Highlight { theme: "InspiredGitHub".into() }
    }
}

impl Default for Home {
    fn default() -> Home {
        Home { top_entities: 8, latest_articles: 20 }
    }
}

impl Default for EntityPages {
    fn default() -> EntityPages {
        EntityPages { context_words: 12 }
    }
}

impl Default for Related {
    fn default() -> Related {
        Related { max: 5, by_date: 10 }
    }
}

impl Default for CleanConfig {
    fn default() -> CleanConfig {
        toml::from_str(DEFAULT_CLEAN).expect("the built-in cleaning rules parse")
    }
}

impl Config {
    /// Reads `site.toml` in `root`; a missing file means every default.
    pub fn load(root: &Path) -> Result<(Config, CleanRules)> {
        if !root.is_dir() {
            let what = if root.exists() { "is a file, not a folder" } else { "does not exist" };
            return Err(Error::input(
                root,
                format!("the archive's folder {what}"),
                "give --root the folder that holds site.toml, or make a new archive with archive init DIR",
            ));
        }
        let shown = Path::new("site.toml");
        let text = match std::fs::read_to_string(root.join(shown)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(shown, "cannot read", e)),
        };
        let config: Config = toml::from_str(&text)
            .map_err(|e| Error::toml(shown, &text, 0, &e, "see the site.toml section of README.md"))?;
        if !matches!(config.digits.as_str(), "latin" | "arabic") {
            return Err(Error::input(
                shown,
                format!("digits = {:?} is not known", config.digits),
                "use \"latin\" or \"arabic\"",
            ));
        }
        let rules = config.clean.compile(shown, &text)?;
        Ok((config, rules))
    }

    /// `base_url` with exactly one trailing slash, so `base + "articles/…"` is a link.
    pub fn base(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

impl CleanConfig {
    /// The rules ready to run; a pattern that does not compile is an error at its place in
    /// `text`, the site.toml at `path`, when it came from there.
    pub fn compile(&self, path: &Path, text: &str) -> Result<CleanRules> {
        let compile = |pattern: &Spanned<String>| {
            Regex::new(pattern.get_ref()).map_err(|e| {
                // Spans point into site.toml only when the rule came from it.
                let message = format!("cleaning pattern does not compile: {e}");
                match text.get(pattern.span()) {
                    Some(_) => Error::at(path, text, pattern.span().start, message, "fix the regular expression"),
                    None => Error::input(path, message, "fix the regular expression"),
                }
            })
        };
        Ok(CleanRules {
            drop: self.drop.iter().map(|r| Ok((r.name.clone(), compile(&r.pattern)?))).collect::<Result<_>>()?,
            meta: self.meta.iter().map(|r| Ok((r.field.clone(), compile(&r.pattern)?))).collect::<Result<_>>()?,
            byline_words: self.byline_words,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_compile() {
        let rules = CleanConfig::default().compile(Path::new("site.toml"), "").unwrap();
        assert!(rules.drop.iter().any(|(name, re)| name == "load more" && re.is_match("تحميل المزيد")));
        assert!(rules.meta.iter().any(|(field, re)| field == "source" && re.is_match("المصدر : الجزيرة + وكالات")));
    }

    #[test]
    fn a_bad_pattern_names_its_line() {
        let text = "[clean]\n[[clean.drop]]\nname = \"x\"\npattern = \"(\"\n";
        let config: Config = toml::from_str(text).unwrap();
        let err = config.clean.compile(Path::new("site.toml"), text).unwrap_err();
        assert!(err.to_string().starts_with("site.toml:4:11: cleaning pattern does not compile"), "{err}");
    }

    #[test]
    fn base_has_one_trailing_slash() {
        let mut config = Config::default();
        assert_eq!(config.base(), "/");
        config.base_url = "https://example.org/archive".into();
        assert_eq!(config.base(), "https://example.org/archive/");
    }
}
