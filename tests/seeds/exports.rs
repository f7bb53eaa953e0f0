//! The exports beside the pages, at a base URL that is not absolute (`/`): the Atom feeds,
//! the CSV tables, the Web Annotations, the originals and their manifest, robots.txt, and
//! what an article page says of itself in its head. Each is parsed as its format says.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{assert_none, percent_decode, resolve, sel, sha256_hex, site, str_of, text_of};

/// The file a link relative to the file `from` leads to, and its fragment.
fn relative(from: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    assert!(!path.starts_with('/') && !path.contains("://"), "{from}: {href} is not relative");
    let mut parts: Vec<String> = from.split('/').map(String::from).collect();
    parts.pop();
    for part in percent_decode(path).split('/') {
        match part {
            "." => {}
            ".." => assert!(parts.pop().is_some(), "{from}: {href} climbs out of the site"),
            _ => parts.push(part.to_string()),
        }
    }
    let mut file = parts.join("/");
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    (file, fragment)
}

/// The original file of an archive.json article, as the site publishes it.
fn original(article: &Value) -> &'static [u8] {
    let path = format!("data/{}", str_of(article, "path"));
    site().files.get(&path).unwrap_or_else(|| panic!("{path} is not published"))
}

// ─── Atom ───────────────────────────────────────────────────────────────────────────────

const ATOM: &str = "http://www.w3.org/2005/Atom";

struct Entry {
    id: String,
    /// The article's page, as an output file.
    page: String,
    updated: String,
}

/// The feed at `path`, parsed as XML: its id and entries, after checking what Atom requires.
fn feed(path: &str) -> (String, Vec<Entry>) {
    let text = site().text(path);
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
    let root = doc.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "{path}: root {:?}", root.tag_name());
    let child = |node: roxmltree::Node, name: &str| -> Option<String> {
        node.children().find(|c| c.has_tag_name((ATOM, name))).map(|c| c.text().unwrap_or_default().to_string())
    };
    for name in ["id", "title", "updated"] {
        assert!(child(root, name).is_some_and(|t| !t.is_empty()), "{path}: no {name}");
    }
    assert!(child(root, "author").is_some(), "{path}: a feed-level author stands for entries without one");
    let links: Vec<(String, String)> = root
        .children()
        .filter(|c| c.has_tag_name((ATOM, "link")))
        .map(|l| (l.attribute("rel").unwrap_or_default().to_string(), l.attribute("href").unwrap().to_string()))
        .collect();
    let self_link = links.iter().find(|(rel, _)| rel == "self").map(|(_, href)| relative(path, href).0);
    assert_eq!(self_link.as_deref(), Some(path), "{path}: rel=self leads to the feed");
    let entries = root
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let link = e.children().find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate"));
            let page = relative(path, link.and_then(|l| l.attribute("href")).expect("an entry links its page")).0;
            assert!(site().files.contains_key(&page), "{path}: {page} is not built");
            Entry { id: child(e, "id").unwrap(), page, updated: child(e, "updated").expect("updated") }
        })
        .collect();
    (child(root, "id").unwrap(), entries)
}

fn absolute_iri(id: &str) -> bool {
    let scheme = id.split_once(':').map(|(s, _)| s);
    scheme.is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

#[test]
fn the_archive_feed_has_an_entry_per_dated_article_newest_first() {
    let (id, entries) = feed("feed.xml");
    assert!(id.starts_with("urn:uuid:"), "without an absolute base_url, ids are name-based UUIDs: {id}");
    // Every seed article has a date.
    let pages: BTreeSet<&str> = entries.iter().map(|e| e.page.as_str()).collect();
    let articles: BTreeSet<String> = site().articles().iter().map(|a| resolve(str_of(a, "url")).0).collect();
    assert_eq!(pages, articles.iter().map(String::as_str).collect(), "one entry per article");
    assert_eq!(entries.len(), articles.len());
    let times: Vec<_> = entries.iter().map(|e| chrono::DateTime::parse_from_rfc3339(&e.updated).unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {:?}", times);
    let first = &site().articles().iter().max_by_key(|a| str_of(a, "date")).unwrap();
    assert_eq!(entries[0].page, resolve(str_of(first, "url")).0);
    let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).chain([id.as_str()]).collect();
    assert_eq!(ids.len(), entries.len() + 1, "ids are unique");
    assert!(ids.iter().all(|id| absolute_iri(id)), "Atom ids are absolute IRIs: {ids:?}");
}

#[test]
fn an_entity_feed_lists_exactly_the_articles_of_its_page_and_the_page_links_it() {
    let mut failures = Vec::new();
    let mut feeds = 0;
    for entity in site().entities() {
        let page_file = resolve(str_of(entity, "url")).0;
        let page = site().page(&page_file);
        let listed: BTreeSet<String> = page
            .select(&sel(".timeline > li > h3 a[href]"))
            .map(|a| resolve(a.value().attr("href").unwrap()).0)
            .collect();
        let alternate = page.select(&sel("head link[rel=alternate][type='application/atom+xml']")).next();
        let Some(href) = alternate.and_then(|l| l.value().attr("href")) else {
            // A month whose days alone are named lists no article: it has no feed.
            if !listed.is_empty() || site().files.contains_key(&page_file.replace("index.html", "feed.xml")) {
                failures.push(format!("{page_file}: no feed linked"));
            }
            continue;
        };
        let feed_file = resolve(href).0;
        assert_eq!(feed_file, page_file.replace("index.html", "feed.xml"), "beside the page");
        let (_, entries) = feed(&feed_file);
        feeds += 1;
        let in_feed: BTreeSet<String> = entries.iter().map(|e| e.page.clone()).collect();
        if in_feed != listed || in_feed.len() != entries.len() {
            failures.push(format!("{feed_file}: {in_feed:?}, the page lists {listed:?}"));
        }
    }
    assert_none(&failures, "entity feeds");
    assert!(feeds > 100, "{feeds} feeds");
    let home = site().page("index.html");
    let alternate = home.select(&sel("head link[rel=alternate][type='application/atom+xml']")).next();
    assert_eq!(alternate.and_then(|l| l.value().attr("href")).map(|h| resolve(h).0).as_deref(), Some("feed.xml"));
}

// ─── CSV ────────────────────────────────────────────────────────────────────────────────

fn csv_rows(path: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = &site().files[path];
    // RFC 4180: every line break is CRLF.
    assert!(bytes.windows(2).all(|w| w[1] != b'\n' || w[0] == b'\r'), "{path}: a bare LF");
    assert!(bytes.ends_with(b"\r\n"), "{path}: the last record ends with CRLF");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap_or_else(|e| panic!("{path}: {e}"));
    (headers, rows)
}

#[test]
fn the_mentions_table_slices_each_original_to_its_text() {
    let (headers, rows) = csv_rows("data/mentions.csv");
    assert_eq!(headers, ["article", "entity", "type", "start", "end", "text", "url"]);
    let by_slug: BTreeMap<&str, &Value> = site().articles().iter().map(|a| (str_of(a, "slug"), a)).collect();
    let total: usize = site().articles().iter().map(|a| a["mentions"].as_array().unwrap().len()).sum();
    assert_eq!(rows.len(), total, "a row per mention of archive.json");
    let mut failures = Vec::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in &rows {
        let article = by_slug[&row[0]];
        let (start, end): (usize, usize) = (row[3].parse().unwrap(), row[4].parse().unwrap());
        if original(article).get(start..end) != Some(row[5].as_bytes()) {
            failures.push(format!("{}: bytes {start}..{end} are not «{}»", &row[0], &row[5]));
        }
        let (file, fragment) = resolve(&row[6]);
        let page_ids = ids.entry(file.clone()).or_insert_with(|| {
            site().page(&file).select(&sel("[id]")).map(|e| e.value().attr("id").unwrap().to_string()).collect()
        });
        if fragment.is_none_or(|f| !page_ids.contains(&f)) {
            failures.push(format!("{}: {} is no mention's place", &row[0], &row[6]));
        }
    }
    assert_none(&failures, "mention rows");
}

#[test]
fn the_entities_table_has_a_row_per_entity_with_its_counts() {
    let (headers, rows) = csv_rows("data/entities.csv");
    let expected = ["id", "type", "name", "aliases", "article_count", "mention_count", "wikidata", "curation", "url"];
    assert_eq!(headers, expected);
    assert_eq!(rows.len(), site().entities().len());
    for (row, entity) in rows.iter().zip(site().entities()) {
        let fields = [str_of(entity, "id"), str_of(entity, "type"), str_of(entity, "name"), str_of(entity, "url")];
        assert_eq!([&row[0], &row[1], &row[2], &row[8]], fields);
        assert_eq!(row[4].parse::<u64>().ok(), entity["article_count"].as_u64(), "{}", &row[0]);
        assert_eq!(row[5].parse::<u64>().ok(), entity["mention_count"].as_u64(), "{}", &row[0]);
        assert_eq!(&row[6], entity["wikidata"].as_str().unwrap_or(""));
        let curation = if entity["discovered"].as_bool() == Some(true) { "discovered" } else { "curated" };
        assert_eq!(&row[7], curation);
        let aliases: Vec<&str> = entity["aliases"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert_eq!(&row[3], aliases.join(" | "));
    }
    let ryder = rows.iter().find(|r| &r[0] == "pat-ryder").expect("Pat Ryder has a row");
    assert!(ryder[3].contains("رايدر") && ryder[3].contains("ريدر"), "{ryder:?}");
}

// ─── Web Annotation ─────────────────────────────────────────────────────────────────────

#[test]
fn annotations_select_each_mention_by_quote_and_by_code_points() {
    let mut failures = Vec::new();
    let mut apart = 0;
    for article in site().articles() {
        let slug = str_of(article, "slug");
        let path = format!("data/annotations/{slug}.jsonld");
        let page: Value = serde_json::from_str(site().text(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(page["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(page["type"], "AnnotationPage");
        let text = std::str::from_utf8(original(article)).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let mentions = article["mentions"].as_array().unwrap();
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), mentions.len(), "{slug}: an annotation per mention");
        for (item, mention) in items.iter().zip(mentions) {
            let target = &item["target"];
            let source = &target["source"];
            assert_eq!((&source["textDirection"], &source["language"]), (&"rtl".into(), &"ar".into()));
            assert_eq!(relative(&path, source["id"].as_str().unwrap()).0, format!("data/{}", str_of(article, "path")));
            let selector =
                |kind: &str| target["selector"].as_array().unwrap().iter().find(|s| s["type"] == kind).unwrap();
            let (quote, position) = (selector("TextQuoteSelector"), selector("TextPositionSelector"));
            let exact = quote["exact"].as_str().unwrap();
            let (start, end) =
                (position["start"].as_u64().unwrap() as usize, position["end"].as_u64().unwrap() as usize);
            let by_position: String = chars.get(start..end).map(|c| c.iter().collect()).unwrap_or_default();
            let in_context =
                format!("{}{exact}{}", quote["prefix"].as_str().unwrap(), quote["suffix"].as_str().unwrap());
            let byte_start = mention["start"].as_u64().unwrap() as usize;
            if by_position != exact || exact != str_of(mention, "text") || !text.contains(&in_context) {
                failures
                    .push(format!("{slug} {}: «{exact}» at {start}..{end} is «{by_position}»", str_of(mention, "id")));
            }
            apart += usize::from(start != byte_start);
            let id = item["id"].as_str().unwrap();
            assert_eq!(relative(&path, id), (path.clone(), Some(str_of(mention, "id").to_string())));
            match &item["body"] {
                Value::String(page) => {
                    let (file, _) = relative(&path, page);
                    let entity = resolve(&crate::entity_url(str_of(mention, "type"), str_of(mention, "entity"))).0;
                    if file != entity {
                        failures.push(format!("{slug} {id}: body {file}, not {entity}"));
                    }
                }
                body => assert_eq!(mention["page"], false, "{slug} {id}: only a mention without a page has {body}"),
            }
        }
    }
    assert!(apart > 100, "Arabic text: code points and bytes differ ({apart})");
    assert_none(&failures, "annotations");
}

// ─── Originals and their manifest ───────────────────────────────────────────────────────

#[test]
fn the_manifest_lists_every_original_published_with_its_hash() {
    let text = site().text("manifest-sha256.txt");
    let lines: Vec<(&str, &str)> = text.lines().map(|l| l.split_once("  ").expect("HASH  PATH")).collect();
    let paths: Vec<&str> = lines.iter().map(|(_, p)| *p).collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted by path: {paths:?}");
    let expected: BTreeSet<String> = site().articles().iter().map(|a| format!("data/{}", str_of(a, "path"))).collect();
    assert_eq!(paths.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>(), expected);
    for (hash, path) in lines {
        let bytes = &site().files[path];
        assert_eq!(hash, sha256_hex(bytes), "{path}");
        let article = site().articles().iter().find(|a| format!("data/{}", str_of(a, "path")) == path).unwrap();
        assert_eq!(hash, str_of(article, "sha256"), "{path}: the hash archive.json gives");
        let seed = std::fs::read(std::path::Path::new(crate::ROOT).join(str_of(article, "path"))).unwrap();
        assert!(*bytes == seed, "{path} is the original byte for byte");
    }
}

#[test]
fn an_article_page_links_its_original_and_suggests_a_citation() {
    for article in site().articles() {
        let page = site().page(&resolve(str_of(article, "url")).0);
        let original_link = page.select(&sel(".provenance a[href]")).find_map(|a| {
            let file = resolve(a.value().attr("href").unwrap()).0;
            (file == format!("data/{}", str_of(article, "path"))).then_some(file)
        });
        assert!(original_link.is_some(), "{}: no link to the original", str_of(article, "slug"));
        let citation = page.select(&sel(".provenance .citation")).next().map(text_of).unwrap_or_default();
        assert!(citation.contains(&format!("«{}»", str_of(article, "title"))), "{citation}");
        if let Some(source) = article["source"].as_str() {
            assert!(citation.starts_with(source), "{citation}");
        }
        assert!(citation.contains(site().archive["title"].as_str().unwrap()), "{citation}");
    }
}

// ─── The head of a page ─────────────────────────────────────────────────────────────────

#[test]
fn an_article_page_describes_itself_and_says_what_it_is_in_json_ld() {
    let home = site().page("index.html");
    let site_description = home.select(&sel("head meta[name=description]")).next().unwrap();
    let site_description = site_description.value().attr("content").unwrap().to_string();
    let mut descriptions = BTreeSet::new();
    for article in site().articles() {
        let slug = str_of(article, "slug");
        let page = site().page(&resolve(str_of(article, "url")).0);
        let meta = |css: &str| -> Vec<String> {
            page.select(&sel(css)).filter_map(|m| m.value().attr("content").map(String::from)).collect()
        };
        let description = meta("head meta[name=description]");
        assert_eq!(description.len(), 1, "{slug}: one description");
        let description = &description[0];
        assert!(*description != site_description && description.chars().count() <= 160, "{slug}: {description}");
        // Its opening words are the article's.
        let first_word = description.split_whitespace().next().unwrap();
        assert!(std::str::from_utf8(original(article)).unwrap().contains(first_word), "{slug}: {description}");
        descriptions.insert(description.clone());
        assert_eq!(meta("head meta[property='og:description']"), [description.as_str()]);
        assert_eq!(meta("head meta[property='og:title']"), [str_of(article, "title")]);
        assert_eq!(meta("head meta[property='og:type']"), ["article"]);
        // Not absolute: no canonical link, no og:url.
        assert!(page.select(&sel("head link[rel=canonical], head meta[property='og:url']")).next().is_none());
        let scripts: Vec<String> = page.select(&sel("script[type='application/ld+json']")).map(text_of).collect();
        assert_eq!(scripts.len(), 1, "{slug}");
        assert!(!scripts[0].contains('<'), "{slug}: nothing in it could close the script");
        let ld: Value = serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("{slug}: {e}"));
        assert_eq!((&ld["@type"], &ld["headline"]), (&"NewsArticle".into(), &article["title"]));
        assert_eq!(ld["datePublished"].as_str().map(|d| &d[..10]), article["date"].as_str());
        assert_eq!(ld["publisher"]["name"].as_str(), article["source"].as_str());
        assert_eq!(ld["encoding"]["sha256"], article["sha256"]);
        assert!(ld.get("url").is_none(), "{slug}: no url without an absolute base");
        let named: BTreeSet<(&str, &str)> = article["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["page"] != false)
            .filter_map(|m| {
                let kind = match str_of(m, "type") {
                    "person" => "Person",
                    "place" => "Place",
                    "organization" => "Organization",
                    _ => return None,
                };
                Some((kind, str_of(m, "entity")))
            })
            .collect();
        let mentioned = ld["mentions"].as_array().unwrap();
        assert_eq!(mentioned.len(), named.len(), "{slug}: each named entity once");
        for m in mentioned {
            let entity = site()
                .entities()
                .iter()
                .find(|e| e["name"] == m["name"] && named.contains(&(m["@type"].as_str().unwrap(), str_of(e, "id"))));
            let entity = entity.unwrap_or_else(|| panic!("{slug}: {m} is no entity of the article"));
            let same_as = entity["wikidata"].as_str().map(|q| format!("https://www.wikidata.org/wiki/{q}"));
            assert_eq!(m["sameAs"].as_str(), same_as.as_deref(), "{m}");
        }
    }
    assert_eq!(descriptions.len(), site().articles().len(), "each its own");
}

#[test]
fn every_page_has_the_favicon_and_robots_allow_all() {
    assert!(site().text("favicon.svg").starts_with("<svg"));
    for path in site().html_paths() {
        let page = site().page(path);
        if page.select(&sel("meta[http-equiv=refresh]")).next().is_some() {
            continue;
        }
        let icon =
            page.select(&sel("head link[rel=icon]")).next().and_then(|l| l.value().attr("href").map(String::from));
        assert_eq!(icon.map(|h| resolve(&h).0).as_deref(), Some("favicon.svg"), "{path}");
    }
    assert_eq!(site().text("robots.txt"), "User-agent: *\nAllow: /\n", "no sitemap without an absolute base");
    assert!(site().files.contains_key("404.html"));
}
