//! Rendering: article bodies through pulldown-cmark with mentions woven in, code through
//! syntect, pages through Tera. What the site is made of is the list in [`outputs`].

pub mod highlight;
pub mod html;
pub mod markdown;
pub mod outputs;
pub mod route;
pub mod site;
pub mod snippet;
pub mod templates;
pub mod view;

pub use highlight::Highlighter;
pub use outputs::Made;
pub use route::Route;
pub use site::{ArticleLink, Site, Tools};
pub use view::{Cache, Ready};
