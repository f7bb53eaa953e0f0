//! The article pipeline on arbitrary text, as Markdown and as raw text: clean with the
//! built-in rules, find prose runs, recognise mentions, render with mentions woven in.
//! The HTML must nest properly, never nest links, and hold no markup from the input.
#![no_main]

use std::sync::LazyLock;

use archive::fuzz::markdown::{self, MentionLink};
use archive::fuzz::tagger::Tagger;
use archive::fuzz::{Anchor, Article, CleanConfig, CleanRules, Format, Gazetteer, Highlighter, Mention, Metadata};
use archive::fuzz::{RawHtml, Recogniser};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::parse(std::path::Path::new("entities.toml"), include_str!("../../entities.toml"))
        .expect("the seed gazetteer parses")
});
static RECOGNISER: LazyLock<Recogniser> =
    LazyLock::new(|| Recogniser::new(&GAZETTEER, Some(Tagger::shared_built_in())));
static RULES: LazyLock<CleanRules> = LazyLock::new(|| {
    CleanConfig::default().compile(std::path::Path::new("site.toml"), "").expect("the built-in rules compile")
});
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::default);

/// Tags the renderer may write: pulldown-cmark's, and the body renderer's own.
const TAGS: &[&str] = &[
    "a",
    "bdi",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];
const VOID: &[&str] = &["br", "hr", "img"];

/// Checks that `html` only holds known tags, properly nested, with no link inside a link,
/// and that it shows exactly `mentions` mention links.
fn check_html(html: &str, mentions: usize) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "unescaped <script in {html:?}");
    let mut stack: Vec<&str> = Vec::new();
    let mut opened_mentions = 0;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let tag = &rest[lt..];
        let end = tag.find('>').unwrap_or_else(|| panic!("unclosed tag at {tag:?} in {html:?}"));
        let inner = &tag[1..end];
        let closing = inner.starts_with('/');
        let name_start = usize::from(closing);
        let name_len =
            inner[name_start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len() - name_start);
        let name = &inner[name_start..name_start + name_len];
        assert!(TAGS.contains(&name), "unexpected tag <{inner}> in {html:?}");
        if closing {
            assert_eq!(stack.pop(), Some(name), "</{name}> closes the wrong element in {html:?}");
        } else if !VOID.contains(&name) {
            if name == "a" {
                assert!(!stack.contains(&"a"), "a link inside a link in {html:?}");
                if inner.starts_with("a class=\"mention ") {
                    opened_mentions += 1;
                }
            }
            stack.push(name);
        }
        rest = &tag[end + 1..];
    }
    assert!(stack.is_empty(), "elements left open: {stack:?} in {html:?}");
    assert_eq!(opened_mentions, mentions, "mention links for mentions in {html:?}");
}

/// Where the body starts, as `content::load` finds it: after a byte-order mark, and in
/// Markdown after front matter between `+++` or `---` lines (left in when never closed,
/// where loading would stop with an error).
fn body(text: &str, format: Format) -> std::ops::Range<usize> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[start..];
    let fence = ["+++", "---"].into_iter().find(|f| rest.starts_with(f));
    let (Format::Markdown, Some(fence)) = (format, fence) else { return start..text.len() };
    let mut at = start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    for line in text[at..].split_inclusive('\n') {
        at += line.len();
        if line.trim_end() == fence {
            return at..text.len();
        }
    }
    start..text.len()
}

fn run(text: &str, format: Format, titled: bool) {
    let article = Article {
        path: "fuzz".into(),
        slug: "fuzz".into(),
        format,
        text: text.to_string(),
        sha256: String::new(),
        body: body(text, format),
        // A title in the metadata means cleaning takes none from the text.
        meta: Metadata { title: titled.then(|| "عنوان".to_string()), ..Metadata::default() },
    };
    let cleaned = archive::fuzz::clean(&article, &RULES);
    let events = markdown::body_events(&article, &cleaned);
    // As the build does: the title is recognised with the body's prose.
    let anchor = Some(Anchor { date: NaiveDate::from_ymd_opt(2021, 2, 26).unwrap(), approximate: false });
    let mentions = RECOGNISER.recognise(text, &cleaned.prose, anchor);
    for m in &mentions {
        assert!(text.get(m.span.clone()).is_some(), "mention {m:?} is not a slice of the text");
        assert!(m.span.start >= article.body.start, "mention {m:?} in the front matter");
    }
    let in_title = |m: &&Mention| {
        cleaned.title.as_ref().is_some_and(|t| t.range.start <= m.span.start && m.span.end <= t.range.end)
    };
    let titled_mentions = mentions.iter().filter(in_title).count();
    let link = |m: &Mention| MentionLink {
        href: Some(format!("/entities/{}/{}/", m.kind, m.entity)),
        label: format!("{} — {}", &text[m.span.clone()], m.kind.label()),
    };
    let page = markdown::Page { highlighter: &HIGHLIGHTER, raw_html: RawHtml::Sanitize, here: "articles/x/index.html" };
    // Every mention is shown once: in the body, or in the title.
    let html = markdown::render(text, events, &mentions, &link, &page);
    check_html(&html, mentions.len() - titled_mentions);
    if let Some(title) = &cleaned.title {
        let events = markdown::title_events(&article, title);
        let html = markdown::render(text, events, &mentions, &link, &page);
        check_html(&html, titled_mentions);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let titled = data.last().is_some_and(|b| b & 1 == 1);
    run(&text, Format::Markdown, titled);
    run(&text, Format::Text, titled);
});
