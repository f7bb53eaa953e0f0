//! Articles as loaded from disk, and what cleaning makes of their text.

pub mod clean;
pub mod load;
pub mod markdown;
pub mod metadata;

pub use crate::domain::{Article, Format, Metadata};
pub use clean::clean;
pub use load::load_all;
