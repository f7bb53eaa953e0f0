//! Cleaning: which parts of an article's text are its title and body, which are web debris
//! (dropped from view but listed), and which are metadata (lifted out, kept).
//!
//! Results are byte ranges of the original file; only a title's plain text, and the
//! values of metadata lines, are copied out.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::markdown::{self, Spanned};
use super::metadata::parse_date;
use crate::config::CleanRules;
use crate::domain::{Article, Block, BlockKind, Cleaned, Format, Lifted, Metadata, Removed, Title};

/// What one line of text is.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    Blank,
    Text,
    Drop(String),
    Meta(String, String),
}

/// Words in a subheading at most.
const HEADING_WORDS: usize = 8;
/// A first paragraph longer than this (in chars) is text, not a title.
const TITLE_CHARS: usize = 250;
/// Words of the text that stand in for a title when there is none.
const TITLE_WORDS: usize = 12;
/// Punctuation that ends or breaks a sentence: a line with it is prose, not a label.
const SENTENCE_PUNCTUATION: &[char] = &['.', '،', '؛', ':', '!', '؟', '?', '"', '“', '”', '«', '»', ','];

/// Cleans an article's body with `rules`: its title, the blocks kept, the lines lifted as
/// metadata or removed as debris, and the prose to recognise mentions in.
pub fn clean(article: &Article, rules: &CleanRules) -> Cleaned {
    match article.format {
        Format::Text => clean_text(&article.text, article.body.clone(), article.meta.title.is_none(), rules),
        Format::Markdown => clean_markdown(&article.text, article.body.clone(), article.meta.title.is_none(), rules),
    }
}

/// Trimmed lines of `text[body]`, as ranges of `text`.
fn lines(text: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = body.start;
    for line in text[body].split_inclusive('\n') {
        let start = at + (line.len() - line.trim_start().len());
        let end = at + line.trim_end().len();
        out.push(if start < end { start..end } else { start..start });
        at += line.len();
    }
    out
}

fn classify(line: &str, rules: &CleanRules) -> Line {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some((name, _)) = rules.drop.iter().find(|(_, re)| re.is_match(line)) {
        return Line::Drop(name.clone());
    }
    for (field, re) in &rules.meta {
        if let Some(caps) = re.captures(line) {
            let value = caps.name("value").map_or(line, |m| m.as_str());
            return Line::Meta(field.clone(), value.trim().to_string());
        }
    }
    Line::Text
}

fn is_label(line: &str, max_words: usize) -> bool {
    let words = line.split_whitespace().count();
    words > 0 && words <= max_words && !line.contains(SENTENCE_PUNCTUATION)
}

fn clean_text(text: &str, body: Range<usize>, wants_title: bool, rules: &CleanRules) -> Cleaned {
    let ranges = lines(text, body);
    let mut kinds: Vec<Line> = ranges.iter().map(|r| classify(&text[r.clone()], rules)).collect();
    find_bylines(text, &ranges, &mut kinds, rules.byline_words);

    let mut out = Cleaned::default();
    // Paragraphs are separated by blank lines, or by every newline when there is no blank line.
    let blank_separated = kinds.iter().skip_while(|k| **k == Line::Blank).any(|k| *k == Line::Blank);
    let mut open: Option<Range<usize>> = None;
    let mut paragraphs = Vec::new();
    for (range, kind) in ranges.iter().zip(&kinds) {
        match kind {
            Line::Text if blank_separated => open = Some(open.map_or(range.clone(), |o| o.start..range.end)),
            Line::Text => paragraphs.push(range.clone()),
            other => {
                paragraphs.extend(open.take());
                match other {
                    Line::Drop(rule) => out.removed.push(Removed { rule: rule.clone(), range: range.clone() }),
                    Line::Meta(field, value) => {
                        out.lifted.push(Lifted { field: field.clone(), value: value.clone(), range: range.clone() })
                    }
                    _ => {}
                }
            }
        }
    }
    paragraphs.extend(open);

    let mut paragraphs = paragraphs.into_iter().peekable();
    let short = |r: &Range<usize>| text[r.clone()].chars().nth(TITLE_CHARS).is_none();
    if wants_title && paragraphs.peek().is_some_and(short) {
        out.title = paragraphs.next().map(|range| Title { text: text[range.clone()].to_string(), range });
    }
    let paragraphs: Vec<Range<usize>> = paragraphs.collect();
    for (i, range) in paragraphs.iter().enumerate() {
        let line = &text[range.clone()];
        let next_is_prose = paragraphs.get(i + 1).is_some_and(|n| !is_label(&text[n.clone()], HEADING_WORDS));
        let heading = i > 0 && next_is_prose && !line.contains('\n') && is_label(line, HEADING_WORDS);
        let kind = if heading { BlockKind::Heading } else { BlockKind::Paragraph };
        out.blocks.push(Block { range: range.clone(), kind });
    }
    // Raw text is all prose.
    out.prose = out.title.iter().map(|t| t.range.clone()).chain(out.blocks.iter().map(|b| b.range.clone())).collect();
    out
}

/// A short label next to a timestamp is the byline ("عربي بوست" above "تم النشر: …");
/// so is a short label closing the text ("القدس العربي" before the comment form).
fn find_bylines(text: &str, ranges: &[Range<usize>], kinds: &mut [Line], max_words: usize) {
    let is_stamp = |k: &Line| matches!(k, Line::Meta(f, _) if f == "published" || f == "updated");
    let filled: Vec<usize> = (0..kinds.len()).filter(|&i| kinds[i] != Line::Blank).collect();
    for (n, &i) in filled.iter().enumerate() {
        let near_stamp = [n.checked_sub(1), Some(n + 1)]
            .into_iter()
            .flatten()
            .filter_map(|m| filled.get(m))
            .any(|&j| is_stamp(&kinds[j]));
        if kinds[i] == Line::Text && near_stamp && is_label(&text[ranges[i].clone()], max_words) {
            kinds[i] = Line::Meta("byline".into(), text[ranges[i].clone()].to_string());
        }
    }
    let texts: Vec<usize> = filled.iter().copied().filter(|&i| kinds[i] == Line::Text).collect();
    if let [_, _, .., last] = texts[..] {
        if is_label(&text[ranges[last].clone()], max_words) {
            kinds[last] = Line::Meta("byline".into(), text[ranges[last].clone()].to_string());
        }
    }
}

fn clean_markdown(text: &str, body: Range<usize>, wants_title: bool, rules: &CleanRules) -> Cleaned {
    let mut out = Cleaned::default();
    let mut depth = 0usize;
    // The events of the top-level block being read.
    let mut block: Vec<Spanned> = Vec::new();
    let parser = Parser::new_ext(&text[body.clone()], markdown::options()).into_offset_iter();
    for (event, range) in parser {
        let range = body.start + range.start..body.start + range.end;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            // A top-level event that is no block (a rule): kept, and holds no prose.
            _ if depth == 0 => {
                out.blocks.push(Block { range, kind: BlockKind::Markdown });
                continue;
            }
            _ => {}
        }
        let ended = matches!(event, Event::End(_)) && depth == 0;
        block.push((event, range));
        if !ended {
            continue;
        }
        let events = std::mem::take(&mut block);
        let whole = events[0].1.start..events[events.len() - 1].1.end;
        let single_line = !text[whole.clone()].trim().contains('\n');
        let kind = match events[0].0 {
            Event::Start(Tag::Paragraph) if single_line => classify(text[whole.clone()].trim(), rules),
            _ => Line::Text,
        };
        match kind {
            Line::Drop(rule) => out.removed.push(Removed { rule, range: whole }),
            Line::Meta(field, value) => out.lifted.push(Lifted { field, value, range: whole }),
            _ => {
                let is_heading = matches!(events[0].0, Event::Start(Tag::Heading { .. }));
                let title = (wants_title && out.title.is_none() && out.blocks.is_empty() && is_heading)
                    .then(|| plain_text(&events))
                    .filter(|t| !t.is_empty());
                match title {
                    Some(title) => out.title = Some(Title { range: whole, text: title }),
                    None => out.blocks.push(Block { range: whole, kind: BlockKind::Markdown }),
                }
                out.prose.extend(markdown::prose_runs(text, &events));
            }
        }
    }
    out
}

/// The text of a block's events without its markup: text and code, a space for a line break.
fn plain_text(events: &[Spanned]) -> String {
    let mut out = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A title made of the first words of the text, for articles that have none.
pub fn title_from_text(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let start: Vec<&str> = words.by_ref().take(TITLE_WORDS).collect();
    match (start.is_empty(), words.next()) {
        (true, _) => None,
        (false, None) => Some(start.join(" ")),
        (false, Some(_)) => Some(format!("{} …", start.join(" "))),
    }
}

/// Metadata the file did not give but its text does: the outlet from "المصدر:", the date
/// from "تم النشر:". What the file or sidecar says always wins.
pub fn fill_metadata(meta: &mut Metadata, cleaned: &Cleaned) {
    let lifted = |field: &str| cleaned.lifted.iter().find(|l| l.field == field).map(|l| l.value.as_str());
    if meta.source.is_none() {
        meta.source = lifted("source").or(lifted("byline")).map(str::to_string);
    }
    if meta.date.is_none() {
        if let Some((value, day)) = lifted("published").and_then(|v| parse_date(v).map(|d| (v, d))) {
            meta.date = Some(day);
            meta.date_text = Some(value.to_string());
            meta.date_basis = Some(format!("من النص: «{value}»"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CleanConfig;

    fn rules() -> CleanRules {
        CleanConfig::default().compile(std::path::Path::new("site.toml"), "").unwrap()
    }

    /// Title, blocks, lifted (field, value) and the rules of removed lines, as text.
    type Outcome = (Option<String>, Vec<(BlockKind, String)>, Vec<(String, String)>, Vec<String>);

    fn run(text: &str, format: Format) -> Outcome {
        let cleaned = match format {
            Format::Text => clean_text(text, 0..text.len(), true, &rules()),
            Format::Markdown => clean_markdown(text, 0..text.len(), true, &rules()),
        };
        (
            cleaned.title.map(|t| t.text),
            cleaned.blocks.iter().map(|b| (b.kind, text[b.range.clone()].to_string())).collect(),
            cleaned.lifted.into_iter().map(|l| (l.field, l.value)).collect(),
            cleaned.removed.into_iter().map(|r| r.rule).collect(),
        )
    }

    #[test]
    fn debris_is_dropped_and_metadata_lifted() {
        let text = "عنوان الخبر\n\nفقرة أولى طويلة بما يكفي، فيها كلام.\n\n15\n\nفقرة ثانية.\n\nالقدس العربي\n\nاترك تعليقاً\n\nلن يتم نشر عنوان بريدك الإلكتروني.\n\nهذا الموقع يستخدم Akismet للحدّ من التعليقات المزعجة.";
        let (title, blocks, lifted, removed) = run(text, Format::Text);
        assert_eq!(title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(blocks.len(), 2);
        assert_eq!(lifted, vec![("byline".to_string(), "القدس العربي".to_string())]);
        assert_eq!(removed, ["comment counter", "comment form", "comment form", "comment form"]);
    }

    #[test]
    fn byline_timestamps_and_caption_inside_one_paragraph() {
        let text = "عنوان\n\nعربي بوست\nتم النشر: 2021/02/26 الساعة 13:55 بتوقيت غرينتش\nطائرات إف-35 الأمريكية/ بلومبيرغ\n\nأبدت موسكو انزعاجها من الضربة.\n\nتحميل المزيد";
        let (_, blocks, lifted, removed) = run(text, Format::Text);
        assert_eq!(blocks, vec![(BlockKind::Paragraph, "أبدت موسكو انزعاجها من الضربة.".to_string())]);
        let fields: Vec<&str> = lifted.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["byline", "published", "caption"]);
        assert_eq!(lifted[1].1, "2021/02/26 الساعة 13:55 بتوقيت غرينتش");
        assert_eq!(removed, ["load more"]);
    }

    #[test]
    fn single_newlines_split_paragraphs_when_there_is_no_blank_line() {
        let text = "العنوان\nفقرة أولى.\nفقرة ثانية.\nالمصدر : الجزيرة + وكالات";
        let (title, blocks, lifted, _) = run(text, Format::Text);
        assert_eq!(title.as_deref(), Some("العنوان"));
        assert_eq!(blocks.len(), 2);
        assert_eq!(lifted, vec![("source".to_string(), "الجزيرة + وكالات".to_string())]);
    }

    #[test]
    fn nbsp_only_lines_are_blank_and_short_lines_become_headings() {
        let text = "عنوان\n\nفقرة أولى فيها كلام كثير.\n\nهجوم بأمر من بايدن\n\nفقرة بعد العنوان الفرعي.\n\n\u{a0}\n\nالمصدر: العرب";
        let (_, blocks, lifted, _) = run(text, Format::Text);
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.0).collect();
        assert_eq!(kinds, [BlockKind::Paragraph, BlockKind::Heading, BlockKind::Paragraph]);
        assert_eq!(lifted[0].1, "العرب");
    }

    #[test]
    fn a_long_first_paragraph_is_not_a_title() {
        let long = "كلمة ".repeat(300);
        let text = format!("{long}\n\nفقرة ثانية.");
        let (title, blocks, _, _) = run(&text, Format::Text);
        assert_eq!(title, None);
        assert_eq!(blocks.len(), 2);
        assert_eq!(title_from_text(&long).unwrap(), format!("{} …", ["كلمة"; 12].join(" ")));
        assert_eq!(title_from_text("  قصير  جدا "), Some("قصير جدا".to_string()));
        assert_eq!(title_from_text(" \n "), None);
    }

    #[test]
    fn ranges_are_char_boundaries() {
        let text = "\u{a0}عنوان\u{a0}\r\n\r\nنص عربي\u{a0}\r\n";
        let cleaned = clean_text(text, 0..text.len(), true, &rules());
        let title = cleaned.title.unwrap();
        assert_eq!(&text[title.range], "عنوان");
        assert_eq!(&text[cleaned.blocks[0].range.clone()], "نص عربي");
    }

    #[test]
    fn markdown_blocks_title_and_debris() {
        let text = "# العنوان\n\nفقرة **أولى**.\n\n```rust\nfn main() {}\n```\n\nتحميل المزيد\n";
        let (title, blocks, _, removed) = run(text, Format::Markdown);
        assert_eq!(title.as_deref(), Some("العنوان"));
        assert_eq!(blocks.len(), 2);
        assert!(blocks[1].1.starts_with("```rust"));
        assert_eq!(removed, ["load more"]);
    }

    #[test]
    fn a_markdown_title_with_inline_markup_keeps_its_words() {
        let text = "# [دمشق](https://example.org) *اليوم*\n\nنص في `بغداد` و[حمص](x).\n";
        let cleaned = clean_markdown(text, 0..text.len(), true, &rules());
        let title = cleaned.title.unwrap();
        assert_eq!(title.text, "دمشق اليوم");
        assert_eq!(&text[title.range], "# [دمشق](https://example.org) *اليوم*\n");
        // Link text and code are not prose; the rest is, title included.
        let prose: Vec<&str> = cleaned.prose.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(prose, [" ", "اليوم", "نص في ", " و", "."]);
        // A heading with no words is no title: it stays in the body.
        let text = "# ![](a.png)\n\nنص.\n";
        let cleaned = clean_markdown(text, 0..text.len(), true, &rules());
        assert!(cleaned.title.is_none());
        assert_eq!(cleaned.blocks.len(), 2);
    }
}
