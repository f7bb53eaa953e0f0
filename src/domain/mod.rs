//! The types every step of the pipeline shares: what an entity is ([`Kind`], [`EntityKey`],
//! [`IsoDate`]) and what recognition finds in an article ([`Mention`]).
//!
//! This is the bottom of the crate: it imports from no step, and every step imports its
//! types from here, so that no step needs one that comes after it.

mod date;
mod key;
mod kind;
mod mention;

pub use date::{IsoDate, Precision};
pub use key::{EntityKey, EntityRef};
pub use kind::{Kind, NamedKind};
pub use mention::{Discovered, Mention};
