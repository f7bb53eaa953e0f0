//! Articles on their way through the pipeline: as loaded ([`Article`]), as cleaning reads
//! them ([`Cleaned`]), and with their mentions ([`Annotated`]).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::Mention;

/// How an article's text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Raw text: paragraphs split on blank lines, or on newlines when there are none.
    Text,
    /// CommonMark with front matter.
    Markdown,
}

impl Format {
    /// Its media type, for the original file published as it is.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain",
            Format::Markdown => "text/markdown",
        }
    }
}

/// One source file. `text` is the file exactly as it is on disk (checked UTF-8); every
/// offset elsewhere (blocks, mentions) points into it.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the site root, with `/` separators: shown as provenance.
    pub path: PathBuf,
    /// The last part of its page's URL.
    pub slug: String,
    /// How its text is written.
    pub format: Format,
    /// The file as it is on disk.
    pub text: String,
    /// Hex SHA-256 of the file, shown as provenance.
    pub sha256: String,
    /// The part of `text` after the front matter.
    pub body: Range<usize>,
    /// What the front matter, a sidecar or cleaning says about it.
    pub meta: Metadata,
}

/// What is known about an article besides its text.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Metadata {
    /// The title, when given rather than taken from the text.
    pub title: Option<String>,
    /// Publication day.
    pub date: Option<NaiveDate>,
    /// The date as written (keeps a time and zone when given).
    pub date_text: Option<String>,
    /// How the date is known: from the page, inferred from the text, …
    pub date_basis: Option<String>,
    /// The date is an estimate; relative dates in the text ("أمس الجمعة") are not resolved.
    pub date_approximate: bool,
    /// The outlet.
    pub source: Option<String>,
    /// The original's web address, linked from the article page.
    pub url: Option<String>,
    /// Its slug, when not its file name's.
    pub slug: Option<String>,
    /// A summary, written to `data/archive.json`.
    pub summary: Option<String>,
    /// Built only with `drafts = true`.
    pub draft: bool,
    /// Its language, as the metadata gives it.
    pub lang: Option<String>,
    /// Every other field, kept and shown as written.
    pub extra: BTreeMap<String, String>,
}

impl Metadata {
    /// When it was published, in ISO 8601: the date-time written, when it is one in
    /// RFC 3339, else the day.
    pub fn published(&self) -> Option<String> {
        match self.written_time() {
            Some(_) => self.date_text.clone(),
            None => self.date.map(|d| d.to_string()),
        }
    }

    /// When it was published, as a moment: the date-time written, else the start of its
    /// day in UTC (feeds must give a time).
    pub fn published_at(&self) -> Option<DateTime<FixedOffset>> {
        self.written_time().or_else(|| self.date.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset()))
    }

    fn written_time(&self) -> Option<DateTime<FixedOffset>> {
        self.date_text.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    }
}

/// What cleaning makes of an article's text, as ranges of it: the title, the blocks kept,
/// the lines lifted out as metadata and those removed as debris.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub title: Option<Title>,
    pub blocks: Vec<Block>,
    pub lifted: Vec<Lifted>,
    pub removed: Vec<Removed>,
    /// The stretches of prose to recognise mentions in, in text order: the title's and the
    /// kept blocks' text, outside code and links.
    pub prose: Vec<Range<usize>>,
}

/// The title the text gives: a first short line, or a Markdown document's first heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The line, or the whole heading as written (`# …`, with any inline Markdown).
    pub range: Range<usize>,
    /// What it says, as plain text.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub range: Range<usize>,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A short line between paragraphs that reads as a subheading.
    Heading,
    /// A top-level Markdown block, rendered by pulldown-cmark.
    Markdown,
}

/// A line that was metadata, e.g. `source` from "المصدر: العرب".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifted {
    pub field: String,
    pub value: String,
    pub range: Range<usize>,
}

/// A line that was web debris, and the rule that said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub rule: String,
    pub range: Range<usize>,
}

/// An article with what cleaning and recognition made of it.
pub struct Annotated {
    pub article: Article,
    pub cleaned: Cleaned,
    /// The title as shown: metadata, else the first line of the text, else the slug.
    pub title: String,
    pub mentions: Vec<Mention>,
    /// A digest of all the above (cleaning follows from the text and the settings): what
    /// pages made from the article are known to be unchanged by. The pipeline sets it, with
    /// the digest the render step compares pages by.
    pub stamp: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_is_the_time_written_else_the_day() {
        let day = NaiveDate::from_ymd_opt(2021, 2, 26);
        let timed = Metadata { date: day, date_text: Some("2021-02-26T13:55:00Z".into()), ..Metadata::default() };
        assert_eq!(timed.published().as_deref(), Some("2021-02-26T13:55:00Z"));
        assert_eq!(timed.published_at().map(|t| t.to_rfc3339()).as_deref(), Some("2021-02-26T13:55:00+00:00"));
        // Written otherwise ("2021/02/26 الساعة 13:55"): the day, at midnight UTC for a feed.
        let day_only =
            Metadata { date: day, date_text: Some("2021/02/26 الساعة 13:55".into()), ..Metadata::default() };
        assert_eq!(day_only.published().as_deref(), Some("2021-02-26"));
        assert_eq!(day_only.published_at().map(|t| t.to_rfc3339()).as_deref(), Some("2021-02-26T00:00:00+00:00"));
        assert_eq!(Metadata::default().published_at(), None);
    }
}
