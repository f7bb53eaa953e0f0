//! Outputs beside the article and entity pages, built by the real binary from the seeds:
//! `sitemap.xml`, `404.html`, the web addresses exports carry when `base_url` is absolute
//! (the exports themselves are checked in tests/seeds/exports.rs), and the search page with
//! its index (queried in node, as the page's script queries it: tests/search/query.mjs).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, percent_decode, put, read_tree, search, small_archive};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Builds the seed archive (copied to `dir`, without `drop_template`, with `settings` added
/// to its site.toml) at `base_url`; returns the output folder.
fn build_with(dir: &Path, base_url: &str, drop_template: Option<&str>, settings: &str) -> std::path::PathBuf {
    let root = dir.join("archive");
    for sub in ["seeds", "templates", "static"] {
        copy_dir(&Path::new(ROOT).join(sub), &root.join(sub));
    }
    for file in ["entities.toml", "site.toml"] {
        fs::copy(Path::new(ROOT).join(file), root.join(file)).unwrap();
    }
    let site = fs::read_to_string(root.join("site.toml")).unwrap();
    // Top-level keys go before the first table.
    fs::write(root.join("site.toml"), format!("{settings}\n{site}")).unwrap();
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

fn build(dir: &Path, base_url: &str, drop_template: Option<&str>) -> std::path::PathBuf {
    build_with(dir, base_url, drop_template, "")
}

/// Every link of every page but 404.html, by page.
fn links_of(output: &Path) -> Vec<(String, Vec<String>)> {
    let any = scraper::Selector::parse("[href], [src]").unwrap();
    read_tree(output)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html") && p != Path::new("404.html"))
        .map(|(path, bytes)| {
            let page = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
            let links = page
                .select(&any)
                .filter(|el| el.value().attr("rel") != Some("canonical") || el.value().name() != "link")
                .filter_map(|el| el.value().attr("href").or(el.value().attr("src")).map(String::from))
                .collect();
            (path.to_string_lossy().into_owned(), links)
        })
        .collect()
}

#[test]
fn pages_link_alike_at_a_root_under_a_subpath_and_from_disk() {
    // Links lead from each page's <base>, its way back to the site's root: where the site
    // is published changes none of them, so the same folder works anywhere, file:// too.
    let (root, sub) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let at_root = links_of(&build(root.path(), "/", None));
    let base = "https://example.org/archive/";
    let under = links_of(&build(sub.path(), base, None));
    // A page's permalink, shown for citation, is its web address once there is one: it
    // must name the same page as the link it stands for.
    let in_site = |link: &String| match link.strip_prefix(base) {
        Some(path) if path.is_empty() || path.ends_with('/') => format!("{path}index.html"),
        Some(path) => path.to_string(),
        None => link.clone(),
    };
    let under: Vec<(String, Vec<String>)> =
        under.into_iter().map(|(page, links)| (page, links.iter().map(in_site).collect())).collect();
    assert!(at_root.len() > 100);
    assert_eq!(at_root, under);
    // But for the <base> itself (`../../`), a folder is linked as its index.html, which a
    // site opened from disk needs.
    let in_site = |l: &&String| !l.contains(':') && !l.chars().all(|c| c == '.' || c == '/');
    let folders: Vec<&String> =
        at_root.iter().flat_map(|(_, links)| links).filter(in_site).filter(|l| l.ends_with('/')).collect();
    assert!(folders.is_empty(), "{folders:?}");
}

#[test]
fn folder_links_drop_index_html_for_a_web_server() {
    let dir = tempfile::tempdir().unwrap();
    let output = build_with(dir.path(), "/", None, "folder_links = true");
    let home = fs::read_to_string(output.join("index.html")).unwrap();
    assert!(home.contains("href=\"articles/\"") && home.contains("href=\"entities/place/\""), "{home}");
    assert!(!home.contains("index.html\""), "{home}");
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
    // The host serves this page at any missing path, however deep: its links lead from
    // base_url, not from where it is.
    let bases: Vec<&str> =
        page.select(&scraper::Selector::parse("head > base").unwrap()).filter_map(|b| b.value().attr("href")).collect();
    assert_eq!(bases, [base]);
    for href in hrefs {
        assert!(!href.starts_with(['/', '#']), "{href} is not written from the root");
        let page = href.split('#').next().unwrap_or_default();
        assert!(output.join(file_of(&format!("{base}{page}"), base)).is_file(), "{href} leads nowhere");
    }
}

#[test]
fn an_archive_without_a_404_template_builds_without_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", Some("404.html"));
    assert!(output.join("index.html").is_file());
    assert!(!output.join("404.html").exists());
}

#[test]
fn search_finds_the_same_articles_for_every_spelling_of_a_name_and_entities_by_alias() {
    let dir = tempfile::tempdir().unwrap();
    search_finds_every_spelling(&build(dir.path(), "/", None));
}

#[test]
fn search_finds_as_much_in_an_index_made_in_shards() {
    let dir = tempfile::tempdir().unwrap();
    // The seeds' 130 pages in shards of about 30: the page merges the others into the first.
    let output = build_with(dir.path(), "/", None, "search = { shard_pages = 30 }");
    let html = fs::read_to_string(output.join("search/index.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let search = page.select(&scraper::Selector::parse("#search").unwrap()).next().unwrap();
    let merged: Vec<&str> = search.value().attr("data-merge").unwrap().split(' ').collect();
    assert!(merged.len() >= 3, "{merged:?}");
    for shard in merged {
        let shard = output.join(shard);
        assert!(shard.join("pagefind-entry.json").is_file(), "{shard:?}");
        assert!(!shard.join("pagefind-ui.js").exists(), "only the first shard has the interface");
    }
    search_finds_every_spelling(&output);
}

fn search_finds_every_spelling(output: &Path) {
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
    let found = search(output, &[spellings[0], spellings[1], spellings[2], "أبو كمال", "الولايات المتحده"]);
    let articles = |results: &[(String, String)]| -> BTreeSet<String> {
        results.iter().filter(|(_, kind)| kind.is_empty()).map(|(url, _)| url.clone()).collect()
    };
    let expected = articles(&found[0]);
    assert_eq!(expected.len(), 5, "every seed article names Deir ez-Zor: {:?}", found[0]);
    for (spelling, results) in spellings.iter().zip(&found) {
        assert_eq!(articles(results), expected, "{spelling}");
        let entity = ("/entities/place/deir-ez-zor-governorate/index.html".to_string(), "مكان".to_string());
        assert!(results.contains(&entity), "{spelling} finds the entity: {results:?}");
    }
    // An alias finds its entity first; a folded name (ة as ه) finds the entity too.
    assert_eq!(found[3].first().map(|r| r.0.as_str()), Some("/entities/place/abu-kamal/index.html"), "{:?}", found[3]);
    assert!(found[4].iter().any(|r| r.0 == "/entities/place/united-states/index.html"), "{:?}", found[4]);
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
    let bundle = output.join(percent_decode(search.value().attr("data-bundle").unwrap()));
    assert!(bundle.join("pagefind-entry.json").is_file() && bundle.join("pagefind-ui.js").is_file(), "{bundle:?}");
    // Without JavaScript, or where the index cannot load, the indexes are what it offers.
    let indexes = page.select(&select("#search-indexes")).next().expect("the indexes");
    assert!(indexes.value().attr("hidden").is_none(), "shown until a script hides them");
    let hrefs: Vec<&str> = indexes.select(&select("a[href]")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"articles/index.html") && hrefs.contains(&"entities/place/index.html"), "{hrefs:?}");
    for href in &hrefs {
        assert!(output.join(percent_decode(href)).is_file(), "{href} leads nowhere");
    }
    // The Content-Security-Policy allows no inline script or style.
    for script in page.select(&select("script")) {
        let src = script.value().attr("src").expect("scripts are files");
        assert!(output.join(percent_decode(src)).is_file(), "{src}");
    }
    assert_eq!(page.select(&select("[style], style")).count(), 0);
    for shown in ["index.html", "articles/index.html", "404.html"] {
        let html = fs::read_to_string(output.join(shown)).unwrap();
        assert!(html.contains("href=\"search/index.html\""), "{shown} links to the search page");
    }
}

#[test]
fn an_archive_without_a_search_template_builds_without_search() {
    let dir = tempfile::tempdir().unwrap();
    let output = build(dir.path(), "/", Some("search.html"));
    assert!(output.join("index.html").is_file());
    assert!(!output.join("search").exists() && !output.join("pagefind").exists());
    assert!(!fs::read_to_string(output.join("index.html")).unwrap().contains("href=\"search/index.html\""));
}

#[test]
fn with_an_absolute_base_url_exports_and_heads_carry_web_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let base = "https://example.org/archive/";
    let output = build(dir.path(), base, None);
    let read = |file: &str| fs::read_to_string(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let archive: Value = serde_json::from_str(&read("data/archive.json")).unwrap();
    let articles = archive["articles"].as_array().unwrap();
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    for article in articles {
        let (slug, path) = (article["slug"].as_str().unwrap(), article["path"].as_str().unwrap());
        let url = format!("{base}articles/{slug}/");
        let page = scraper::Html::parse_document(&read(&format!("articles/{slug}/index.html")));
        let attr = |css: &str, name: &str| -> Vec<String> {
            page.select(&sel(css)).filter_map(|e| e.value().attr(name).map(String::from)).collect()
        };
        assert_eq!(attr("head link[rel=canonical]", "href"), [url.as_str()], "{slug}");
        assert_eq!(attr("head meta[property='og:url']", "content"), [url.as_str()], "{slug}");
        let script = page.select(&sel("script[type='application/ld+json']")).next().unwrap();
        let ld: Value = serde_json::from_str(&script.text().collect::<String>()).unwrap();
        assert_eq!(ld["url"], url.as_str());
        assert_eq!(ld["encoding"]["contentUrl"], format!("{base}data/{path}"));
        for m in ld["mentions"].as_array().unwrap() {
            assert!(m["url"].as_str().is_some_and(|u| u.starts_with(&format!("{base}entities/"))), "{m}");
        }
        let citation: String = page.select(&sel(".citation")).next().unwrap().text().collect();
        assert!(citation.contains(&url), "{citation}");
        // Annotations: every address absolute.
        let annotations: Value = serde_json::from_str(&read(&format!("data/annotations/{slug}.jsonld"))).unwrap();
        let own = format!("{base}data/annotations/{slug}.jsonld");
        assert_eq!(annotations["id"], own.as_str());
        for item in annotations["items"].as_array().unwrap() {
            assert!(item["id"].as_str().unwrap().starts_with(&format!("{own}#m-")), "{item}");
            assert_eq!(item["target"]["source"]["id"], format!("{base}data/{path}"));
            if let Some(body) = item["body"].as_str() {
                assert!(body.starts_with(&format!("{base}entities/")), "{body}");
            }
        }
    }
    // The feed's ids are the pages' addresses.
    let xml = read("feed.xml");
    let feed = roxmltree::Document::parse(&xml).unwrap();
    fn atom(name: &'static str) -> impl Fn(&roxmltree::Node) -> bool {
        move |n| n.has_tag_name(("http://www.w3.org/2005/Atom", name))
    }
    let root = feed.root_element();
    assert_eq!(root.children().find(atom("id")).and_then(|n| n.text()), Some(&*format!("{base}feed.xml")));
    let entries: Vec<roxmltree::Node> = root.children().filter(atom("entry")).collect();
    assert_eq!(entries.len(), articles.len());
    for entry in entries {
        let id = entry.children().find(atom("id")).and_then(|n| n.text()).unwrap();
        let link = entry.children().find(atom("link")).and_then(|n| n.attribute("href")).unwrap();
        assert!(id == link && id.starts_with(&format!("{base}articles/")), "{id} {link}");
    }
    assert_eq!(read("robots.txt"), format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"));
}

/// The years of the articles a page of a list by date shows, in its order.
fn years_listed(page: &scraper::Html) -> Vec<String> {
    let time = scraper::Selector::parse("ol.articles li .meta time").unwrap();
    let mut years: Vec<String> =
        page.select(&time).map(|t| t.value().attr("datetime").unwrap()[..4].to_string()).collect();
    years.dedup();
    years
}

#[test]
fn pages_of_articles_never_split_a_year_and_link_where_each_year_starts() {
    let dir = tempfile::tempdir().unwrap();
    // Two articles a page: the seeds' five (2023, 2023, 2022, 2021, 2021) take three.
    let output = build_with(dir.path(), "/", None, "paginate.articles = 2");
    let page = |n: usize| {
        let file = if n == 1 { "articles/index.html".to_string() } else { format!("articles/page/{n}/index.html") };
        scraper::Html::parse_document(&fs::read_to_string(output.join(file)).unwrap())
    };
    let pages: Vec<scraper::Html> =
        (1..).take_while(|&n| n == 1 || output.join(format!("articles/page/{n}")).exists()).map(page).collect();
    let by_page: Vec<Vec<String>> = pages.iter().map(years_listed).collect();
    let all: Vec<String> = by_page.concat();
    let mut seen = all.clone();
    seen.dedup();
    assert_eq!(all, seen, "a year on two pages: {by_page:?}");
    assert!(pages.len() >= 3, "{by_page:?}");
    // Each page links each year to the page it starts on, and marks those it shows.
    let link = scraper::Selector::parse("nav.pager-years a").unwrap();
    for (n, doc) in pages.iter().enumerate() {
        let links: Vec<(String, String, bool)> = doc
            .select(&link)
            .map(|a| {
                let current = a.value().attr("aria-current").is_some();
                (a.text().collect(), a.value().attr("href").unwrap().to_string(), current)
            })
            .collect();
        assert_eq!(links.iter().map(|l| l.0.clone()).collect::<Vec<_>>(), all, "page {}", n + 1);
        for (year, href, current) in links {
            let first = by_page.iter().position(|years| years.contains(&year)).unwrap() + 1;
            let expected = if first == 1 {
                "articles/index.html".to_string()
            } else {
                format!("articles/page/{first}/index.html")
            };
            assert_eq!(href, expected, "{year}");
            assert_eq!(current, by_page[n].contains(&year), "page {}: {year}", n + 1);
        }
    }
}

#[test]
fn articles_without_a_date_are_counted_on_the_timeline_and_found_last_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    small_archive(dir.path());
    put(
        dir.path(),
        "seeds/dated.md",
        "+++\ntitle = \"خبر مؤرخ\"\ndate = 2020-01-05\nsource = \"BBC\"\n+++\n\nزار دمشق.",
    );
    put(dir.path(), "seeds/undated.md", "+++\ntitle = \"خبر بلا تاريخ\"\nsource = \"bbc \"\n+++\n\nنص.");
    let output = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    let page = |file: &str| scraper::Html::parse_document(&fs::read_to_string(output.join(file)).unwrap());
    let select = |doc: &scraper::Html, css: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(css).unwrap();
        doc.select(&sel).map(|el| el.value().attr("href").unwrap_or_default().to_string()).collect()
    };
    let timeline = page("timeline/index.html");
    let note = scraper::Selector::parse("p.note").unwrap();
    let said: String = timeline.select(&note).flat_map(|p| p.text()).collect();
    assert!(said.contains("مقالة واحدة بلا تاريخ"), "{said}");
    assert_eq!(select(&timeline, "p.note a"), ["articles/index.html"]);
    // Newest first, then the undated.
    assert_eq!(
        select(&page("articles/index.html"), "ol.articles li > a"),
        ["articles/dated/index.html", "articles/undated/index.html"]
    );
    // «BBC» and «bbc » are one outlet, named as most often written (a tie: first in order).
    assert_eq!(select(&page("outlets/index.html"), "ul.outlets a"), ["outlets/bbc/index.html"]);
    assert_eq!(select(&page("outlets/bbc/index.html"), "ol.articles li > a").len(), 2);
    assert_eq!(select(&page("articles/undated/index.html"), "dl.article-meta a"), ["outlets/bbc/index.html"]);
}
