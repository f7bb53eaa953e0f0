//! Rendering: article bodies through pulldown-cmark with mentions woven in, code through
//! syntect, pages through Tera.

pub mod data;
pub mod highlight;
pub mod html;
pub mod markdown;
pub mod pages;
pub mod snippet;
pub mod templates;

pub use highlight::Highlighter;
pub use pages::Site;
