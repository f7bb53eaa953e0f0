//! `manifest-sha256.txt`: the SHA-256 of every original file as published under `data/`
//! ([`originals`](super::originals)), a line each, `HASH  data/PATH`, sorted by path, as a
//! BagIt manifest (RFC 8493) writes them: `sha256sum -c` checks them from the site's root.
//! It covers the originals only, not the pages or the other exports made from them.

use super::{originals, Output};
use crate::error::Result;
use crate::render::route::Route;
use crate::render::site::Site;
use crate::render::view::View;

pub struct Manifest;

impl Output for Manifest {
    type Page = ();

    fn pages(&self, _: &Site) -> Vec<()> {
        vec![()]
    }

    fn route(&self, _: &Site, _: &()) -> Route {
        Route::file("manifest-sha256.txt")
    }

    fn view<'s>(&self, site: &'s Site, _: &(), view: &mut View<'s>) -> Result<()> {
        // Hashes as loading made them: the files are not read again.
        let mut lines: Vec<(String, &str)> = site
            .articles
            .iter()
            .map(|a| (originals::route(&a.article).file_path(), a.article.sha256.as_str()))
            .collect();
        lines.sort_unstable();
        let mut text = String::with_capacity(lines.len() * 100);
        for (path, hash) in lines {
            text.push_str(hash);
            text.push_str("  ");
            text.push_str(&bagit_path(&path));
            text.push('\n');
        }
        view.bytes(text.into_bytes());
        Ok(())
    }
}

/// A path as BagIt writes it: line breaks and `%` percent-encoded, all else as it is.
fn bagit_path(path: &str) -> String {
    path.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_as_bagit_asks() {
        assert_eq!(bagit_path("data/دير 100%.txt"), "data/دير 100%25.txt");
        assert_eq!(bagit_path("data/a\r\nb.txt"), "data/a%0D%0Ab.txt");
    }
}
