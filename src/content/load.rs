//! Finding and reading articles: `.txt` and `.md` files under the content folder, their
//! front matter and their sidecar `.toml`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use super::metadata::{field_offset, read_sidecar};
use crate::domain::{Article, Format, Metadata};
use crate::error::{Error, Result, Warning};

/// Loads every article under `dir` in path order. `root` only shortens paths in messages.
/// Drafts are left out unless `drafts`. Files that cannot be articles (empty, binary,
/// symbolic links) are skipped with a warning; anything the user must fix is an error.
pub fn load_all(root: &Path, dir: &Path, drafts: bool) -> Result<(Vec<Article>, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let paths = article_paths(root, dir, &mut warnings)?;
    // Files are read in parallel; results keep path order, so errors and warnings do too.
    let loaded: Vec<Result<(Option<Article>, Vec<Warning>)>> = paths
        .par_iter()
        .map(|path| {
            let mut skipped = Vec::new();
            load(root, &path.0, path.1, &mut skipped).map(|article| (article, skipped))
        })
        .collect();
    let mut articles = Vec::with_capacity(loaded.len());
    for result in loaded {
        let (article, skipped) = result?;
        warnings.extend(skipped);
        articles.extend(article.filter(|a| drafts || !a.meta.draft));
    }
    check_unique_slugs(&articles)?;
    Ok((articles, warnings))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Article files under `dir`, sorted, hidden files and folders skipped, each with whether a
/// sidecar stands beside it (known from the same walk, not asked of the disk per article).
/// Symbolic links are not followed (a link may lead out of the archive, or round in a
/// loop): each is a warning.
fn article_paths(root: &Path, dir: &Path, warnings: &mut Vec<Warning>) -> Result<Vec<(PathBuf, bool)>> {
    if !dir.is_dir() {
        let what = if dir.exists() { "is a file, not a folder" } else { "does not exist" };
        return Err(Error::input(
            &relative(root, dir),
            format!("the content folder {what}"),
            "create it, or set content_dir in site.toml to the folder of the articles",
        ));
    }
    let mut paths = Vec::new();
    let mut sidecars = BTreeSet::new();
    let walk =
        WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::input(&path, format!("cannot walk the content folder: {e}"), "check permissions and symbolic links")
        })?;
        if entry.path_is_symlink() {
            warnings.push(Warning::new(&relative(root, entry.path()), "symbolic link not followed: skipped"));
        } else if entry.file_type().is_file() && format_of(entry.path()).is_some() {
            paths.push(entry.into_path());
        } else if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            sidecars.insert(entry.into_path());
        }
    }
    Ok(paths
        .into_iter()
        .map(|p| {
            let has = sidecars.contains(&sidecar_of(&p));
            (p, has)
        })
        .collect())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "txt" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// The sidecar of an article: the same name, `.toml`.
pub fn sidecar_of(article: &Path) -> PathBuf {
    article.with_extension("toml")
}

/// Reads one article and merges its front matter and, if `has_sidecar`, its sidecar;
/// `None` for a file that holds no text to publish.
pub fn load(root: &Path, path: &Path, has_sidecar: bool, warnings: &mut Vec<Warning>) -> Result<Option<Article>> {
    let shown = relative(root, path);
    if shown.to_str().is_none() {
        return Err(Error::input(
            &shown,
            "the file name is not UTF-8, so it cannot be shown or made into a URL",
            "rename it to UTF-8, e.g. with convmv -f WINDOWS-1256 -t UTF-8 --notest FILE",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(&shown, "cannot read", e))?;
    if bytes.contains(&0) {
        warnings.push(Warning::new(&shown, "contains NUL bytes, so it is not text (a binary file?): skipped"));
        return Ok(None);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) || bytes == b"\xef\xbb\xbf" {
        warnings.push(Warning::new(&shown, "is empty: skipped"));
        return Ok(None);
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).len();
        Error::at(
            &shown,
            &lossy,
            prefix,
            "the file is not UTF-8 text",
            "convert it to UTF-8 (iconv -f WINDOWS-1256 -t UTF-8, for instance)",
        )
    })?;
    let format = format_of(path).unwrap_or(Format::Text);
    let (mut meta, body) = match format {
        Format::Markdown => front_matter(&shown, &text)?,
        Format::Text => (Metadata::default(), bom_len(&text)..text.len()),
    };
    if has_sidecar {
        let sidecar = sidecar_of(path);
        let sidecar_shown = relative(root, &sidecar);
        meta.merge(read_sidecar(&sidecar).map_err(|e| rename(e, &sidecar, &sidecar_shown))?);
    }
    let slug = match &meta.slug {
        Some(slug) => check_slug(&shown, slug, Origin::Metadata)?,
        // UTF-8: the whole path was checked above.
        None => check_slug(&shown, &path.file_stem().unwrap_or_default().to_string_lossy(), Origin::FileName)?,
    };
    Ok(Some(Article { path: shown, slug, format, text, sha256, body, meta }))
}

/// Errors name files relative to the site root.
fn rename(err: Error, from: &Path, to: &Path) -> Error {
    match err {
        Error::Input(mut p) if p.path == from => {
            p.path = to.to_path_buf();
            Error::Input(p)
        }
        other => other,
    }
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Splits TOML (`+++`) or YAML (`---`) front matter from the body.
fn front_matter(path: &Path, text: &str) -> Result<(Metadata, std::ops::Range<usize>)> {
    let start = bom_len(text);
    let rest = &text[start..];
    let fence = if rest.starts_with("+++") {
        "+++"
    } else if rest.starts_with("---") {
        "---"
    } else {
        return Ok((Metadata::default(), start..text.len()));
    };
    let open_end = start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    // The closing fence is a line of its own.
    let mut offset = open_end;
    let mut close = None;
    for line in text[open_end..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, body_start)) = close else {
        return Err(Error::at(
            path,
            text,
            start,
            format!("front matter opened with {fence} is never closed"),
            format!("end it with a line holding only {fence}"),
        ));
    };
    let doc = &text[open_end..close_start];
    let table: toml::Table = if fence == "+++" {
        toml::from_str(doc).map_err(|e| {
            Error::toml(path, text, open_end, &e, "front matter between +++ lines is TOML: key = \"value\"")
        })?
    } else {
        serde_yaml_ng::from_str::<Option<toml::Table>>(doc)
            .map_err(|e| match e.location() {
                Some(loc) => Error::at(
                    path,
                    text,
                    open_end + loc.index(),
                    format!("front matter is not valid YAML: {e}"),
                    "front matter between --- lines is YAML: key: value",
                ),
                None => Error::input(
                    path,
                    format!("front matter is not valid YAML: {e}"),
                    "front matter between --- lines is YAML: key: value",
                ),
            })?
            .unwrap_or_default()
    };
    let meta = Metadata::from_table(table, &|key, message, hint| match field_offset(doc, key) {
        Some(at) => Error::at(path, text, open_end + at, message, hint),
        None => Error::input(path, message, hint),
    })?;
    Ok((meta, body_start..text.len()))
}

/// Where a slug comes from, for the hint on a bad one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// `slug` in the front matter or the sidecar.
    Metadata,
    /// The file name, without its extension.
    FileName,
}

/// The longest file name most file systems take, in bytes: an article's folder is its slug.
const MAX_SLUG_BYTES: usize = 255;

/// A slug is one URL path segment and one folder name: no separators, no dot-segments,
/// nothing a URL or a file system would take otherwise, and not the file that lists the
/// articles beside the articles' folders.
fn check_slug(path: &Path, slug: &str, origin: Origin) -> Result<String> {
    let bad = if slug.is_empty()
        || slug == "."
        || slug == ".."
        || slug.chars().any(|c| c == '/' || c == '\\' || c.is_control() || c.is_whitespace() || "?#%".contains(c))
    {
        format!("slug {slug:?} cannot be a URL segment")
    } else if slug == "index.html" {
        "slug \"index.html\" is the name of the page that lists the articles".to_string()
    } else if slug.len() > MAX_SLUG_BYTES {
        format!("the slug is {} bytes long; a folder name can hold {MAX_SLUG_BYTES}", slug.len())
    } else {
        return Ok(slug.to_string());
    };
    let hint = match origin {
        Origin::Metadata => "use letters, digits and hyphens only, e.g. slug = \"deir-ez-zor-strikes\"",
        Origin::FileName => {
            "rename the file, or give it a slug of letters, digits and hyphens in its sidecar or front matter"
        }
    };
    Err(Error::input(path, bad, hint))
}

fn check_unique_slugs(articles: &[Article]) -> Result<()> {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for article in articles {
        if let Some(first) = seen.insert(&article.slug, &article.path) {
            return Err(Error::input(
                &article.path,
                format!("slug {:?} is already used by {}", article.slug, first.display()),
                "give one of them another `slug` in its sidecar or front matter",
            ));
        }
    }
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_and_body() {
        let text = "+++\ntitle = \"عنوان\"\n+++\n\nنص";
        let (meta, body) = front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(meta.title.as_deref(), Some("عنوان"));
        assert_eq!(&text[body], "\nنص");
    }

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: عنوان\ndate: 2021-02-26\n---\nنص";
        let (meta, body) = front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(meta.title.as_deref(), Some("عنوان"));
        assert!(meta.date.is_some());
        assert_eq!(&text[body], "نص");
    }

    #[test]
    fn broken_front_matter_names_line_and_column() {
        let text = "+++\ntitle = \"a\"\ndate = = 2\n+++\n";
        let err = front_matter(Path::new("a.md"), text).unwrap_err().to_string();
        assert!(err.starts_with("a.md:3:"), "{err}");
        let text = "---\ntitle: [a\n---\n";
        let err = front_matter(Path::new("b.md"), text).unwrap_err().to_string();
        assert!(err.starts_with("b.md:"), "{err}");
    }

    #[test]
    fn unclosed_front_matter() {
        let err = front_matter(Path::new("a.md"), "+++\ntitle = \"a\"\n").unwrap_err().to_string();
        assert!(err.contains("never closed"), "{err}");
    }

    #[test]
    fn bom_before_front_matter() {
        let text = "\u{feff}+++\ntitle = \"t\"\n+++\nب";
        let (meta, body) = front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(meta.title.as_deref(), Some("t"));
        assert_eq!(&text[body], "ب");
    }

    #[test]
    fn slugs_are_single_segments() {
        let check = |slug: &str| check_slug(Path::new("a"), slug, Origin::Metadata);
        for bad in ["../etc", "a/b", "", "a b", "a#b", "a?b", "100%", "index.html"] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check("دير-الزور").unwrap(), "دير-الزور");
        assert_eq!(check("index.htm").unwrap(), "index.htm");
    }

    #[test]
    fn slugs_fit_in_a_folder_name() {
        let check = |slug: &str| check_slug(Path::new("a"), slug, Origin::Metadata);
        assert!(check(&"a".repeat(MAX_SLUG_BYTES)).is_ok());
        let err = check(&"a".repeat(300)).unwrap_err().to_string();
        assert!(err.contains("300 bytes long"), "{err}");
        // Arabic letters take two bytes each.
        assert!(check(&"ب".repeat(128)).is_err());
    }

    #[test]
    fn a_bad_file_name_slug_says_to_rename_the_file() {
        let err = check_slug(Path::new("seeds/a b.txt"), "a b", Origin::FileName).unwrap_err().to_string();
        assert!(err.starts_with("seeds/a b.txt: slug \"a b\"") && err.contains("rename the file"), "{err}");
    }
}
