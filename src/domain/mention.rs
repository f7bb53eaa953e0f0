//! Mentions: what recognition finds in an article's text, and linking completes.

use std::ops::Range;

use super::{EntityRef, Kind};

/// One mention of an entity: where it is in the original file and what it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    /// Byte range of the original text.
    pub span: Range<usize>,
    /// What it is a mention of.
    pub kind: Kind,
    /// Gazetteer id, ISO date, or counted-noun id.
    pub entity: String,
    /// For quantities: the number and a qualifier such as "أكثر من".
    pub amount: Option<(u64, Option<&'static str>)>,
    /// For a name the tagger found and the gazetteer lacks: what linking decides its
    /// entity from.
    pub discovered: Option<Box<Discovered>>,
}

/// What recognition knows of a discovered name, and what linking made of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discovered {
    /// The name as this article gives it, folded, words joined by spaces: for a lone
    /// surname, the full name the article gives.
    pub key: String,
    /// Whether its entity has a page: enough articles name it (set by linking).
    pub page: bool,
}

impl Mention {
    /// The anchor id of the mention on its article page; offsets keep it stable when the
    /// gazetteer changes.
    pub(crate) fn anchor(&self) -> String {
        format!("m-{}", self.span.start)
    }

    /// The key of its entity, borrowed.
    pub(crate) fn key(&self) -> EntityRef<'_> {
        EntityRef::new(self.kind, &self.entity)
    }

    /// Whether the mention links to a page of its entity: every mention does, but that of
    /// a discovered entity too few articles name.
    pub(crate) fn has_page(&self) -> bool {
        self.discovered.as_ref().is_none_or(|d| d.page)
    }
}
