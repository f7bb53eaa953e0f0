//! Each original file, published byte for byte under `data/` at its path in the archive's
//! folder (`data/seeds/000.txt`): what the SHA-256 on its page, `manifest-sha256.txt` and
//! the annotations in `data/annotations/` are of.

use std::path::Component;

use super::Output;
use crate::domain::Article;
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Originals;

/// Where the original of `article` is published. A content folder outside the archive's
/// gives paths that climb (`../elsewhere/a.txt`): only their named parts are kept, so no
/// file lands outside the site.
pub fn route(article: &Article) -> Route {
    let parts: Vec<String> = article
        .path
        .components()
        .filter_map(|part| match part {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Route::file(&format!("data/{}", parts.join("/")))
}

impl Output for Originals {
    /// The article's position in the archive.
    type Page = usize;

    fn pages(&self, site: &Site) -> Vec<usize> {
        (0..site.articles.len()).collect()
    }

    fn route(&self, site: &Site, &a: &usize) -> Route {
        route(&site.articles[a].article)
    }

    fn view<'s>(&self, site: &'s Site, &a: &usize, view: &mut View<'s>) -> Result<()> {
        let article = &site.articles[a].article;
        // The file's hash stands for its bytes, which need not be read again for a digest.
        view.stream(&article.sha256, move |out| out.write_all(article.text.as_bytes()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::domain::{Format, Metadata};

    #[test]
    fn originals_stay_inside_the_site() {
        let article = |path: &str| Article {
            path: PathBuf::from(path),
            slug: "a".into(),
            format: Format::Text,
            text: String::new(),
            sha256: String::new(),
            body: 0..0,
            meta: Metadata::default(),
        };
        assert_eq!(route(&article("seeds/000.txt")).file_path(), "data/seeds/000.txt");
        assert_eq!(route(&article("../elsewhere/./a.md")).file_path(), "data/elsewhere/a.md");
        assert_eq!(route(&article("/abs/a.txt")).file_path(), "data/abs/a.txt");
    }
}
