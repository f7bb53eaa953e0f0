//! Outputs beside the article and entity pages, built by the real binary from the seeds:
//! `sitemap.xml`, `404.html`, and the search page with its index (queried in node, as the
//! page's script queries it: tests/search/query.mjs).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, percent_decode, read_tree};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Builds the seed archive (copied to `dir`, with `templates` from `templates_from`) at
/// `base_url`; returns the output folder.
fn build(dir: &Path, base_url: &str, drop_template: Option<&str>) -> std::path::PathBuf {
    let root = dir.join("archive");
    for sub in ["seeds", "templates", "static"] {
        copy_dir(&Path::new(ROOT).join(sub), &root.join(sub));
    }
    for file in ["entities.toml", "site.toml"] {
        fs::copy(Path::new(ROOT).join(file), root.join(file)).unwrap();
    }
    if let Some(template) = drop_template {
        fs::remove_file(root.join("templates").join(template)).unwrap();
    }
    let output = dir.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&output)
        .args(["--base-url", base_url])
        .status()
        .unwrap();
    assert!(status.success());
    output
}

/// The addresses between `<loc>` and `</loc>`.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>"))
        .map(|(loc, _)| loc.replace("&amp;", "&"))
        .collect()
}

/// The page a link inside the site leads to, as a file of `output`.
fn file_of(href: &str, base: &str) -> String {
    let path = href.strip_prefix(base).unwrap_or_else(|| panic!("{href} is not under {base}"));
    let path = percent_decode(path);
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    }
}

#[test]
fn the_sitemap_lists_every_article_entity_and_index_at_absolute_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let base = "https://example.org/archive/";
    let output = build(dir.path(), base, None);
    let xml = fs::read_to_string(output.join("sitemap.xml")).unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    ));
    assert!(xml.trim_end().ends_with("</urlset>"), "{xml}");
    let listed: Vec<String> = locs(&xml).iter().map(|loc| file_of(loc, base)).collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "an address listed twice");
    let tree = read_tree(&output);
    for file in &listed {
        assert!(tree.contains_key(Path::new(file)), "{file} is listed and not built");
    }
    // Every article and entity page is listed (a list's later pages need not be), and no
    // page that only sends the reader on to another.
    let redirect = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\"");
    let expected: Vec<String> = tree
        .iter()
        .filter(|(_, bytes)| !redirect(bytes))
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .filter(|p| p.ends_with("/index.html") && !p.contains("/page/"))
        .filter(|p| p.starts_with("articles/") || p.starts_with("entities/"))
        .collect();
    let redirects = listed.iter().filter(|p| redirect(&tree[Path::new(p.as_str())])).count();
    assert_eq!(redirects, 0, "pages that send the reader on are not listed");
    assert!(expected.len() > 100, "{} pages", expected.len());
    let missing: Vec<&String> = expected.iter().filter(|p| !unique.contains(p)).collect();
    assert!(missing.is_empty(), "not in the sitemap: {missing:?}");
    assert!(unique.contains(&"index.html".to_string()));
}

#[test]
fn without_an_absolute_base_url_there_is_no_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", None);
    assert!(output.join("index.html").is_file());
    assert!(!output.join("sitemap.xml").exists(), "a sitemap's addresses must be absolute");
}

#[test]
fn the_404_page_is_a_page_of_the_site_whose_links_all_lead_somewhere() {
    let dir = tempfile::tempdir().unwrap();
    let base = "/archive/";
    let output = build(dir.path(), base, None);
    let html = fs::read_to_string(output.join("404.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let root = page.root_element();
    assert_eq!(root.value().attr("dir"), Some("rtl"));
    assert!(html.contains("css/site.css"), "styled like the other pages");
    let links = scraper::Selector::parse("a[href]").unwrap();
    let hrefs: Vec<&str> = page.select(&links).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.len() >= 3, "{hrefs:?}");
    for href in hrefs.iter().filter(|h| !h.starts_with('#')) {
        // Links are absolute from the base: the host serves this page at any missing path.
        assert!(href.starts_with(base), "{href} would break below the root");
        assert!(output.join(file_of(href, base)).is_file(), "{href} leads nowhere");
    }
}

#[test]
fn an_archive_without_a_404_template_builds_without_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", Some("404.html"));
    assert!(output.join("index.html").is_file());
    assert!(!output.join("404.html").exists());
}

/// Each query's results in the index of the site at `output`: (url, kind) pairs, kind
/// empty for an article. Needs node, as the search page needs a browser.
fn search(output: &Path, queries: &[&str]) -> Vec<Vec<(String, String)>> {
    let run = Command::new("node")
        .arg(Path::new(ROOT).join("tests/search/query.mjs"))
        .arg(output)
        .args(queries)
        .output()
        .expect("node runs the search page's script: install nodejs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let found: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    queries
        .iter()
        .map(|q| {
            let results = found[q].as_array().unwrap_or_else(|| panic!("no results for {q}: {found}"));
            results
                .iter()
                .map(|r| (r["url"].as_str().unwrap().to_string(), r["kind"].as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn search_finds_the_same_articles_for_every_spelling_of_a_name_and_entities_by_alias() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", None);
    // Written joined, or after a proclitic, nowhere in the seeds: only the spellings the
    // index holds for the entities can find them.
    let seeds: String = fs::read_dir(Path::new(ROOT).join("seeds"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    for absent in ["ديرالزور", "بدير الزور", "أبو كمال", "الولايات المتحده"] {
        assert!(!seeds.contains(absent), "{absent} is in the seeds");
    }
    let spellings = ["دير الزور", "ديرالزور", "بدير الزور"];
    let found = search(&output, &[spellings[0], spellings[1], spellings[2], "أبو كمال", "الولايات المتحده"]);
    let articles = |results: &[(String, String)]| -> BTreeSet<String> {
        results.iter().filter(|(_, kind)| kind.is_empty()).map(|(url, _)| url.clone()).collect()
    };
    let expected = articles(&found[0]);
    assert_eq!(expected.len(), 5, "every seed article names Deir ez-Zor: {:?}", found[0]);
    for (spelling, results) in spellings.iter().zip(&found) {
        assert_eq!(articles(results), expected, "{spelling}");
        let entity = ("/entities/place/deir-ez-zor-governorate/".to_string(), "مكان".to_string());
        assert!(results.contains(&entity), "{spelling} finds the entity: {results:?}");
    }
    // An alias finds its entity first; a folded name (ة as ه) finds the entity too.
    assert_eq!(found[3].first().map(|r| r.0.as_str()), Some("/entities/place/abu-kamal/"), "{:?}", found[3]);
    assert!(found[4].iter().any(|r| r.0 == "/entities/place/united-states/"), "{:?}", found[4]);
    // Every result is a page of the site.
    for (url, _) in found.iter().flatten() {
        assert!(output.join(file_of(url, "/")).is_file(), "{url} leads nowhere");
    }
}

#[test]
fn the_search_page_offers_the_indexes_and_every_page_links_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let base = "/archive/";
    let output = build(dir.path(), base, None);
    let html = fs::read_to_string(output.join("search/index.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let search = page.select(&select("#search")).next().expect("the search box");
    assert_eq!(search.value().attr("dir"), Some("rtl"), "Pagefind's interface sets no direction");
    let bundle = output.join(percent_decode(search.value().attr("data-bundle").unwrap().strip_prefix(base).unwrap()));
    assert!(bundle.join("pagefind-entry.json").is_file() && bundle.join("pagefind-ui.js").is_file(), "{bundle:?}");
    // Without JavaScript, or where the index cannot load, the indexes are what it offers.
    let indexes = page.select(&select("#search-indexes")).next().expect("the indexes");
    assert!(indexes.value().attr("hidden").is_none(), "shown until a script hides them");
    let hrefs: Vec<&str> = indexes.select(&select("a[href]")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"/archive/articles/") && hrefs.contains(&"/archive/entities/place/"), "{hrefs:?}");
    for href in &hrefs {
        assert!(output.join(file_of(href, base)).is_file(), "{href} leads nowhere");
    }
    // The Content-Security-Policy allows no inline script or style.
    for script in page.select(&select("script")) {
        let src = script.value().attr("src").expect("scripts are files");
        assert!(output.join(file_of(src, base)).is_file(), "{src}");
    }
    assert_eq!(page.select(&select("[style], style")).count(), 0);
    for shown in ["index.html", "articles/index.html", "404.html"] {
        let html = fs::read_to_string(output.join(shown)).unwrap();
        assert!(html.contains("href=\"/archive/search/\""), "{shown} links to the search page");
    }
}

#[test]
fn an_archive_without_a_search_template_builds_without_search() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", Some("search.html"));
    assert!(output.join("index.html").is_file());
    assert!(!output.join("search").exists() && !output.join("pagefind").exists());
    assert!(!fs::read_to_string(output.join("index.html")).unwrap().contains("href=\"/search/\""));
}
