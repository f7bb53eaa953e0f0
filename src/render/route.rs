//! Where each page of the site lives: one type gives both the file a page is written to and
//! the link other pages make to it, so the two cannot disagree.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes kept as they are in a path segment: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A page's place in the site, relative to its root: a folder (`articles/slug/`, written
/// as its `index.html`, linked as the folder) or a file (`data/archive.json`). Segments are
/// kept as written (slugs and ids may be Arabic) and percent-encoded only in links.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    /// Segments joined by `/`; a folder's ends with `/`, the home page's is empty.
    path: String,
}

impl Route {
    /// The folder made of `segments`, e.g. `["entities", "place", "syria"]`.
    pub fn folder<S: AsRef<str>>(segments: &[S]) -> Route {
        let mut path = String::new();
        for segment in segments {
            path.push_str(segment.as_ref());
            path.push('/');
        }
        Route { path }
    }

    /// A file at `path` (segments joined by `/`), e.g. `data/archive.json`.
    pub fn file(path: &str) -> Route {
        Route { path: path.to_string() }
    }

    /// The file `name` inside this folder, e.g. an entity's `feed.xml`.
    pub fn file_in(&self, name: &str) -> Route {
        Route { path: format!("{}{name}", self.path) }
    }

    /// Page `n` (from 1) of a list whose first page is this folder.
    pub fn page(&self, n: usize) -> Route {
        if n == 1 {
            self.clone()
        } else {
            Route { path: format!("{}page/{n}/", self.path) }
        }
    }

    fn is_folder(&self) -> bool {
        self.path.is_empty() || self.path.ends_with('/')
    }

    /// The file written for it, relative to the site's root.
    pub fn file_path(&self) -> String {
        if self.is_folder() {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }

    /// The link to it from the site's root, as every page writes links under its `<base>`:
    /// a folder as its `index.html` when `index_files` (what a site opened from disk needs,
    /// as no server turns a folder into its index there), else as the folder.
    pub fn link(&self, index_files: bool) -> String {
        let mut href = self.href("");
        if index_files && self.is_folder() {
            href.push_str("index.html");
        } else if href.is_empty() {
            href.push_str("./");
        }
        href
    }

    /// The way back from its page to the site's root (`../` for each folder it is in), for
    /// the page's `<base>`.
    pub fn root(&self) -> String {
        match self.path.matches('/').count() {
            0 => "./".to_string(),
            depth => "../".repeat(depth),
        }
    }

    /// The link to it after `base` (which ends with `/`), folders as folders.
    pub fn href(&self, base: &str) -> String {
        let mut href = String::with_capacity(base.len() + self.path.len() * 3);
        href.push_str(base);
        for (i, segment) in self.path.split('/').enumerate() {
            if i > 0 {
                href.push('/');
            }
            href.extend(utf8_percent_encode(segment, SEGMENT));
        }
        href
    }

    /// The link to it from the file of `from`, relative: for exports read away from the
    /// pages (feeds, annotations), which have no `<base>` and may be fetched from any origin.
    pub fn href_from(&self, from: &Route) -> String {
        self.href(&from.root())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_links_come_from_one_route() {
        let syria = Route::folder(&["entities", "place", "syria"]);
        assert_eq!(
            (syria.file_path(), syria.href("/")),
            ("entities/place/syria/index.html".into(), "/entities/place/syria/".into())
        );
        let second = syria.page(2);
        assert_eq!(second.file_path(), "entities/place/syria/page/2/index.html");
        assert_eq!(second.href("/archive/"), "/archive/entities/place/syria/page/2/");
        assert_eq!(syria.page(1), syria);
        let home = Route::folder::<&str>(&[]);
        assert_eq!((home.file_path(), home.href("/")), ("index.html".into(), "/".into()));
        let data = Route::file("data/archive.json");
        assert_eq!((data.file_path(), data.href("/")), ("data/archive.json".into(), "/data/archive.json".into()));
    }

    #[test]
    fn links_are_from_the_root_and_roots_lead_back_to_it() {
        let syria = Route::folder(&["entities", "place", "syria"]);
        assert_eq!(syria.link(true), "entities/place/syria/index.html");
        assert_eq!(syria.link(false), "entities/place/syria/");
        assert_eq!(syria.root(), "../../../");
        assert_eq!(syria.page(2).root(), "../../../../../");
        let home = Route::folder::<&str>(&[]);
        assert_eq!((home.link(true), home.link(false), home.root()), ("index.html".into(), "./".into(), "./".into()));
        let data = Route::file("data/archive.json");
        assert_eq!(
            (data.link(true), data.link(false), data.root()),
            ("data/archive.json".into(), "data/archive.json".into(), "../".into())
        );
        assert_eq!(Route::file("404.html").root(), "./");
    }

    #[test]
    fn relative_links_climb_from_the_file_they_are_in() {
        let entity = Route::folder(&["entities", "place", "دير"]);
        let feed = entity.file_in("feed.xml");
        assert_eq!(feed.file_path(), "entities/place/دير/feed.xml");
        assert_eq!(entity.href_from(&feed), "../../../entities/place/%D8%AF%D9%8A%D8%B1/");
        let home = Route::folder::<&str>(&[]);
        assert_eq!(home.href_from(&Route::file("feed.xml")), "./");
        assert_eq!(home.href_from(&feed), "../../../");
        assert_eq!(Route::file("data/x.txt").href_from(&Route::file("data/annotations/a.jsonld")), "../../data/x.txt");
    }

    #[test]
    fn segments_are_percent_encoded_in_links_only() {
        let article = Route::folder(&["articles", "دير"]);
        assert_eq!(article.href("/"), "/articles/%D8%AF%D9%8A%D8%B1/");
        assert_eq!(article.file_path(), "articles/دير/index.html");
        assert_eq!(Route::folder(&["a b", "c~d"]).href("/"), "/a%20b/c~d/");
    }
}
