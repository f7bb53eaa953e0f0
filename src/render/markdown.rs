//! An article's body as a pulldown-cmark event stream, with mentions woven in as events:
//! no string surgery on finished HTML. Raw text and Markdown go through the same path.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::highlight::Highlighter;
use super::html;
use crate::config::RawHtml;
use crate::content::markdown::{options, Spanned};
use crate::domain::{Article, BlockKind, Cleaned, Format, Mention, Title};

/// The events of the kept body: raw-text blocks become paragraphs and headings; Markdown
/// is parsed, and top-level blocks that cleaning removed are skipped.
pub fn body_events<'a>(article: &'a Article, cleaned: &Cleaned) -> Vec<Spanned<'a>> {
    let text = article.text.as_str();
    match article.format {
        Format::Text => {
            let mut out = Vec::with_capacity(cleaned.blocks.len() * 3);
            for block in &cleaned.blocks {
                let r = block.range.clone();
                let (start, end) = match block.kind {
                    BlockKind::Heading => (
                        Tag::Heading { level: HeadingLevel::H2, id: None, classes: vec![], attrs: vec![] },
                        TagEnd::Heading(HeadingLevel::H2),
                    ),
                    _ => (Tag::Paragraph, TagEnd::Paragraph),
                };
                out.push((Event::Start(start), r.clone()));
                out.push((Event::Text(CowStr::Borrowed(&text[r.clone()])), r.clone()));
                out.push((Event::End(end), r));
            }
            out
        }
        Format::Markdown => {
            let body = article.body.clone();
            let kept: Vec<Range<usize>> = cleaned.blocks.iter().map(|b| b.range.clone()).collect();
            let mut depth = 0usize;
            let mut keep = false;
            let mut out = Vec::new();
            for (event, range) in Parser::new_ext(&text[body.clone()], options()).into_offset_iter() {
                let range = body.start + range.start..body.start + range.end;
                if depth == 0 {
                    keep = kept.iter().any(|k| k.start == range.start);
                }
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                if keep {
                    out.push((event, range));
                }
            }
            out
        }
    }
}

/// The events of a title: a line of raw text is one text event; a Markdown heading is parsed
/// and what is inside it kept, so its links, emphasis and mentions show as in the body.
pub fn title_events<'a>(article: &'a Article, title: &Title) -> Vec<Spanned<'a>> {
    let text = article.text.as_str();
    let range = title.range.clone();
    match article.format {
        Format::Text => vec![(Event::Text(CowStr::Borrowed(&text[range.clone()])), range)],
        Format::Markdown => Parser::new_ext(&text[range.clone()], options())
            .into_offset_iter()
            .filter(|(event, _)| !matches!(event, Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))))
            .map(|(event, r)| (event, range.start + r.start..range.start + r.end))
            .collect(),
    }
}

/// How a mention is shown: its link (none for a discovered entity without a page) and
/// accessible name.
pub struct MentionLink {
    /// The entity's page, if it has one.
    pub href: Option<String>,
    /// "دير الزور — مكان": the text as shown, then what it is.
    pub label: String,
}

/// What the page that shows a text gives its rendering.
pub struct Page<'a> {
    /// Colours code blocks.
    pub highlighter: &'a Highlighter,
    /// What becomes of HTML written in the text.
    pub raw_html: RawHtml,
    /// The page's own link, from the site's root: relative links in the text are made to lead from there.
    pub here: &'a str,
}

/// Renders events to HTML with each mention an `<a>` carrying the contract's attributes,
/// Latin-script runs isolated in `<bdi>`, code highlighted, links with dangerous URLs
/// reduced to their text, relative links kept leading where they did from the page, and
/// raw HTML sanitised or escaped as `page.raw_html` says.
pub fn render(
    text: &str,
    events: Vec<Spanned>,
    mentions: &[Mention],
    link: &dyn Fn(&Mention) -> MentionLink,
    page: &Page,
) -> String {
    let mut woven: Vec<Event> = Vec::with_capacity(events.len() + mentions.len() * 3);
    let mut next = 0; // first mention not yet closed
                      // The closing tag of the mention open across text events, if one is.
    let mut open: Option<&'static str> = None;
    let mut code: Option<(String, String)> = None;
    let mut has_raw_html = false;
    // For each open link or image: whether it was dropped for its URL.
    let mut dropped: Vec<bool> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let safe = html::is_safe_url(dest_url);
                dropped.push(!safe);
                if safe {
                    let rebased = from_page(dest_url, page.here);
                    woven.push(match (event, rebased) {
                        (Event::Start(Tag::Link { link_type, title, id, .. }), Some(url)) => {
                            Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id })
                        }
                        (Event::Start(Tag::Image { link_type, title, id, .. }), Some(url)) => {
                            Event::Start(Tag::Image { link_type, dest_url: url.into(), title, id })
                        }
                        (event, _) => event,
                    });
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    woven.push(event);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, body)) = code.take() {
                    woven.push(Event::Html(code_block(&lang, &body, page.highlighter).into()));
                }
            }
            Event::Text(t) if text.get(range.clone()) == Some(t.as_ref()) => {
                weave_text(text, range, mentions, &mut next, &mut open, link, &mut woven);
            }
            Event::Text(t) => push_isolated(t.into_string(), &mut woven),
            Event::Html(h) | Event::InlineHtml(h) => match page.raw_html {
                RawHtml::Escape => woven.push(Event::Text(h)),
                RawHtml::Sanitize => {
                    has_raw_html = true;
                    woven.push(Event::Html(h));
                }
            },
            other => woven.push(other),
        }
    }
    if let Some(close) = open {
        woven.push(Event::Html(close.into()));
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, woven.into_iter());
    // Only an article with raw HTML needs the sanitiser: everything else was escaped as written.
    if has_raw_html {
        out = html::sanitize(&out);
    }
    out
}

/// One verbatim text slice, cut at mention boundaries. A mention may open in one slice and
/// close in a later one of the same run: `open` carries that across calls.
/// A link written relative to the page it is on (`#note`, `photo.jpg`, `../other/`), made
/// to lead from the site's root, where every page's `<base>` points: `here` is the page's
/// link from there. `None` for a link that needs no change (absolute, or from the host's root).
fn from_page(url: &str, here: &str) -> Option<String> {
    if url.starts_with('#') {
        return Some(format!("{here}{url}"));
    }
    if html::scheme(url).is_some() || url.starts_with('/') || url.starts_with('\\') {
        return None;
    }
    let folder = &here[..here.rfind('/').map_or(0, |slash| slash + 1)];
    Some(format!("{folder}{url}"))
}

fn weave_text<'a>(
    text: &'a str,
    range: Range<usize>,
    mentions: &[Mention],
    next: &mut usize,
    open: &mut Option<&'static str>,
    link: &dyn Fn(&Mention) -> MentionLink,
    out: &mut Vec<Event<'a>>,
) {
    let mut at = range.start;
    while at < range.end {
        // Mentions that ended before this slice (in skipped markup) are dropped, not woven.
        while open.is_none() && *next < mentions.len() && mentions[*next].span.start < at {
            *next += 1;
        }
        let Some(m) = mentions.get(*next) else {
            push_isolated(text[at..range.end].to_string(), out);
            return;
        };
        if let Some(close) = *open {
            let end = m.span.end.min(range.end);
            push_isolated(text[at..end].to_string(), out);
            at = end;
            if end == m.span.end {
                out.push(Event::Html(close.into()));
                *open = None;
                *next += 1;
            }
        } else if m.span.start < range.end {
            push_isolated(text[at..m.span.start].to_string(), out);
            let (tag, close) = open_tag(m, &link(m));
            out.push(Event::Html(tag.into()));
            *open = Some(close);
            at = m.span.start;
        } else {
            push_isolated(text[at..range.end].to_string(), out);
            return;
        }
    }
}

/// The opening tag of a mention, and its closing tag: a link to its entity's page, or a
/// highlight without one.
fn open_tag(m: &Mention, link: &MentionLink) -> (String, &'static str) {
    let (kind, id, entity, label) = (m.kind, m.anchor(), html::escape(&m.entity), html::escape(&link.label));
    match &link.href {
        Some(href) => (
            format!(
                r#"<a class="mention mention-{kind}" id="{id}" href="{href}" data-entity="{entity}" data-type="{kind}" aria-label="{label}">"#,
                href = html::escape(href)
            ),
            "</a>",
        ),
        None => (
            format!(
                r#"<span class="mention mention-{kind} mention-unlinked" id="{id}" data-entity="{entity}" data-type="{kind}" aria-label="{label}">"#
            ),
            "</span>",
        ),
    }
}

/// Pushes `piece` as text, with its Latin-script runs and numbers in `<bdi>` so they keep
/// their order inside right-to-left text.
fn push_isolated(piece: String, out: &mut Vec<Event>) {
    if piece.is_empty() {
        return;
    }
    let mut last = 0;
    for run in html::latin_runs(&piece) {
        if run.start > last {
            out.push(Event::Text(piece[last..run.start].to_string().into()));
        }
        out.push(Event::Html("<bdi>".into()));
        out.push(Event::Text(piece[run.clone()].to_string().into()));
        out.push(Event::Html("</bdi>".into()));
        last = run.end;
    }
    if last < piece.len() {
        out.push(Event::Text(piece[last..].to_string().into()));
    }
}

fn code_block(lang: &str, code: &str, highlighter: &Highlighter) -> String {
    let body =
        (!lang.is_empty()).then(|| highlighter.highlight(lang, code)).flatten().unwrap_or_else(|| html::escape(code));
    let class = if lang.is_empty() { String::new() } else { format!(r#" class="language-{}""#, html::escape(lang)) };
    format!("<pre class=\"code\" dir=\"ltr\"><code{class}>{body}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::prose_runs;
    use crate::domain::Kind;

    const HERE: &str = "articles/x/index.html";

    fn rendered(text: &str, events: Vec<Spanned>, mentions: &[Mention], raw_html: RawHtml) -> String {
        render(text, events, mentions, &link, &Page { highlighter: &Highlighter::default(), raw_html, here: HERE })
    }

    fn mention(text: &str, word: &str, kind: Kind, id: &str) -> Mention {
        let start = text.find(word).unwrap();
        Mention { span: start..start + word.len(), kind, entity: id.into(), amount: None, discovered: None }
    }

    fn link(m: &Mention) -> MentionLink {
        MentionLink {
            href: Some(format!("/entities/{}/{}/", m.kind, m.entity)),
            label: format!("{} — {}", m.entity, m.kind.label()),
        }
    }

    #[test]
    fn mentions_become_links_with_contract_attributes() {
        let text = "قصف في دير الزور.";
        let mentions = [mention(text, "دير الزور", Kind::Place, "deir-ez-zor")];
        let events = vec![
            (Event::Start(Tag::Paragraph), 0..text.len()),
            (Event::Text(text.into()), 0..text.len()),
            (Event::End(TagEnd::Paragraph), 0..text.len()),
        ];
        let html = rendered(text, events, &mentions, RawHtml::Escape);
        let start = text.find("دير").unwrap();
        assert_eq!(
            html,
            format!("<p>قصف في <a class=\"mention mention-place\" id=\"m-{start}\" href=\"/entities/place/deir-ez-zor/\" data-entity=\"deir-ez-zor\" data-type=\"place\" aria-label=\"deir-ez-zor — مكان\">دير الزور</a>.</p>\n")
        );
    }

    #[test]
    fn latin_and_numbers_are_isolated_inside_and_outside_mentions() {
        let text = "طائرات F-35 قتلت 22 قتيلاً";
        let mentions = [mention(text, "22 قتيلاً", Kind::Quantity, "killed")];
        let events = vec![(Event::Text(text.into()), 0..text.len())];
        let html = rendered(text, events, &mentions, RawHtml::Escape);
        assert!(html.contains("<bdi>F-35</bdi>"), "{html}");
        assert!(html.contains("data-type=\"quantity\" aria-label=\"killed — كمية\"><bdi>22</bdi> قتيلاً</a>"), "{html}");
    }

    #[test]
    fn raw_html_is_escaped_and_code_is_highlighted() {
        let source = "نص <script>alert(1)</script>\n\n```rust\nfn main() {}\n```\n";
        let events: Vec<Spanned> = Parser::new_ext(source, options()).into_offset_iter().collect();
        let html = rendered(source, events, &[], RawHtml::Escape);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains("<pre class=\"code\" dir=\"ltr\"><code class=\"language-rust\"><span class=\"hl-"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_sanitised_and_dangerous_links_lose_their_url() {
        let source = "نص <b>عريض</b> <img src=x onerror=alert(1)> [رابط](javascript:alert(1)) ![صورة](data:text/html,x) [جيد](https://example.org)\n\n<script>alert(1)</script>\n";
        let events: Vec<Spanned> = Parser::new_ext(source, options()).into_offset_iter().collect();
        let html = rendered(source, events, &[], RawHtml::Sanitize);
        assert!(html.contains("<b>عريض</b>"), "{html}");
        for bad in ["<script", "onerror", "javascript:", "data:text"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("رابط") && html.contains("صورة"), "{html}");
        assert!(html.contains(r#"href="https://example.org""#), "{html}");
    }

    #[test]
    fn a_mention_across_two_text_events_of_one_run_stays_one_link() {
        // pulldown-cmark splits text at some punctuation; the run joins the slices again.
        let text = "دير الزور";
        let mentions = [mention(text, "دير الزور", Kind::Place, "deir-ez-zor")];
        let events = vec![(Event::Text("دير".into()), 0..6), (Event::Text(" الزور".into()), 6..text.len())];
        assert_eq!(prose_runs(text, &events), vec![0..text.len()]);
        let html = rendered(text, events, &mentions, RawHtml::Escape);
        assert_eq!(html.matches("<a ").count(), 1);
        assert_eq!(html.matches("</a>").count(), 1);
        assert!(html.ends_with("دير الزور</a>"), "{html}");
    }

    #[test]
    fn a_markdown_title_renders_its_inline_markup_and_mentions() {
        let text = "# [دمشق](https://example.org) في *حمص*\n\nنص.\n";
        let article = Article {
            path: "a.md".into(),
            slug: "a".into(),
            format: Format::Markdown,
            text: text.into(),
            sha256: String::new(),
            body: 0..text.len(),
            meta: Default::default(),
        };
        let title = Title { range: 0..text.find("\n\n").unwrap() + 1, text: "دمشق في حمص".into() };
        let mentions = [mention(text, "حمص", Kind::Place, "homs")];
        let events = title_events(&article, &title);
        let html = rendered(text, events, &mentions, RawHtml::Escape);
        assert!(
            html.starts_with(r#"<a href="https://example.org">دمشق</a> في <em><a class="mention mention-place""#),
            "{html}"
        );
        assert!(!html.contains("<h1") && !html.contains("<p>"), "{html}");
    }

    #[test]
    fn links_relative_to_the_page_lead_from_the_root_where_the_base_points() {
        assert_eq!(from_page("#note", HERE).as_deref(), Some("articles/x/index.html#note"));
        assert_eq!(from_page("photo.jpg", HERE).as_deref(), Some("articles/x/photo.jpg"));
        assert_eq!(from_page("../y/", HERE).as_deref(), Some("articles/x/../y/"));
        assert_eq!(from_page("./a?b:c", HERE).as_deref(), Some("articles/x/./a?b:c"));
        for kept in ["https://example.org/a", "mailto:x@example.org", "/from/the/host", "//cdn.example/x"] {
            assert_eq!(from_page(kept, HERE), None, "{kept}");
        }
        let source = "[حاشية](#n1) و![صورة](img.png)\n";
        let events: Vec<Spanned> = Parser::new_ext(source, options()).into_offset_iter().collect();
        let html = rendered(source, events, &[], RawHtml::Escape);
        assert!(
            html.contains(r#"href="articles/x/index.html#n1""#) && html.contains(r#"src="articles/x/img.png""#),
            "{html}"
        );
    }
}
