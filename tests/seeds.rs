//! The five seed articles, built by the real binary: the traps of shared/seeds/METADATA.md,
//! dates and quantities, the HTML and URL contracts of DESIGN.md section 2, links and
//! back-links, entity pages and indexes, provenance, determinism and data/archive.json.
//!
//! The site is built once per test binary. Its files are read into memory and the temporary
//! folder is removed at once (a `static` is never dropped, so a `TempDir` kept in one would
//! never be deleted). HTML is parsed with scraper, never matched with patterns.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use sha2::{Digest, Sha256};

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
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--root", ROOT, "--output"])
        .arg(&public)
        .output()
        .expect("archive runs");
    assert!(out.status.success(), "archive build failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let mut files = BTreeMap::new();
    read_tree(&public, "", &mut files);
    (files, String::from_utf8_lossy(&out.stdout).into_owned())
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()).filter(|_| bytes[i] == b'%') {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("{s} does not decode to UTF-8"))
}

fn entity_url(kind: &str, id: &str) -> String {
    format!("/entities/{kind}/{}/", encode_segment(id))
}

/// The output file a root-relative URL names, and its fragment.
fn resolve(url: &str) -> (String, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let mut file = percent_decode(path.trim_start_matches('/'));
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

// ─── 1. Traps ───────────────────────────────────────────────────────────────────────────

#[test]
fn spellings_of_one_person_resolve_to_one_entity() {
    assert_mentions(&[
        ("000", "باتريك رايدر", "person", "pat-ryder", 1),
        ("000", "رايدر", "person", "pat-ryder", 1),
        ("003", "بات ريدر", "person", "pat-ryder", 1),
        ("003", "ريدر", "person", "pat-ryder", 1),
        // "جيمس كيربي" is the outlet's slip for John Kirby.
        ("004", "جيمس كيربي", "person", "john-kirby", 1),
        ("004", "جون كيربي", "person", "john-kirby", 1),
        ("004", "كيربي", "person", "john-kirby", 1),
    ]);
    let mut expected = Vec::new();
    for prefix in ARTICLES {
        let ryder = if matches!(prefix, "000" | "003") { 2 } else { 0 };
        let kirby = if prefix == "004" { 3 } else { 0 };
        expected.push((prefix, "person", "pat-ryder", ryder));
        expected.push((prefix, "person", "john-kirby", kirby));
    }
    assert_entity_counts(&expected);
}

#[test]
fn spelling_variants_and_misspellings_resolve_to_one_entity() {
    assert_mentions(&[
        ("002", "وزارة الدفاع الأميركية", "organization", "us-department-of-defense", 1),
        ("004", "وزارة الدفاع الأميركية", "organization", "us-department-of-defense", 1),
        ("001", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 1),
        ("003", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 3),
        ("004", "وزارة الدفاع الأمريكية", "organization", "us-department-of-defense", 1),
        ("004", "البنتاغون", "organization", "us-department-of-defense", 2),
        ("000", "بنتاغون", "organization", "us-department-of-defense", 1),
        ("001", "فليق القدس", "organization", "quds-force", 1),
        ("003", "المقاومة الإسـلامية", "organization", "islamic-resistance-in-iraq", 1),
        ("003", "المقاومة الإسلامية في العراق", "organization", "islamic-resistance-in-iraq", 1),
    ]);
}

#[test]
fn a_mention_keeps_the_tatweel_of_the_original_text() {
    let tatweel: Vec<Mention> = body_mentions("003").into_iter().filter(|m| m.text.contains('\u{640}')).collect();
    let texts: Vec<&str> = tatweel.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["المقاومة الإسـلامية"], "mentions holding a tatweel in 003");
    let json = json_mention("003", &tatweel[0].id);
    let bytes = source("003");
    let (start, end) = (json["start"].as_u64().unwrap() as usize, json["end"].as_u64().unwrap() as usize);
    assert_eq!(&bytes[start..end], tatweel[0].text.as_bytes(), "the page shows the original bytes");
}

#[test]
fn entities_that_share_words_are_never_merged() {
    assert_mentions(&[
        // Lebanese Hezbollah vs the Iraqi Kataib Hezbollah.
        ("003", "حزب الله", "organization", "hezbollah", 1),
        ("000", "حزب الله اللبنانية", "organization", "hezbollah", 1),
        ("004", "حزب الله العراقي", "organization", "kataib-hezbollah", 1),
        ("004", "كتائب حزب الله", "organization", "kataib-hezbollah", 1),
        // The Syrian Observatory for Human Rights vs the opposition's air observatory.
        ("000", "المرصد السوري لحقوق الإنسان", "organization", "sohr", 2),
        ("004", "المرصد السوري لحقوق الإنسان", "organization", "sohr", 2),
        ("000", "المرصد", "organization", "sohr", 3),
        ("004", "المرصد", "organization", "sohr", 3),
        ("000", "المرصد الجوي التابع للمعارضة العسكرية السورية", "organization", "opposition-air-observatory", 1),
        // Al Jazeera the channel vs the Jazira region vs the village Tabiyat Jazira.
        ("002", "منطقة الجزيرة السورية", "place", "syrian-jazira", 1),
        ("003", "طابية جزيرة", "place", "tabiyat-jazira", 1),
        // The oil field vs the common noun; the channel vs the adjective; the crossing.
        ("000", "العمر", "place", "al-omar-oil-field", 1),
        ("001", "العمر", "place", "al-omar-oil-field", 2),
        ("001", "الحرة", "organization", "alhurra", 1),
        ("004", "معبر القائم", "place", "al-qaim-crossing", 1),
        ("003", "معبر القائم – البوكمال", "place", "al-qaim-crossing", 1),
    ]);
    assert_entity_counts(&[
        ("003", "organization", "kataib-hezbollah", 0),
        ("004", "organization", "hezbollah", 0),
        ("000", "organization", "opposition-air-observatory", 1),
    ]);
    let channel: Vec<String> = ARTICLES
        .iter()
        .flat_map(|p| body_mentions(p).into_iter().map(move |m| (p, m)))
        .filter(|(_, m)| m.entity == "al-jazeera")
        .map(|(p, m)| format!("{p} «{}»", m.text))
        .collect();
    assert!(channel.is_empty(), "no article body names the Al Jazeera channel: {channel:?}");
}

#[test]
fn acronyms_and_full_names_resolve_to_one_entity() {
    assert_mentions(&[
        ("003", "قسد", "organization", "sdf", 2),
        ("003", "قوات سوريا الديمقراطية", "organization", "sdf", 1),
        ("002", "قوات سوريا الديمقراطية", "organization", "sdf", 3),
        ("002", "سانا", "organization", "sana", 1),
        ("002", "وكالة الأنباء السورية", "organization", "sana", 1),
        ("002", "وكالة الأنباء السورية الرسمية", "organization", "sana", 1),
        ("001", "داعش", "organization", "isis", 1),
        ("004", "تنظيم داعش", "organization", "isis", 1),
        ("002", "تنظيم الدولة الإسلامية", "organization", "isis", 1),
        ("004", "تنظيم الدولة الإسلامية", "organization", "isis", 1),
    ]);
}

#[test]
fn common_words_are_not_mentions() {
    let all: Vec<(&str, Mention)> = ARTICLES
        .iter()
        .flat_map(|&p| page_mentions(&site().article_page(p)).into_iter().map(move |m| (p, m)))
        .collect();
    // Words that occur in the seeds only as common words (or inside longer names).
    let common = ["الجزيرة", "الجوي", "قوات", "النظام", "اليوم", "الإسلامية", "الجمهورية", "ميلي", "جزيرة"];
    let wrong: Vec<String> = all
        .iter()
        .filter(|(_, m)| common.contains(&m.text.as_str()))
        .map(|(p, m)| format!("{p} «{}» {}", m.text, m.entity))
        .collect();
    assert!(wrong.is_empty(), "common words taken for entities: {wrong:?}");
    // The only bare العمر and الحرة are the oil field after حقل / منها and the channel after قناة.
    let bare = |text: &str| -> Vec<(String, String)> {
        all.iter().filter(|(_, m)| m.text == text).map(|(p, m)| (p.to_string(), m.entity.clone())).collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(p, e)| (p.to_string(), e.to_string())).collect()
    };
    let field = "al-omar-oil-field";
    assert_eq!(bare("العمر"), pairs(&[("000", field), ("001", field), ("001", field)]));
    assert_eq!(bare("الحرة"), pairs(&[("001", "alhurra")]));
    // ميلي (Milley) is inside every الميليشيات: only "مارك ميلي" names him.
    let milley: Vec<&str> =
        all.iter().filter(|(_, m)| m.entity == "mark-milley").map(|(_, m)| m.text.as_str()).collect();
    assert_eq!(milley, ["مارك ميلي"]);
}

// ─── 2. Dates ───────────────────────────────────────────────────────────────────────────

#[test]
fn dates_resolve_to_their_iso_value() {
    assert_mentions(&[
        // day + paired month names + year
        ("004", "26 فبراير/شباط 2021", "date", "2021-02-26", 1),
        // day + paired month names with odd spacing, no year: the article's year
        ("003", "19 أكتوبر/ تشرين الأول الجاري", "date", "2023-10-19", 1),
        // a range: both ends
        ("003", "17", "date", "2023-10-17", 1),
        ("003", "30 أكتوبر/ تشرين الأول الجاري", "date", "2023-10-30", 1),
        // month + year
        ("001", "آب 2014", "date", "2014-08", 1),
        // ordinal day
        ("000", "الرابع من مارس", "date", "2023-03-04", 1),
        // month of the past, no year
        ("002", "فبراير/شباط الماضي", "date", "2021-02", 1),
        // relative days, from the article's date
        ("003", "أمس الثلاثاء", "date", "2023-10-31", 3),
        ("000", "اليوم السبت", "date", "2023-03-25", 2),
        ("001", "ليلة أمس الجمعة", "date", "2022-01-07", 1),
    ]);
}

#[test]
fn both_ends_of_a_date_range_are_dates() {
    // «بين 17 و30 أكتوبر/ تشرين الأول الجاري» in 003: "17" borrows the month of "30 …".
    let dates: Vec<Mention> = body_mentions("003").into_iter().filter(|m| m.kind == "date").collect();
    let at = dates.iter().position(|m| m.text == "17").expect("the date «17» in 003");
    let (from, to) = (&dates[at], dates.get(at + 1).expect("a date after «17»"));
    assert_eq!((from.entity.as_str(), to.entity.as_str()), ("2023-10-17", "2023-10-30"));
    let offset = |m: &Mention, key: &str| json_mention("003", &m.id)[key].as_u64().unwrap() as usize;
    let between = &source("003")[offset(from, "end")..offset(to, "start")];
    assert_eq!(std::str::from_utf8(between), Ok(" و"), "the two ends are «17» and «30 …» of one range");
}

// ─── 3. Quantities ──────────────────────────────────────────────────────────────────────

/// The archive.json mention of an article by its id ("m-1234").
fn json_mention(prefix: &str, id: &str) -> &'static Value {
    let mentions = site().article(prefix)["mentions"].as_array().expect("mentions is an array");
    mentions.iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("{prefix}: no mention {id} in archive.json"))
}

#[test]
fn quantities_name_the_counted_noun_and_carry_the_amount() {
    // (article, text, counted noun, amount, qualifier)
    let expected: [(&str, &str, &str, u64, Option<&str>); 6] = [
        ("000", "19 عنصرا", "members", 19, None),
        ("004", "22 قتيلاً", "killed", 22, None),
        ("000", "أكثر من 20 صاروخا", "rockets", 20, Some("أكثر من")),
        ("000", "عشرة صواريخ", "rockets", 10, None),
        ("002", "60 آلية", "vehicles", 60, None),
        ("003", "3 من الشاحنات", "trucks", 3, None),
    ];
    let mut failures = Vec::new();
    for (prefix, text, noun, amount, qualifier) in expected {
        let found: Vec<Mention> = body_mentions(prefix).into_iter().filter(|m| m.text == text).collect();
        let [m] = found.as_slice() else {
            failures.push(format!("{prefix} «{text}»: {} mentions, expected 1", found.len()));
            continue;
        };
        let json = json_mention(prefix, &m.id);
        let got = (m.kind.as_str(), m.entity.as_str(), json["amount"].as_u64(), json["qualifier"].as_str());
        if got != ("quantity", noun, Some(amount), qualifier) {
            failures.push(format!("{prefix} «{text}»: got {got:?}, expected quantity {noun} {amount} {qualifier:?}"));
        }
    }
    assert_none(&failures, "quantities");
}

#[test]
fn a_clitic_preposition_stays_outside_the_quantity() {
    let doc = site().article_page("000");
    let el = doc
        .select(&sel("article [data-type=quantity]"))
        .find(|el| text_of(*el).contains("صواريخ") && text_of(*el).contains("عشرة"))
        .expect("the mention of «بعشرة صواريخ» in 000");
    assert_eq!(text_of(el), "عشرة صواريخ");
    let before = el.prev_sibling().and_then(|n| n.value().as_text().map(|t| t.to_string())).unwrap_or_default();
    assert!(before.ends_with('ب'), "the ب is shown just before the link, outside it: {before:?}");
}

// ─── 4. HTML contract ───────────────────────────────────────────────────────────────────

#[test]
fn every_page_is_arabic_right_to_left_and_utf8() {
    let mut failures = Vec::new();
    for path in site().html_paths() {
        let doc = site().page(path);
        let root = doc.root_element();
        let (lang, dir) = (root.value().attr("lang"), root.value().attr("dir"));
        if root.value().name() != "html" || lang != Some("ar") || dir != Some("rtl") {
            failures.push(format!("{path}: <html lang={lang:?} dir={dir:?}>"));
        }
        let charsets: Vec<&str> =
            doc.select(&sel("head meta[charset]")).filter_map(|m| m.value().attr("charset")).collect();
        if charsets.len() != 1 || !charsets[0].eq_ignore_ascii_case("utf-8") {
            failures.push(format!("{path}: meta charset {charsets:?}"));
        }
        if !site().text(path).starts_with("<!DOCTYPE html>") {
            failures.push(format!("{path}: no HTML5 doctype"));
        }
    }
    assert_none(&failures, "page head");
}

#[test]
fn an_article_page_has_one_article_element_holding_every_body_mention() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let doc = site().article_page(prefix);
        let articles = doc.select(&sel("article")).count();
        if articles != 1 {
            failures.push(format!("{prefix}: {articles} <article> elements"));
        }
        let all = page_mentions(&doc).len();
        let placed = mentions_in(&doc, "article").len() + mentions_in(&doc, "main > header h1").len();
        if all != placed {
            failures.push(format!("{prefix}: {all} mentions, {placed} of them in <article> or the <h1>"));
        }
        if mentions_in(&doc, "article").is_empty() {
            failures.push(format!("{prefix}: no mention in the body"));
        }
    }
    assert_none(&failures, "article element");
}

#[test]
fn every_mention_is_a_link_to_its_entity_page_with_an_anchor_and_a_name() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        let mut ids = HashSet::new();
        for m in page_mentions(&doc) {
            seen += 1;
            let digits =
                m.id.strip_prefix("m-").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            let ok = m.tag == "a"
                && KINDS.contains(&m.kind.as_str())
                && !m.entity.is_empty()
                && m.href == entity_url(&m.kind, &m.entity)
                && digits
                && ids.insert(m.id.clone())
                && m.label.as_deref().is_some_and(|l| l.contains(m.text.trim()));
            if !ok {
                failures.push(format!("{path}: {m:?}"));
            }
        }
    }
    assert!(seen > 400, "only {seen} mentions found");
    assert_none(&failures, "mention elements");
}

/// A URL that loads nothing from another host: relative, root-relative, or data:.
fn is_local(url: &str) -> bool {
    let url = url.trim();
    let scheme = url.split(['/', '?', '#']).next().is_some_and(|head| head.contains(':'));
    url.starts_with("data:") || (!url.starts_with("//") && !url.starts_with("\\\\") && !scheme)
}

/// The URLs a stylesheet loads: `@import` targets and `url(...)` values.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (i, _) in css.match_indices("url(") {
        let rest = &css[i + 4..];
        urls.push(rest[..rest.find(')').unwrap_or(rest.len())].trim_matches(['"', '\'', ' ']).to_string());
    }
    for (i, _) in css.match_indices("@import") {
        let rest = css[i + 7..].trim_start();
        if let Some(quoted) = rest.strip_prefix(['"', '\'']) {
            urls.push(quoted[..quoted.find(['"', '\'']).unwrap_or(quoted.len())].to_string());
        }
    }
    urls
}

#[test]
fn nothing_is_loaded_from_another_host() {
    let loads = [
        ("script[src]", "src"),
        ("link[href]", "href"),
        ("img[src]", "src"),
        ("iframe", "src"),
        ("source[src]", "src"),
        ("source[srcset]", "srcset"),
        ("video[src]", "src"),
        ("audio[src]", "src"),
        ("embed[src]", "src"),
        ("object[data]", "data"),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        for (css, attr) in loads {
            for el in doc.select(&sel(css)) {
                checked += 1;
                let url = el.value().attr(attr).unwrap_or("(none)");
                if !is_local(url) || el.value().name() == "iframe" {
                    failures.push(format!("{path}: <{}> loads {url:?}", el.value().name()));
                }
            }
        }
        let inline_css = doc
            .select(&sel("style"))
            .map(text_of)
            .chain(doc.select(&sel("[style]")).filter_map(|el| el.value().attr("style").map(String::from)))
            .collect::<Vec<String>>();
        for css in inline_css {
            failures
                .extend(css_urls(&css).into_iter().filter(|u| !is_local(u)).map(|u| format!("{path}: CSS loads {u}")));
        }
    }
    for (path, bytes) in site().files.iter().filter(|(p, _)| p.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        failures.extend(css_urls(&css).into_iter().filter(|u| !is_local(u)).map(|u| format!("{path}: CSS loads {u}")));
    }
    assert!(checked > 0, "no loading element found at all");
    assert_none(&failures, "external loads");
}

fn has_latin_or_ascii_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphanumeric() || ('\u{C0}'..='\u{24F}').contains(&c))
}

/// The text runs with Latin letters or digits under the elements `scope` selects, and those
/// not isolated.
fn latin_runs(doc: &Html, scope: &str) -> (usize, Vec<String>) {
    let (mut runs, mut bare) = (0, Vec::new());
    for root in doc.select(&sel(scope)) {
        for node in root.descendants() {
            let Some(text) = node.value().as_text() else { continue };
            if !has_latin_or_ascii_digit(text) {
                continue;
            }
            runs += 1;
            // Inside a <bdi> or an element with a dir attribute.
            let isolated = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|el| el.value().name() == "bdi" || el.value().attr("dir").is_some());
            if !isolated {
                bare.push(text.to_string());
            }
        }
    }
    (runs, bare)
}

#[test]
fn latin_script_and_digits_in_article_text_are_isolated() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for prefix in ARTICLES {
        let doc = site().article_page(prefix);
        let (n, bare) = latin_runs(&doc, "article, main > header h1");
        runs += n;
        failures.extend(bare.into_iter().map(|t| format!("{prefix}: {t:?} is not in a <bdi>")));
        let body = doc.select(&sel("article")).map(text_of).collect::<String>();
        if body.contains("Akismet") {
            failures.push(format!("{prefix}: the comment form (Akismet) is in the body"));
        }
    }
    assert!(runs >= 20, "only {runs} Latin or digit runs found in the article bodies");
    assert_none(&failures, "bidi isolation");
}

/// Lines lifted out of the text (here the image caption "طائرات إف-35 الأمريكية/ بلومبيرغ")
/// are isolated in the header too: "35" after "إف-" could otherwise show as "إف35-".
#[test]
fn numbers_in_the_lifted_caption_are_isolated() {
    let doc = site().article_page("004");
    let caption = doc
        .select(&sel("main > header dd"))
        .find(|dd| text_of(*dd).contains("إف-35"))
        .expect("the caption «طائرات إف-35 …» in the header of 004");
    let isolated_35 = caption.select(&sel("bdi, [dir]")).any(|el| text_of(el).contains("35"));
    assert!(isolated_35, "«35» of the caption is not in a <bdi>: {}", caption.html());
}

// ─── 5. Links ───────────────────────────────────────────────────────────────────────────

/// The ids of a page, cached by path.
fn ids_of<'c>(cache: &'c mut HashMap<String, HashSet<String>>, path: &str) -> &'c HashSet<String> {
    cache.entry(path.to_string()).or_insert_with(|| {
        site().page(path).select(&sel("[id]")).filter_map(|el| el.value().attr("id").map(String::from)).collect()
    })
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let mut cache = HashMap::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in site().html_paths() {
        let doc = site().page(path);
        for el in doc.select(&sel("[href], [src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap_or_default();
            let (file, fragment) = if let Some(fragment) = url.strip_prefix('#') {
                (path.to_string(), Some(fragment.to_string()))
            } else if url.starts_with('/') && !url.starts_with("//") {
                resolve(url)
            } else {
                continue;
            };
            checked += 1;
            if !site().files.contains_key(&file) {
                failures.push(format!("{path}: {url} → {file} does not exist"));
                continue;
            }
            if let Some(fragment) = fragment {
                let fragment = percent_decode(&fragment);
                if fragment.is_empty() || !ids_of(&mut cache, &file).contains(&fragment) {
                    failures.push(format!("{path}: {url} → no id {fragment:?} in {file}"));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} internal links found");
    assert_none(&failures, "internal links");
}

// ─── 6. Back-links ──────────────────────────────────────────────────────────────────────

#[test]
fn an_entity_page_links_back_to_every_mention_of_it() {
    let mut links: HashMap<String, HashSet<String>> = HashMap::new();
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let slug = str_of(site().article(prefix), "slug");
        for m in page_mentions(&site().article_page(prefix)) {
            let (file, _) = resolve(&m.href);
            let Some(bytes) = site().files.get(&file) else {
                failures.push(format!("{prefix} {}: no page {file}", m.id));
                continue;
            };
            let hrefs = links.entry(file.clone()).or_insert_with(|| {
                let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
                doc.select(&sel("a[href]")).filter_map(|a| a.value().attr("href").map(String::from)).collect()
            });
            let back = format!("/articles/{}/#{}", encode_segment(slug), m.id);
            if !hrefs.contains(&back) {
                failures.push(format!("{file} has no link to {back} («{}»)", m.text));
            }
        }
    }
    assert_none(&failures, "back-links");
}

// ─── 7. Entity pages and indexes ────────────────────────────────────────────────────────

fn entity_page(kind: &str, id: &str) -> Html {
    site().page(&resolve(&entity_url(kind, id)).0)
}

#[test]
fn an_entity_page_lists_each_spelling_seen() {
    let doc = entity_page("person", "pat-ryder");
    let seen: BTreeSet<String> = doc
        .select(&sel("ul.seen li"))
        .filter_map(|li| {
            let text = text_of(li);
            let inner = text.split_once('«')?.1.split_once('»')?.0.to_string();
            Some(inner)
        })
        .collect();
    let expected: BTreeSet<String> = ["رايدر", "باتريك رايدر", "بات ريدر", "ريدر"].map(String::from).into();
    assert_eq!(seen, expected);
}

#[test]
fn an_entity_page_lists_its_articles_in_date_order() {
    let article_url = |p: &str| str_of(site().article(p), "url").to_string();
    let doc = entity_page("person", "pat-ryder");
    let order: Vec<String> =
        doc.select(&sel("ol.timeline > li h3 > a")).filter_map(|a| a.value().attr("href").map(String::from)).collect();
    assert_eq!(order, [article_url("000"), article_url("003")], "000 (2023-03-25) before 003 (2023-11-01)");

    let mut failures = Vec::new();
    for path in site().html_paths().filter(|p| p.starts_with("entities/") && p.matches('/').count() == 3) {
        let page = site().page(path);
        // The URL a curated entity's spelling would have as a discovered one leads to it.
        if let Some(refresh) = page.select(&sel("meta[http-equiv=refresh]")).next() {
            let to = refresh.value().attr("content").and_then(|c| c.strip_prefix("0; url=")).unwrap_or_default();
            let (file, _) = resolve(to);
            if !to.starts_with("/entities/") || !site().html_paths().any(|p| *p == file) {
                failures.push(format!("{path}: redirects to {to:?}, which is no entity page"));
            }
            continue;
        }
        let dates: Vec<String> = page
            .select(&sel("ol.timeline > li h3 time[datetime]"))
            .filter_map(|t| t.value().attr("datetime").map(String::from))
            .collect();
        // A month named only through its days lists the days instead; their pages hold the mentions.
        let only_days = dates.is_empty() && page.select(&sel("#days-heading")).next().is_some();
        if (dates.is_empty() && !only_days) || dates.windows(2).any(|w| w[0] > w[1]) {
            failures.push(format!("{path}: article dates {dates:?}"));
        }
    }
    assert_none(&failures, "timelines");
}

/// The names an entity index lists, in order.
fn index_names(kind: &str) -> Vec<String> {
    site().page(&format!("entities/{kind}/index.html")).select(&sel("ul.index li > a")).map(text_of).collect()
}

/// Each pair (a, b): both listed, a before b.
fn assert_order(kind: &str, pairs: &[(&str, &str)]) {
    let names = index_names(kind);
    let at = |n: &str| names.iter().position(|x| x == n);
    let failures: Vec<String> = pairs
        .iter()
        .filter(|(a, b)| !matches!((at(a), at(b)), (Some(x), Some(y)) if x < y))
        .map(|(a, b)| format!("{kind}: «{a}» should come before «{b}» in {names:?}"))
        .collect();
    assert_none(&failures, "index order");
}

#[test]
fn entity_indexes_sort_names_alphabetically_ignoring_the_article() {
    // ر < و; ط < ع; ا < ل; ا < ر; ت < ج; ز < ش — each pair in the opposite order by raw code points.
    assert_order(
        "place",
        &[
            ("بريطانيا", "البوكمال"),
            ("طهران", "العراق"),
            ("واشنطن", "الولايات المتحدة"),
            ("قاعدة التنف", "القرية الخضراء"),
            ("البادية السورية", "بريطانيا"),
        ],
    );
    assert_order(
        "organization",
        &[("تويتر", "الجيش السوري"), ("حزب الله", "الحشد الشعبي"), ("إنترفاكس", "البيت الأبيض")],
    );
}

/// "آليات" (vehicles) starts with alef madda, not the article ال: it sorts among the alef
/// words (after "أفراد", before "دول"), not as "يات".
#[test]
fn a_name_starting_with_alef_madda_is_not_taken_for_the_article() {
    assert_order("quantity", &[("أفراد", "آليات"), ("آليات", "دول")]);
}

#[test]
fn the_date_index_is_in_time_order() {
    let doc = site().page("entities/date/index.html");
    let isos: Vec<String> = doc
        .select(&sel("ul.index li > a"))
        .filter_map(|a| a.value().attr("href")?.strip_prefix("/entities/date/")?.strip_suffix('/').map(String::from))
        .collect();
    let mut sorted = isos.clone();
    sorted.sort();
    assert!(isos.len() > 10, "dates listed: {isos:?}");
    assert_eq!(isos, sorted);
}

// ─── 8. Related articles ────────────────────────────────────────────────────────────────

/// The article links of a section of an article page ("related-heading" or "dates-heading").
fn section_articles(prefix: &str, heading: &str) -> Vec<String> {
    site()
        .article_page(prefix)
        .select(&sel(&format!("section[aria-labelledby={heading}] li > a")))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect()
}

#[test]
fn related_articles_are_other_articles() {
    let urls: BTreeMap<&str, String> =
        ARTICLES.iter().map(|&p| (p, str_of(site().article(p), "url").to_string())).collect();
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let related = section_articles(prefix, "related-heading");
        let distinct: BTreeSet<&String> = related.iter().collect();
        // Every seed names سوريا, so every article has related articles.
        if related.is_empty()
            || distinct.len() != related.len()
            || related.iter().any(|u| u == &urls[prefix] || !urls.values().any(|v| v == u))
        {
            failures.push(format!("{prefix}: related {related:?}"));
        }
    }
    assert_none(&failures, "related articles");
}

#[test]
fn articles_about_the_same_month_are_cross_linked_by_date() {
    let url = |p: &str| str_of(site().article(p), "url").to_string();
    // 004 is dated 2021-02-26; 002 mentions «فبراير/شباط الماضي» = 2021-02.
    assert!(section_articles("004", "dates-heading").contains(&url("002")), "004 → 002");
    assert!(section_articles("002", "dates-heading").contains(&url("004")), "002 → 004");
    let shared: Vec<String> = site()
        .article_page("002")
        .select(&sel("section[aria-labelledby=dates-heading] p.shared a"))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(shared.contains(&entity_url("date", "2021-02")), "the shared month is named: {shared:?}");
}

// ─── 9. Provenance ──────────────────────────────────────────────────────────────────────

#[test]
fn an_article_page_shows_the_sha256_of_its_source_file() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let hash = sha256_hex(&source(prefix));
        let shown = site().article_page(prefix).select(&sel("main *")).any(|el| text_of(el).trim() == hash);
        if !shown {
            failures.push(format!("{prefix}: {hash} is not shown"));
        }
        if str_of(site().article(prefix), "sha256") != hash {
            failures.push(format!("{prefix}: archive.json sha256 differs from {hash}"));
        }
    }
    assert_none(&failures, "provenance");
}

#[test]
fn seed_files_are_byte_identical_to_the_shared_originals() {
    let shared = Path::new("/work/shared/seeds");
    if !shared.is_dir() {
        println!("note: {} does not exist here; seed files not compared", shared.display());
        return;
    }
    let txt = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
            .collect()
    };
    let (ours, theirs) = (txt(&Path::new(ROOT).join("seeds")), txt(shared));
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "the same seed files");
    let differ: Vec<&String> = ours.iter().filter(|(name, bytes)| theirs[*name] != **bytes).map(|(n, _)| n).collect();
    assert!(differ.is_empty(), "seed files changed: {differ:?}");
}

// ─── 10. Determinism ────────────────────────────────────────────────────────────────────

#[test]
fn a_second_build_is_byte_identical() {
    let (again, _) = build();
    let first = &site().files;
    assert_eq!(first.keys().collect::<Vec<_>>(), again.keys().collect::<Vec<_>>(), "the same files");
    let differ: Vec<&String> = first.iter().filter(|(path, bytes)| again[*path] != **bytes).map(|(p, _)| p).collect();
    assert!(differ.is_empty(), "files that differ between two builds: {differ:?}");
}

/// README quotes the line the build prints on the seeds: the same counts, whatever the time.
#[test]
fn the_readme_quotes_what_the_build_prints() {
    let counts = |line: &str| {
        let after_output = line.split_once(": ").map(|(_, rest)| rest.to_string());
        after_output.and_then(|rest| rest.rsplit_once(", in ").map(|(counts, _)| counts.to_string()))
    };
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let quoted = readme.lines().map(str::trim).find(|l| l.starts_with("built 5 articles into ./public: "));
    let printed = site().printed.trim();
    assert!(printed.starts_with("built 5 articles into "), "{printed}");
    assert_eq!(quoted.and_then(counts), counts(printed), "README quotes {quoted:?}, the build prints {printed:?}");
}

// ─── 11. Data ───────────────────────────────────────────────────────────────────────────

#[test]
fn archive_json_lists_every_article_with_its_metadata() {
    let expected = [
        ("000", "2023-03-25", Some("العرب")),
        ("001", "2022-01-08", None),
        ("002", "2021-06-29", Some("الجزيرة + وكالات")),
        ("003", "2023-11-01", Some("القدس العربي")),
        ("004", "2021-02-26", Some("عربي بوست")),
    ];
    assert_eq!(site().articles().len(), 5);
    for (prefix, date, outlet) in expected {
        let a = site().article(prefix);
        let slug = str_of(a, "slug");
        assert_eq!(str_of(a, "url"), format!("/articles/{}/", encode_segment(slug)), "{prefix} url");
        assert!(site().files.contains_key(&resolve(str_of(a, "url")).0), "{prefix}: the url has a page");
        let first_line = String::from_utf8(source(prefix))
            .unwrap()
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .trim()
            .to_string();
        assert_eq!(str_of(a, "title"), first_line, "{prefix}: the title is the first line");
        assert_eq!(a["date"].as_str(), Some(date), "{prefix} date");
        assert_eq!(a["source"].as_str(), outlet, "{prefix} source");
        assert_eq!(a["sha256"].as_str().map(str::len), Some(64), "{prefix} sha256");
        assert!(a["mentions"].as_array().is_some_and(|m| !m.is_empty()), "{prefix} mentions");
    }
}

#[test]
fn archive_json_mention_offsets_index_the_original_file() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let bytes = source(prefix);
        for m in site().article(prefix)["mentions"].as_array().unwrap() {
            let (Some(start), Some(end)) = (m["start"].as_u64(), m["end"].as_u64()) else {
                failures.push(format!("{prefix}: offsets missing in {m}"));
                continue;
            };
            let ok = m["id"].is_string()
                && m["entity"].as_str().is_some_and(|e| !e.is_empty())
                && m["type"].as_str().is_some_and(|t| KINDS.contains(&t))
                && bytes.get(start as usize..end as usize) == m["text"].as_str().map(str::as_bytes)
                && std::str::from_utf8(&bytes[..start as usize]).is_ok();
            if !ok {
                failures.push(format!("{prefix}: {m}"));
            }
        }
    }
    assert_none(&failures, "mention offsets");
}

#[test]
fn archive_json_mentions_are_the_mentions_of_the_pages() {
    let mut failures = Vec::new();
    for prefix in ARTICLES {
        let json: BTreeSet<(String, String, String, String)> = site().article(prefix)["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                [&m["id"], &m["type"], &m["entity"], &m["text"]].map(|v| v.as_str().unwrap_or_default().to_string())
            })
            .map(|[a, b, c, d]| (a, b, c, d))
            .collect();
        let html: BTreeSet<(String, String, String, String)> =
            page_mentions(&site().article_page(prefix)).into_iter().map(|m| (m.id, m.kind, m.entity, m.text)).collect();
        if json != html {
            let only_json: Vec<_> = json.difference(&html).collect();
            let only_html: Vec<_> = html.difference(&json).collect();
            failures.push(format!("{prefix}: only in archive.json {only_json:?}; only on the page {only_html:?}"));
        }
    }
    assert_none(&failures, "archive.json vs pages");
}

#[test]
fn archive_json_lists_every_mentioned_entity_with_its_page() {
    // (type, id) → the articles that mention it.
    let mut mentioned: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    for a in site().articles() {
        for m in a["mentions"].as_array().unwrap() {
            let key = (str_of(m, "type").to_string(), str_of(m, "entity").to_string());
            mentioned.entry(key).or_default().insert(str_of(a, "slug"));
        }
    }
    // A month's page also gathers the days of that month ("أيام هذا الشهر").
    let articles_of = |kind: &str, id: &str| -> usize {
        let within =
            |(k, e): &(String, String)| k == kind && (e == id || (kind == "date" && e.starts_with(&format!("{id}-"))));
        mentioned.iter().filter(|(key, _)| within(key)).flat_map(|(_, a)| a.iter()).collect::<BTreeSet<_>>().len()
    };
    let mut failures = Vec::new();
    let mut listed = BTreeSet::new();
    for e in site().entities() {
        let (kind, id) = (e["type"].as_str().unwrap_or_default(), e["id"].as_str().unwrap_or_default());
        listed.insert((kind.to_string(), id.to_string()));
        let articles = articles_of(kind, id);
        let ok = KINDS.contains(&kind)
            && e["name"].as_str().is_some_and(|n| !n.is_empty())
            && e["aliases"].as_array().is_some_and(|a| a.iter().all(Value::is_string))
            && e["url"].as_str() == Some(entity_url(kind, id).as_str())
            && site().files.contains_key(&resolve(&entity_url(kind, id)).0)
            && e["article_count"].as_u64() == Some(articles as u64);
        if !ok {
            failures.push(format!("{e} (mentioned in {articles} articles)"));
        }
    }
    let unlisted: Vec<_> = mentioned.keys().filter(|k| !listed.contains(*k)).collect();
    if !unlisted.is_empty() {
        failures.push(format!("mentioned but not listed: {unlisted:?}"));
    }
    assert_none(&failures, "archive.json entities");
    let ryder = site().entities().iter().find(|e| e["id"] == "pat-ryder").expect("pat-ryder is listed");
    assert_eq!(ryder["article_count"], 2);
    assert!(ryder["aliases"].as_array().unwrap().iter().any(|a| a == "باتريك رايدر"));
}
