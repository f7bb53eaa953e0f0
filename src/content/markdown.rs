//! Markdown as cleaning reads it: pulldown-cmark's events with the bytes of the original
//! each comes from, and the prose among them. The article page parses with the same options.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Tag, TagEnd};

/// CommonMark with tables, footnotes and strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// An event and the byte range of the original file it comes from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// The stretches of prose to recognise in: runs of text events that are verbatim slices of
/// the original (so offsets hold), outside code and outside links (a mention is a link,
/// and links do not nest). Adjacent slices join into one run.
pub fn prose_runs(text: &str, events: &[Spanned]) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut excluded = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => excluded += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => excluded = excluded.saturating_sub(1),
            Event::Text(t) if excluded == 0 && text.get(range.clone()) == Some(t.as_ref()) => match runs.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => runs.push(range.clone()),
            },
            _ => {}
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;

    #[test]
    fn link_text_is_not_prose() {
        let source = "في [دمشق](https://example.org) اليوم";
        let events: Vec<Spanned> = Parser::new_ext(source, options()).into_offset_iter().collect();
        let runs: Vec<&str> = prose_runs(source, &events).into_iter().map(|r| &source[r]).collect();
        assert_eq!(runs, ["في ", " اليوم"]);
    }

    #[test]
    fn code_is_not_prose() {
        let source = "قبل\n\n```\nدير الزور\n```\n";
        let events: Vec<Spanned> = Parser::new_ext(source, options()).into_offset_iter().collect();
        let runs = prose_runs(source, &events);
        assert_eq!(runs.len(), 1);
        assert_eq!(&source[runs[0].clone()], "قبل");
    }
}
