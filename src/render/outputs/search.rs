//! `search/`: a page that searches every article and every entity, and the index it searches,
//! which Pagefind makes under `pagefind/` (its script, its interface and its Arabic stemmer
//! come with the crate: nothing is fetched). Any static host serves it; where the index
//! cannot load (no JavaScript, a page opened from disk) the page offers the indexes instead.
//!
//! The index is made whole, once per render, from a record per article and per entity, and
//! again only when a record changes; its files are named by their contents, so they are
//! this item's pages only once it is made. An archive whose templates folder has no
//! `search.html` (made before it existed), or whose site.toml says `[search] enabled =
//! false`, goes without.
//!
//! Pagefind stems Arabic but does not fold it: «دير الزور», «ديرالزور» and «بدير الزور» are
//! different words to it, and so are ى and ي, ة and ه. Each record therefore also holds,
//! where search sees it but results do not show it, the spellings of every named entity it
//! is about (each name and alias, as written, folded, without spaces, and after each
//! proclitic), so that any such spelling finds the entity and the articles that name it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::{article, article_list, entity, Output};
use crate::arabic::{clitics, fold, format};
use crate::domain::{EntityKey, EntityRef, Mention};
use crate::error::{Error, Result};
use crate::render::html::escape;
use crate::render::route::Route;
use crate::render::site::{CountedKind, Site};
use crate::render::view::{digest, View};

pub struct Search;

const TEMPLATE: &str = "search.html";

/// Where Pagefind's files go, under the site's root.
const BUNDLE: &str = "pagefind";

/// The search page, or one file of the index (by its place in the [`Bundle`]). Each page
/// holds the index it is of: it is made once for all of them.
pub enum Page {
    Form(Arc<Bundle>),
    File(Arc<Bundle>, usize),
}

/// Whether the site has a search page (and its index).
pub fn has_page(site: &Site) -> bool {
    site.config.search.enabled && site.has_template(TEMPLATE)
}

/// Where the search page is.
pub fn route() -> Route {
    Route::folder(&["search"])
}

/// Files Pagefind makes for other interfaces than the one the search page uses (a third
/// of a megabyte).
const UNUSED: [&str; 3] = ["pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight."];

/// The index's files, by path under [`BUNDLE`], or why it could not be made.
type Bundle = std::result::Result<Vec<(String, Vec<u8>)>, String>;

/// A page Pagefind indexes: where results link to (relative to the site's root), and the
/// HTML it reads.
#[derive(Hash)]
struct Record {
    url: String,
    html: String,
}

/// The names filters go by, as the search page shows them.
const FILTER_TYPE: &str = "النوع";
const FILTER_SOURCE: &str = "المصدر";
const ARTICLE: &str = "مقالة";

impl Output for Search {
    type Page = Page;

    fn pages(&self, site: &Site) -> Vec<Page> {
        if !has_page(site) {
            return Vec::new();
        }
        let bundle = bundle(site);
        let files = (*bundle).as_ref().map_or(0, Vec::len);
        let mut pages = Vec::with_capacity(files + 1);
        pages.push(Page::Form(Arc::clone(&bundle)));
        pages.extend((0..files).map(|i| Page::File(Arc::clone(&bundle), i)));
        pages
    }

    fn route(&self, _: &Site, page: &Page) -> Route {
        match page {
            Page::File(bundle, i) => match bundle.as_ref() {
                Ok(files) => Route::file(&format!("{BUNDLE}/{}", files[*i].0)),
                // Pages of files are only made of an index that was made.
                Err(_) => route(),
            },
            Page::Form(_) => route(),
        }
    }

    fn view<'s>(&self, site: &'s Site, page: &Page, view: &mut View<'s>) -> Result<()> {
        match page {
            Page::Form(bundle) => {
                if let Err(message) = bundle.as_ref() {
                    return Err(Error::Search { message: message.clone() });
                }
                let kinds: Vec<CountedKind> = site.kinds().into_iter().map(|k| site.counted_kind(k)).collect();
                view.insert("kinds", &kinds);
                view.insert("article_count", &site.articles.len());
                view.insert("articles_url", &site.href(&article_list::route()));
                // A prefix for the index's files, not a page: no `index.html` after it.
                view.insert("bundle_url", &Route::folder(&[BUNDLE]).href(""));
                view.template(TEMPLATE);
            }
            Page::File(bundle, i) => {
                if let Ok(files) = bundle.as_ref() {
                    view.bytes(files[*i].1.clone());
                }
            }
        }
        Ok(())
    }
}

/// The index of `site`: the one made last when its records are the same.
fn bundle(site: &Site) -> Arc<Bundle> {
    let records = records(site);
    let key = digest(&(&records, &site.config.lang));
    site.cache.whole_or(key, || index(&records, &site.config.lang))
}

/// Makes the index of `records` with Pagefind, in `lang`.
fn index(records: &[Record], lang: &str) -> Bundle {
    // Pagefind is async; it needs a runtime only to hand each record to a blocking thread.
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let made = runtime.block_on(async {
        let options = PagefindServiceConfig::builder().force_language(lang.to_string()).build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for record in records {
            index
                .add_html_file(None, Some(record.url.clone()), record.html.clone())
                .await
                .map_err(|e| e.to_string())?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .filter(|(path, _)| !UNUSED.iter().any(|unused| path.starts_with(unused)))
            .collect();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    });
    // Its idle blocking thread would otherwise be waited for, for its keep-alive (10 s).
    runtime.shutdown_background();
    made
}

/// A record per article, then per entity with a page.
fn records(site: &Site) -> Vec<Record> {
    let spellings = spellings(site);
    let articles = (0..site.articles.len()).into_par_iter().map(|a| article_record(site, a, &spellings));
    let entities = site.index.entities.par_iter().map(|(key, _)| entity_record(site, key, &spellings));
    articles.chain(entities).collect()
}

fn article_record(site: &Site, a: usize, spellings: &BTreeMap<EntityRef<'_>, String>) -> Record {
    let annotated = &site.articles[a];
    let article = &annotated.article;
    let meta = &article.meta;
    let mut html = format!("<html lang=\"{}\"><body>", escape(&site.config.lang));
    let _ = write!(html, "<h1>{}</h1>", escape(&annotated.title));
    let _ = write!(html, "<span data-pagefind-filter=\"{FILTER_TYPE}:{ARTICLE}\"></span>");
    if let Some(source) = &meta.source {
        let source = escape(source);
        let _ = write!(
            html,
            "<span data-pagefind-filter=\"{FILTER_SOURCE}:{source}\" data-pagefind-meta=\"source:{source}\"></span>"
        );
    }
    if let Some(date) = meta.date {
        let _ = write!(
            html,
            "<span data-pagefind-meta=\"date:{}\" data-pagefind-sort=\"date:{date}\"></span>",
            escape(&format::date(date.into()))
        );
    }
    let title = annotated.cleaned.title.as_ref().map(|t| t.range.clone());
    for prose in &annotated.cleaned.prose {
        if title.as_ref().is_some_and(|t| t.start <= prose.start && prose.end <= t.end) {
            continue;
        }
        let _ = write!(html, "<p>{}</p>", escape(&article.text[prose.clone()]));
    }
    let named: BTreeSet<EntityRef> =
        annotated.mentions.iter().filter(|m| m.has_page() && m.kind.is_named()).map(Mention::key).collect();
    let hidden: Vec<&str> = named.iter().filter_map(|key| spellings.get(key)).map(String::as_str).collect();
    hidden_spellings(&mut html, &hidden);
    html.push_str("</body></html>");
    // Links as every page writes them, from the root the search page gives Pagefind.
    Record { url: site.href(&article::route(&article.slug)), html }
}

fn entity_record(site: &Site, key: &EntityKey, spellings: &BTreeMap<EntityRef<'_>, String>) -> Record {
    let entry = site.gazetteer_entry(key);
    let label = key.kind.label();
    let mut html = format!("<html lang=\"{}\"><body>", escape(&site.config.lang));
    let _ = write!(html, "<h1>{}</h1>", escape(&site.entity_name(key)));
    let _ = write!(
        html,
        "<span data-pagefind-filter=\"{FILTER_TYPE}:{label}\" data-pagefind-meta=\"kind:{label}\"></span>"
    );
    let _ = write!(html, "<p>{label}</p>");
    if let Some(entry) = entry {
        for text in entry.name_en.iter().chain(&entry.description) {
            let _ = write!(html, "<p>{}</p>", escape(text));
        }
        if !entry.aliases.is_empty() {
            let _ = write!(html, "<p>{}</p>", escape(&entry.aliases.join("، ")));
        }
    }
    hidden_spellings(&mut html, spellings.get(&key.borrowed()).map(String::as_str).as_slice());
    html.push_str("</body></html>");
    Record { url: site.href(&entity::route(key)), html }
}

/// Spellings searched but never shown: Pagefind indexes the metadata of a record, and
/// shows only what a result names.
fn hidden_spellings(html: &mut String, spellings: &[&str]) {
    if !spellings.is_empty() {
        let _ = write!(html, "<span data-pagefind-meta=\"spellings:{}\"></span>", escape(&spellings.join(" ")));
    }
}

/// For each named entity with a page, every spelling of it that search should find, in one
/// string: its name, aliases and the spellings the archive uses, as written and folded,
/// folded without spaces, and after each proclitic.
fn spellings<'s>(site: &'s Site) -> BTreeMap<EntityRef<'s>, String> {
    site.index
        .entities
        .par_iter()
        .filter(|(key, _)| key.kind.is_named())
        .map(|(key, index)| {
            let entry = site.gazetteer_entry(key);
            let name = site.entity_name(key);
            let aliases = entry.into_iter().flat_map(|e| &e.aliases).map(String::as_str);
            let seen = index.spellings.iter().map(|(s, _)| s.as_str());
            let mut all = BTreeSet::new();
            for written in std::iter::once(name.as_str()).chain(aliases).chain(seen) {
                let folded = fold::single_spaced(&fold::fold(written));
                let joined = folded.replace(' ', "");
                for form in [&folded, &joined] {
                    all.extend(clitics::LETTERS.iter().map(|&c| after_proclitic(c, form)));
                }
                all.insert(fold::single_spaced(written));
                all.insert(joined);
                all.insert(folded);
            }
            (key.borrowed(), all.into_iter().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// `word` (folded) written after the proclitic `letter`: ل takes the article's alef
/// (ل + الزور = للزور).
fn after_proclitic(letter: char, word: &str) -> String {
    match (letter, word.strip_prefix('ا')) {
        ('ل', Some(rest)) if rest.starts_with('ل') => format!("ل{rest}"),
        _ => format!("{letter}{word}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proclitic_is_written_as_arabic_joins_it() {
        assert_eq!(after_proclitic('ب', "دير الزور"), "بدير الزور");
        assert_eq!(after_proclitic('ل', "البوكمال"), "للبوكمال");
        assert_eq!(after_proclitic('ب', "البوكمال"), "بالبوكمال");
        assert_eq!(after_proclitic('ل', "امريكا"), "لامريكا");
    }
}
