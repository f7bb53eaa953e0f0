//! The five seed articles, built by the real binary: the traps of shared/seeds/METADATA.md,
//! dates and quantities, the HTML and URL contracts of DESIGN.md section 2, links and
//! back-links, entity pages and indexes, provenance, determinism and data/archive.json.
//!
//! The site is built once per test binary, here, and every module reads the same build. Its
//! files are read into memory and the temporary folder is removed at once (a `static` is
//! never dropped, so a `TempDir` kept in one would never be deleted). HTML is parsed with
//! scraper, never matched with patterns.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use sha2::{Digest, Sha256};

use common::percent_decode;

mod browse;
#[path = "../common/mod.rs"]
mod common;
mod data;
mod dates;
mod determinism;
mod entities;
mod exports;
mod html;
mod links;
mod provenance;
mod quantities;
mod related;
mod traps;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const KINDS: [&str; 5] = ["person", "place", "organization", "date", "quantity"];

// ─── Building and reading the site ──────────────────────────────────────────────────────

/// A built site: every output file by its path relative to the output folder ("/"-separated).
struct Site {
    files: BTreeMap<String, Vec<u8>>,
    archive: Value,
    /// What `archive build` printed.
    printed: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let (files, printed) = build();
        let archive = serde_json::from_slice(&files["data/archive.json"]).expect("data/archive.json parses");
        Site { files, archive, printed }
    })
}

/// Runs `archive build` on the repository into a fresh temporary folder and reads the output
/// back, with what the build printed.
fn build() -> (BTreeMap<String, Vec<u8>>, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let public = dir.path().join("public");
    let printed = common::build_seeds(&public);
    let mut files = BTreeMap::new();
    read_tree(&public, "", &mut files);
    (files, printed)
}

fn read_tree(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs::read_dir(dir).expect("readable output folder") {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_str().expect("UTF-8 file name"));
        if entry.file_type().unwrap().is_dir() {
            read_tree(&entry.path(), &format!("{name}/"), files);
        } else {
            files.insert(name, fs::read(entry.path()).unwrap());
        }
    }
}

impl Site {
    fn text(&self, path: &str) -> &str {
        let bytes = self.files.get(path).unwrap_or_else(|| panic!("{path} is not in the output"));
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"))
    }

    fn page(&self, path: &str) -> Html {
        Html::parse_document(self.text(path))
    }

    fn html_paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str).filter(|p| p.ends_with(".html"))
    }

    fn articles(&self) -> &[Value] {
        self.archive["articles"].as_array().expect("articles is an array")
    }

    fn entities(&self) -> &[Value] {
        self.archive["entities"].as_array().expect("entities is an array")
    }

    /// The archive.json entry of the article whose file name starts with `prefix` ("000").
    fn article(&self, prefix: &str) -> &Value {
        let mut found = self.articles().iter().filter(|a| str_of(a, "slug").starts_with(&format!("{prefix}_")));
        let article = found.next().unwrap_or_else(|| panic!("no article {prefix}"));
        assert!(found.next().is_none(), "several articles {prefix}");
        article
    }

    fn article_page(&self, prefix: &str) -> Html {
        self.page(&format!("articles/{}/index.html", str_of(self.article(prefix), "slug")))
    }
}

fn str_of<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_else(|| panic!("{key} should be a string in {value}"))
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

fn text_of(el: ElementRef) -> String {
    el.text().collect()
}

fn source(prefix: &str) -> Vec<u8> {
    fs::read(Path::new(ROOT).join("seeds").join(format!("{}.txt", str_of(site().article(prefix), "slug")))).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// One URL path segment percent-encoded as the contract asks (unreserved bytes kept).
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The link to an entity's page, from the site's root as pages write links under `<base>`.
fn entity_url(kind: &str, id: &str) -> String {
    format!("entities/{kind}/{}/index.html", encode_segment(id))
}

/// The output file a link from the site's root names, and its fragment.
fn resolve(url: &str) -> (String, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let mut file = percent_decode(path);
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    (file, fragment)
}

/// Panics with every failure at once, so one run shows them all.
fn assert_none(failures: &[String], what: &str) {
    assert!(failures.is_empty(), "{what}: {} failure(s):\n{}", failures.len(), failures.join("\n"));
}

// ─── Mentions ───────────────────────────────────────────────────────────────────────────

/// A mention element as the page shows it.
#[derive(Debug, Clone)]
struct Mention {
    tag: String,
    id: String,
    entity: String,
    kind: String,
    href: String,
    label: Option<String>,
    text: String,
}

impl Mention {
    fn of(el: ElementRef) -> Mention {
        let attr = |name: &str| el.value().attr(name).unwrap_or_default().to_string();
        Mention {
            tag: el.value().name().to_string(),
            id: attr("id"),
            entity: attr("data-entity"),
            kind: attr("data-type"),
            href: attr("href"),
            label: el.value().attr("aria-label").map(String::from),
            text: text_of(el),
        }
    }
}

/// The mentions of a page inside the elements `scope` selects.
fn mentions_in(doc: &Html, scope: &str) -> Vec<Mention> {
    doc.select(&sel(&format!("{scope} [data-entity][data-type]"))).map(Mention::of).collect()
}

/// The mentions in the `<article>` (the body) of an article page.
fn body_mentions(prefix: &str) -> Vec<Mention> {
    mentions_in(&site().article_page(prefix), "article")
}

/// The mentions of an article page: its `<h1>` and its body.
fn page_mentions(doc: &Html) -> Vec<Mention> {
    mentions_in(doc, "html")
}

/// (article, exact mention text, type, entity id, how many body mentions have that text)
type Expected = (&'static str, &'static str, &'static str, &'static str, usize);

/// Every body mention with the exact text has the type and id, and there are exactly `count`.
fn assert_mentions(expected: &[Expected]) {
    let mut failures = Vec::new();
    for &(prefix, text, kind, entity, count) in expected {
        let found: Vec<Mention> = body_mentions(prefix).into_iter().filter(|m| m.text == text).collect();
        let wrong: Vec<String> = found
            .iter()
            .filter(|m| m.kind != kind || m.entity != entity)
            .map(|m| format!("{}/{}", m.kind, m.entity))
            .collect();
        if found.len() != count || !wrong.is_empty() {
            failures.push(format!(
                "{prefix} «{text}»: expected {count} × {kind}/{entity}, found {} (wrong: {wrong:?})",
                found.len()
            ));
        }
    }
    assert_none(&failures, "mentions");
}

/// How many body mentions of article `prefix` name the entity.
fn count_entity(prefix: &str, kind: &str, entity: &str) -> usize {
    body_mentions(prefix).iter().filter(|m| m.kind == kind && m.entity == entity).count()
}

/// (article, entity type, id, body mentions of it)
fn assert_entity_counts(expected: &[(&str, &str, &str, usize)]) {
    let failures: Vec<String> = expected
        .iter()
        .filter_map(|&(prefix, kind, entity, count)| {
            let found = count_entity(prefix, kind, entity);
            (found != count).then(|| format!("{prefix}: {kind}/{entity} mentioned {found} times, expected {count}"))
        })
        .collect();
    assert_none(&failures, "mention counts");
}

const ARTICLES: [&str; 5] = ["000", "001", "002", "003", "004"];

/// The archive.json mention of an article by its id ("m-1234").
fn json_mention(prefix: &str, id: &str) -> &'static Value {
    let mentions = site().article(prefix)["mentions"].as_array().expect("mentions is an array");
    mentions.iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("{prefix}: no mention {id} in archive.json"))
}
