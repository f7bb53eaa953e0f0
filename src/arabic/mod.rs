//! Arabic text handling: pure functions, no I/O.

pub mod clitics;
pub mod fold;
pub mod format;
pub mod months;
pub mod numbers;
pub mod sort;

pub use fold::{fold, Folded};
