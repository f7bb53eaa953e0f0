//! From a request's path to a file inside the site, and nothing outside it.
//!
//! Two steps: [`segments`] decodes the URL path and refuses what can never name a file of
//! the site (`..`, backslashes, NUL, absolute paths, bad percent-encoding); [`resolve`] then
//! looks on disk and checks, after following symbolic links, that the file is inside the
//! site's canonical root.

use std::path::{Path, PathBuf};

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the site (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: send the browser to `location`, so
    /// that relative links on its index page resolve.
    Redirect(String),
    /// Nothing of the site's there, or something outside it.
    NotFound,
    /// The path is malformed or tries to leave the site.
    BadRequest,
}

/// The decoded segments of a URL path, and whether it ends with `/`. `None` for a path
/// that is malformed or could reach outside the site.
pub fn segments(raw: &str) -> Option<(Vec<String>, bool)> {
    let rest = raw.strip_prefix('/')?;
    let decoded = String::from_utf8(percent_decode(rest)?).ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let trailing = decoded.is_empty() || decoded.ends_with('/');
    let body = decoded.strip_suffix('/').unwrap_or(&decoded);
    if body.is_empty() {
        return Some((Vec::new(), trailing));
    }
    let mut out = Vec::new();
    for segment in body.split('/') {
        // An empty segment is `//`: an absolute path once joined, or a sloppy link.
        if segment.is_empty() || segment == "." || segment == ".." {
            return None;
        }
        // Whatever the platform makes of it (`C:` on Windows), it must stay one plain name.
        let mut parts = Path::new(segment).components();
        if !matches!((parts.next(), parts.next()), (Some(std::path::Component::Normal(_)), None)) {
            return None;
        }
        out.push(segment.to_string());
    }
    Some((out, trailing))
}

/// Decodes `%XX` escapes; `None` when a `%` is not followed by two hex digits.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Resolves the raw (still percent-encoded) path of a request against the site's folder.
/// Folders serve their `index.html`.
pub fn resolve(site_root: &Path, raw: &str) -> Resolved {
    let Some((segments, trailing)) = segments(raw) else {
        return Resolved::BadRequest;
    };
    // The root is canonicalised on every request: each build swaps in a new folder.
    let Ok(root) = site_root.canonicalize() else {
        return Resolved::NotFound;
    };
    let mut path = root.clone();
    path.extend(&segments);
    // Every step is checked where it really leads, after symbolic links.
    let inside = |path: &Path| path.canonicalize().ok().filter(|real| real.starts_with(&root));
    let Some(real) = inside(&path) else {
        return Resolved::NotFound;
    };
    if real.is_dir() {
        if !trailing {
            return Resolved::Redirect(format!("{raw}/"));
        }
        return match inside(&real.join("index.html")) {
            Some(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    // A file is never a folder.
    if trailing || !real.is_file() {
        return Resolved::NotFound;
    }
    Resolved::File(real)
}

/// The Content-Type of a file the site serves, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(raw: &str) -> Option<Vec<String>> {
        segments(raw).map(|(s, _)| s)
    }

    #[test]
    fn plain_paths_decode_into_segments() {
        assert_eq!(segments("/"), Some((vec![], true)));
        assert_eq!(segments("/css/site.css"), Some((vec!["css".into(), "site.css".into()], false)));
        assert_eq!(segments("/articles/a/"), Some((vec!["articles".into(), "a".into()], true)));
        // Arabic slugs arrive percent-encoded as UTF-8.
        assert_eq!(
            names("/entities/place/%D8%AF%D9%85%D8%B4%D9%82/"),
            Some(vec!["entities".into(), "place".into(), "دمشق".into()])
        );
        assert_eq!(names("/a%20b.txt"), Some(vec!["a b.txt".into()]));
    }

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        for raw in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc/passwd",
            "/a\\..\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/./a",
            "/a/.",
            "/a%00.html",
            "etc/passwd",
            "",
            "*",
        ] {
            assert_eq!(segments(raw), None, "{raw}");
        }
    }

    #[test]
    fn malformed_escapes_and_bad_utf8_are_refused() {
        for raw in ["/%", "/%2", "/%zz", "/%e2%82", "/%ff"] {
            assert_eq!(segments(raw), None, "{raw}");
        }
    }

    #[test]
    fn resolves_files_and_folders_inside_the_site_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("public");
        fs::create_dir_all(site.join("articles/a")).unwrap();
        fs::write(site.join("index.html"), "home").unwrap();
        fs::write(site.join("articles/a/index.html"), "a").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let real = |p: &str| Resolved::File(site.join(p).canonicalize().unwrap());

        assert_eq!(resolve(&site, "/"), real("index.html"));
        assert_eq!(resolve(&site, "/index.html"), real("index.html"));
        assert_eq!(resolve(&site, "/articles/a/"), real("articles/a/index.html"));
        assert_eq!(resolve(&site, "/articles/a"), Resolved::Redirect("/articles/a/".into()));
        assert_eq!(resolve(&site, "/articles/b/"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/articles/"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/index.html/"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/../secret.txt"), Resolved::BadRequest);
        assert_eq!(resolve(&site, "/%2e%2e/secret.txt"), Resolved::BadRequest);
        // No site yet: nothing to serve, and no error.
        assert_eq!(resolve(&dir.path().join("none"), "/"), Resolved::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("public");
        fs::create_dir_all(site.join("inner")).unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        fs::write(site.join("inner/page.html"), "page").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), site.join("up")).unwrap();
        std::os::unix::fs::symlink(site.join("inner/page.html"), site.join("alias.html")).unwrap();
        assert_eq!(resolve(&site, "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&site, "/up/secret.txt"), Resolved::NotFound);
        // Not even whether a folder lies behind it.
        assert_eq!(resolve(&site, "/up"), Resolved::NotFound);
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("inner/index.html")).unwrap();
        assert_eq!(resolve(&site, "/inner/"), Resolved::NotFound);
        // A link that stays inside the site is followed.
        assert_eq!(resolve(&site, "/alias.html"), Resolved::File(site.join("inner/page.html").canonicalize().unwrap()));
        // The site's root itself may be a link: what counts is where it leads.
        std::os::unix::fs::symlink(&site, dir.path().join("linked")).unwrap();
        assert!(matches!(resolve(&dir.path().join("linked"), "/inner/page.html"), Resolved::File(_)));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type(Path::new("a/index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("css/site.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("data/archive.json")), "application/json");
        assert_eq!(content_type(Path::new("x.WOFF2")), "font/woff2");
        assert_eq!(content_type(Path::new("x.jpeg")), "image/jpeg");
        assert_eq!(content_type(Path::new("README")), "application/octet-stream");
    }
}
