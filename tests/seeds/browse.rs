//! Browsing by time and by outlet: the timeline lists each article under the month it was
//! published in and under each date it refers to; each outlet's page lists exactly the
//! articles whose `source` it is, and each article's header links there. What is expected
//! comes from data/archive.json (the seeds' metadata and mentions), not from the pages.

use std::collections::{BTreeMap, BTreeSet};

use crate::{resolve, sel, site, str_of, text_of};

/// The links of the articles listed in the elements `scope` selects on `doc`.
fn listed(doc: &scraper::Html, scope: &str) -> BTreeSet<String> {
    doc.select(&sel(&format!("{scope} li > a:first-child")))
        .filter_map(|a| a.value().attr("href"))
        .map(String::from)
        .collect()
}

/// Each article's link, by what `key` of it gives (a month, a source), from archive.json.
fn articles_by(key: impl Fn(&serde_json::Value) -> Vec<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for article in site().articles() {
        for k in key(article) {
            by.entry(k).or_default().insert(str_of(article, "url").to_string());
        }
    }
    by
}

#[test]
fn the_timeline_lists_each_article_under_the_month_it_was_published_in() {
    let by_month = articles_by(|a| a["date"].as_str().map(|d| d[..7].to_string()).into_iter().collect());
    assert!(by_month.len() >= 3, "the seeds are published in several months: {by_month:?}");
    let overview = site().page("timeline/index.html");
    for (month, articles) in &by_month {
        let year = &month[..4];
        let page = site().page(&format!("timeline/{year}/index.html"));
        assert_eq!(&listed(&page, &format!("section[aria-labelledby='p-{month}'] ul.articles")), articles, "{month}");
        // The first page links the month where its year's page lists it.
        let link = format!("timeline/{year}/index.html#p-{month}");
        assert!(overview.select(&sel(&format!("a[href='{link}']"))).next().is_some(), "{link}");
    }
    // No article is listed under a month it was not published in.
    for path in site().html_paths().filter(|p| p.starts_with("timeline/") && *p != "timeline/index.html") {
        let page = site().page(path);
        for section in page.select(&sel("section[aria-labelledby^='p-'] > section[aria-labelledby^='p-']")) {
            let month = section.value().attr("aria-labelledby").unwrap().trim_start_matches("p-");
            let shown: BTreeSet<String> = section
                .select(&sel("ul.articles li > a:first-child"))
                .filter_map(|a| a.value().attr("href"))
                .map(String::from)
                .collect();
            assert_eq!(Some(&shown), by_month.get(month), "{path}: {month}");
        }
    }
    // Every seed has a date: the first page says nothing of undated articles.
    assert!(overview.select(&sel("a[href^='articles/']")).next().is_none());
}

#[test]
fn the_timeline_lists_each_article_under_each_date_it_refers_to() {
    let dates_of = |a: &serde_json::Value| -> Vec<String> {
        let mentions = a["mentions"].as_array().expect("mentions");
        let dates: BTreeSet<String> =
            mentions.iter().filter(|m| m["type"] == "date").map(|m| str_of(m, "entity").to_string()).collect();
        dates.into_iter().collect()
    };
    let by_date = articles_by(dates_of);
    assert!(by_date.keys().any(|d| d.len() == 10) && by_date.keys().any(|d| d.len() == 7), "days and months");
    for (date, articles) in &by_date {
        let page = site().page(&format!("timeline/{}/index.html", &date[..4]));
        let list = format!("ul[data-date='{date}']");
        assert_eq!(&listed(&page, &list), articles, "the articles referring to {date}");
        // Its heading links the date's page.
        let entity = format!("entities/date/{date}/index.html");
        assert!(page.select(&sel(&format!("a[href='{entity}']"))).next().is_some(), "{date}: no link to {entity}");
        assert!(site().files.contains_key(&entity), "{entity}");
    }
    // A date on a year's page is a date of that year, in a section of its month.
    for path in site().html_paths().filter(|p| p.starts_with("timeline/") && *p != "timeline/index.html") {
        let year = &path["timeline/".len()..][..4];
        for list in site().page(path).select(&sel("ul[data-date]")) {
            let date = list.value().attr("data-date").unwrap();
            assert!(date.starts_with(year) && by_date.contains_key(date), "{path}: {date}");
        }
    }
}

#[test]
fn each_outlet_lists_exactly_the_articles_of_its_source_and_articles_link_their_outlet() {
    let by_source = articles_by(|a| a["source"].as_str().map(|s| s.trim().to_string()).into_iter().collect());
    assert!(by_source.len() >= 3, "{by_source:?}");
    let index = site().page("outlets/index.html");
    let outlets: Vec<(String, String)> = index
        .select(&sel("ul.outlets li > a"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    let names: Vec<&str> = outlets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.iter().copied().collect::<BTreeSet<_>>(), by_source.keys().map(String::as_str).collect());
    // In Arabic alphabetical order, as the indexes of entities are.
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| archive::arabic::sort::compare(a, b));
    assert_eq!(names, sorted);
    for (name, href) in &outlets {
        let (file, _) = resolve(href);
        let page = site().page(&file);
        assert_eq!(&listed(&page, "ol.articles"), &by_source[name], "{file}");
        assert!(text_of(page.select(&sel("h1")).next().unwrap()).contains(name.as_str()));
        // Each article of it names the outlet in its header, linked to this page.
        for url in &by_source[name] {
            let (article, _) = resolve(url);
            let doc = site().page(&article);
            let linked: Vec<String> = doc
                .select(&sel("dl.article-meta dd a"))
                .filter(|a| text_of(*a) == *name)
                .filter_map(|a| a.value().attr("href").map(String::from))
                .collect();
            assert_eq!(linked, std::slice::from_ref(href), "{article}");
        }
    }
    // The article without a source is counted, not listed.
    let without = site().articles().iter().filter(|a| a["source"].is_null()).count();
    let note = index.select(&sel("p.note")).next().map(text_of).unwrap_or_default();
    assert_eq!(without > 0, !note.is_empty(), "{note}");
}

#[test]
fn every_page_links_the_timeline_and_the_outlets() {
    for path in ["index.html", "articles/index.html", "timeline/index.html"] {
        let doc = site().page(path);
        let nav: Vec<&str> = doc.select(&sel("header nav a")).filter_map(|a| a.value().attr("href")).collect();
        assert!(nav.contains(&"timeline/index.html") && nav.contains(&"outlets/index.html"), "{path}: {nav:?}");
    }
}
