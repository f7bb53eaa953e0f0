//! `search/`: a page that searches every article and every entity, and the index it searches,
//! which Pagefind makes under `pagefind/` (its script, its interface and its Arabic stemmer
//! come with the crate: nothing is fetched). Any static host serves it; where the index
//! cannot load (no JavaScript, a page opened from disk) the page offers the indexes instead.
//!
//! The index is made in shards (see [`Index`]), once per render, from a record per article
//! and per entity, and a shard again only when one of its records changes; its files are
//! named by their contents, so they are this item's pages only once it is made. While
//! serving, an edit's pages do not wait for it: they are written with the index made before,
//! and the new one when it is made (see [`crate::render::Cache::whole`]). An archive
//! whose templates folder has no `search.html` (made before it existed), or whose site.toml
//! says `[search] enabled = false`, goes without.
//!
//! Pagefind stems Arabic but does not fold it: «دير الزور», «ديرالزور» and «بدير الزور» are
//! different words to it, and so are ى and ي, ة and ه. Each record therefore also holds,
//! where search sees it but results do not show it, the spellings of every named entity it
//! is about (each name and alias, as written, folded, and folded without spaces), so that
//! any such spelling finds the entity and the articles that name it. A proclitic needs no
//! spelling of its own: Pagefind's stemmer takes «بدير» to «دير», in the index and in the
//! query alike (tests/outputs.rs searches «بدير الزور», which no seed writes).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::{article, article_list, entity, Output};
use crate::arabic::{fold, format};
use crate::domain::{Annotated, EntityKey, EntityRef, Mention};
use crate::error::{Error, Result};
use crate::render::html::escape;
use crate::render::route::Route;
use crate::render::site::{CountedKind, Site};
use crate::render::view::{digest, View};

pub struct Search;

const TEMPLATE: &str = "search.html";

/// Where Pagefind's files go, under the site's root.
const BUNDLE: &str = "pagefind";

/// The search page, or one file of one shard of the index. Each page holds the index it
/// is of: it is made once for all of them.
pub enum Page {
    Form(Arc<Index>),
    File(Arc<Shard>, usize),
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

/// Files only the first shard needs: the script and interface that search all of them.
const FIRST_ONLY: [&str; 3] = ["pagefind.js", "pagefind-worker.js", "pagefind-ui."];

/// The index: shards, each a Pagefind index of its own over some of the records, about
/// `[search] shard_pages` each (10,000). Pagefind holds a whole index in memory while it
/// makes it, and makes it on one thread. In shards an archive of any size is indexed in
/// bounded memory, as many shards at a time as there are cores, and an edit makes again
/// only the shard of the records it changed. The search page searches them all
/// (Pagefind's `mergeIndex`); each costs it a download of the stemmer (60 KB), which is
/// why they are not smaller.
pub struct Index {
    shards: Vec<Arc<Shard>>,
}

/// A shard: the digest of what it is made from, and its files by path under its folder
/// (or why they could not be made).
pub struct Shard {
    key: u64,
    folder: Route,
    files: std::result::Result<Vec<(String, Vec<u8>)>, String>,
}

/// A page Pagefind indexes: where results link to (relative to the site's root), and the
/// HTML it reads.
#[derive(Hash)]
struct Record {
    url: String,
    html: Arc<str>,
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
        let index = index(site);
        let mut pages = Vec::new();
        for shard in &index.shards {
            let files = shard.files.as_ref().map_or(0, Vec::len);
            pages.extend((0..files).map(|i| Page::File(Arc::clone(shard), i)));
        }
        pages.push(Page::Form(index));
        pages
    }

    fn route(&self, _: &Site, page: &Page) -> Route {
        match page {
            Page::File(shard, i) => match &shard.files {
                Ok(files) => shard.folder.file_in(&files[*i].0),
                // Pages of files are only made of a shard that was made.
                Err(_) => route(),
            },
            Page::Form(_) => route(),
        }
    }

    fn view<'s>(&self, site: &'s Site, page: &Page, view: &mut View<'s>) -> Result<()> {
        match page {
            Page::Form(index) => {
                if let Some(Err(message)) = index.shards.iter().map(|s| &s.files).find(|f| f.is_err()) {
                    return Err(Error::Search { message: message.clone() });
                }
                let kinds: Vec<CountedKind> = site.kinds().into_iter().map(|k| site.counted_kind(k)).collect();
                view.insert("kinds", &kinds);
                view.insert("article_count", &site.articles.len());
                view.insert("articles_url", &site.href(&article_list::route()));
                // Prefixes of the shards' files, not pages: no `index.html` after them.
                let mut folders = index.shards.iter().map(|s| s.folder.href(""));
                view.insert("bundle_url", &folders.next());
                view.insert("merge_urls", &folders.collect::<Vec<_>>());
                view.template(TEMPLATE);
            }
            Page::File(shard, i) => {
                // Digested by its bytes (a new shard keeps most of its files as they were,
                // and those are not written again), but never copied: written from the shard.
                if let Ok(files) = &shard.files {
                    let (kept, i) = (Arc::clone(shard), *i);
                    view.stream(&files[i].1, move |out| match &kept.files {
                        Ok(files) => out.write_all(&files[i].1),
                        Err(_) => Ok(()),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The index of `site`: of the shards made last, those whose records are the same are kept.
/// While serving, an edit that changes records is searched in the index made before it
/// until the new one is made (see [`crate::render::Cache::whole`]).
fn index(site: &Site) -> Arc<Index> {
    let lang = site.config.lang.clone();
    let shards = shards(records(site), site.config.search.shard_pages);
    // A key says which shard it is (its folder; the first holds what the others do not).
    let keys: Vec<u64> = shards.iter().enumerate().map(|(n, records)| digest(&(records, &lang, n))).collect();
    site.cache.whole(digest(&keys), move |kept: Option<Arc<Index>>| {
        let kept: HashMap<u64, Arc<Shard>> = kept
            .iter()
            .flat_map(|k| &k.shards)
            .filter(|s| keys.contains(&s.key))
            .map(|s| (s.key, Arc::clone(s)))
            .collect();
        let shards = shards
            .into_par_iter()
            .zip(keys.par_iter())
            .enumerate()
            .map(|(n, (records, &key))| {
                let folder =
                    if n == 0 { Route::folder(&[BUNDLE]) } else { Route::folder(&[BUNDLE, &(n + 1).to_string()]) };
                let made = || Arc::new(Shard { key, folder: folder.clone(), files: pagefind(&records, &lang, n == 0) });
                kept.get(&key).cloned().unwrap_or_else(made)
            })
            .collect();
        Arc::new(Index { shards })
    })
}

/// `records` in shards of about `size`, each record in the shard its link's digest picks:
/// an edit moves no other record from its shard.
fn shards(records: Vec<Record>, size: usize) -> Vec<Vec<Record>> {
    let count = records.len().div_ceil(size.max(1)).max(1);
    let mut shards: Vec<Vec<Record>> = (0..count).map(|_| Vec::new()).collect();
    for record in records {
        // The remainder is below `count`, a usize.
        shards[(digest(&record.url) % count as u64) as usize].push(record);
    }
    shards
}

/// Makes a Pagefind index of `records`, in `lang`; the `first` holds the script and the
/// interface.
fn pagefind(records: &[Record], lang: &str, first: bool) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    // Pagefind is async; it needs a runtime only to hand each record to a blocking thread.
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let made = runtime.block_on(async {
        let options = PagefindServiceConfig::builder().force_language(lang.to_string()).build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for record in records {
            index
                .add_html_file(None, Some(record.url.clone()), record.html.to_string())
                .await
                .map_err(|e| e.to_string())?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let unused = |path: &str| {
            UNUSED.iter().chain(if first { &[][..] } else { &FIRST_ONLY[..] }).any(|unused| path.starts_with(unused))
        };
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .filter(|(path, _)| !unused(path))
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

/// An article's record. Escaping every article's text takes most of the time of an edit's
/// render at 10,000 articles: while serving, a record is kept by the article's stamp and
/// the spellings it holds (its cleaned text is made from the stamped text by rules an edit
/// never changes), and made again only when they change.
fn article_record(site: &Site, a: usize, spellings: &Spellings<'_>) -> Record {
    let annotated = &site.articles[a];
    let named: BTreeSet<EntityRef> =
        annotated.mentions.iter().filter(|m| m.has_page() && m.kind.is_named()).map(Mention::key).collect();
    let words: BTreeSet<&String> = named.iter().filter_map(|key| spellings.get(key)).flatten().collect();
    let key = digest(&(annotated.stamp, &site.config.lang, &words));
    let html = site.cache.get_or(key, || article_html(site, annotated, words));
    // Links as every page writes them, from the root the search page gives Pagefind.
    Record { url: site.href(&article::route(&annotated.article.slug)), html }
}

fn article_html(site: &Site, annotated: &Annotated, words: BTreeSet<&String>) -> String {
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
    hidden_spellings(&mut html, words);
    html.push_str("</body></html>");
    html
}

fn entity_record(site: &Site, key: &EntityKey, spellings: &Spellings<'_>) -> Record {
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
    hidden_spellings(&mut html, spellings.get(&key.borrowed()).into_iter().flatten().collect());
    html.push_str("</body></html>");
    Record { url: site.href(&entity::route(key)), html: Arc::from(html) }
}

/// Spellings searched but never shown: Pagefind indexes the metadata of a record, and
/// shows only what a result names.
/// Each word once: search matches words, wherever they are in a record, so a name's words
/// need not be kept together or repeated for each name that has them.
fn hidden_spellings(html: &mut String, words: BTreeSet<&String>) {
    if !words.is_empty() {
        let words: Vec<&str> = words.into_iter().map(String::as_str).collect();
        let _ = write!(html, "<span data-pagefind-meta=\"spellings:{}\"></span>", escape(&words.join(" ")));
    }
}

/// For each named entity with a page, the words of every spelling of it that search should
/// find: its name, aliases and the spellings the archive uses, as written, folded, and
/// folded without spaces.
type Spellings<'s> = BTreeMap<EntityRef<'s>, BTreeSet<String>>;

fn spellings<'s>(site: &'s Site) -> Spellings<'s> {
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
                for form in [written, &folded, &joined] {
                    all.extend(form.split_whitespace().map(str::to_string));
                }
            }
            (key.borrowed(), all)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(urls: std::ops::Range<usize>) -> Vec<Record> {
        urls.map(|n| Record { url: format!("articles/{n}/index.html"), html: Arc::from("") }).collect()
    }

    fn shard_of(shards: &[Vec<Record>]) -> HashMap<String, usize> {
        shards.iter().enumerate().flat_map(|(n, s)| s.iter().map(move |r| (r.url.clone(), n))).collect()
    }

    #[test]
    fn records_split_into_shards_of_about_the_size_asked_and_an_edit_moves_no_other() {
        let shards = shards(records(0..1000), 300);
        assert_eq!(shards.len(), 4);
        assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), 1000);
        assert!(
            shards.iter().all(|s| (150..=350).contains(&s.len())),
            "{:?}",
            shards.iter().map(Vec::len).collect::<Vec<_>>()
        );
        // One record fewer: every other stays where it was.
        let (before, after) = (shard_of(&shards), shard_of(&super::shards(records(1..1000), 300)));
        assert!(after.iter().all(|(url, n)| before[url] == *n));
        // Nothing to index is still one shard, and a size of 0 is taken as 1.
        assert_eq!(super::shards(Vec::new(), 300).len(), 1);
        assert_eq!(super::shards(records(0..3), 0).len(), 3);
    }
}
