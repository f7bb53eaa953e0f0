//! The types every step of the pipeline shares: what an entity is ([`Kind`], [`EntityKey`],
//! [`IsoDate`]) and what an article becomes on the way ([`Article`], [`Cleaned`],
//! [`Mention`], [`Annotated`]).
//!
//! This is the bottom of the crate: it imports from no step, and every step imports its
//! types from here, so that no step needs one that comes after it.

mod article;
mod date;
mod key;
mod kind;
mod mention;

pub use article::{Annotated, Article, Block, BlockKind, Cleaned, Format, Lifted, Metadata, Removed, Title};
pub use date::{IsoDate, Precision};
pub use key::{EntityKey, EntityRef};
pub use kind::{Kind, NamedKind};
pub use mention::{Discovered, Mention};
