//! Articles as loaded from disk, and what cleaning makes of their text.

pub mod clean;
pub mod load;
pub mod metadata;

use std::ops::Range;
use std::path::PathBuf;

pub use clean::{clean, Block, BlockKind, Cleaned, Title};
pub use load::load_all;
pub use metadata::Metadata;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Raw text: paragraphs split on blank lines, or on newlines when there are none.
    Text,
    /// CommonMark with front matter.
    Markdown,
}

/// One source file. `text` is the file exactly as it is on disk (checked UTF-8); every
/// offset elsewhere (blocks, mentions) points into it.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the site root, with `/` separators: shown as provenance.
    pub path: PathBuf,
    pub slug: String,
    pub format: Format,
    pub text: String,
    pub sha256: String,
    /// The part of `text` after the front matter.
    pub body: Range<usize>,
    pub meta: Metadata,
}
