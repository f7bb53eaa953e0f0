//! `archive init DIR`: a new archive from the skeleton built into the binary, ready to build.
//!
//! The skeleton's own files are in `skeleton/`; its templates and stylesheet are the
//! repository's `templates/` and `static/`, embedded from there so that each exists once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Every file of the skeleton: its path in the new archive, and its contents.
pub const SKELETON: &[(&str, &str)] = &[
    ("site.toml", include_str!("../skeleton/site.toml")),
    ("entities.toml", include_str!("../skeleton/entities.toml")),
    ("seeds/example.md", include_str!("../skeleton/seeds/example.md")),
    ("templates/404.html", include_str!("../templates/404.html")),
    ("templates/article.html", include_str!("../templates/article.html")),
    ("templates/articles.html", include_str!("../templates/articles.html")),
    ("templates/base.html", include_str!("../templates/base.html")),
    ("templates/entities.html", include_str!("../templates/entities.html")),
    ("templates/entity.html", include_str!("../templates/entity.html")),
    ("templates/index.html", include_str!("../templates/index.html")),
    ("templates/partials/article_item.html", include_str!("../templates/partials/article_item.html")),
    ("templates/partials/pager.html", include_str!("../templates/partials/pager.html")),
    ("static/css/site.css", include_str!("../static/css/site.css")),
];

/// Writes the skeleton into `dir`, which must not exist or be an empty folder. Returns the
/// paths written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::input(
                    dir,
                    "the folder is not empty",
                    "archive init only writes into a new or empty folder; choose another name",
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory || dir.is_file() => {
            return Err(Error::input(dir, "a file of this name exists", "choose another name for the archive"));
        }
        Err(e) => return Err(Error::io(dir, "cannot read the folder", e)),
    }
    let mut written = Vec::with_capacity(SKELETON.len());
    for (name, contents) in SKELETON {
        let path = dir.join(name);
        crate::write::create_parent(&path)?;
        // Never overwrite: a file that appeared meanwhile stops the init.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, "cannot create", e))?;
        file.write_all(contents.as_bytes()).map_err(|e| Error::io(&path, "cannot write", e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template or static file added to the repository must be added to the skeleton too.
    #[test]
    fn the_skeleton_holds_every_template_and_static_file() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["templates", "static"] {
            for entry in walkdir::WalkDir::new(repo.join(sub)) {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    let relative = entry.path().strip_prefix(repo).unwrap().to_string_lossy().replace('\\', "/");
                    assert!(SKELETON.iter().any(|(name, _)| *name == relative), "{relative} is not in the skeleton");
                }
            }
        }
    }

    #[test]
    fn the_skeleton_parses() {
        let gazetteer = SKELETON.iter().find(|(n, _)| *n == "entities.toml").unwrap().1;
        let parsed = crate::recognise::Gazetteer::parse(Path::new("entities.toml"), gazetteer).unwrap();
        assert!(parsed.get("cairo").is_none());
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), SKELETON[0].1).unwrap();
        crate::config::Config::load(dir.path()).unwrap();
    }

    #[test]
    fn refuses_a_folder_that_is_not_empty() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = init(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not empty"), "{err}");
        assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
        assert!(!dir.path().join("site.toml").exists());
        let err = init(&dir.path().join("notes.txt")).unwrap_err().to_string();
        assert!(err.contains("a file"), "{err}");
    }

    #[test]
    fn writes_into_a_new_or_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let written = init(dir.path()).unwrap();
        assert_eq!(written.len(), SKELETON.len());
        let nested = dir.path().join("a/b");
        init(&nested).unwrap();
        assert!(nested.join("seeds/example.md").is_file());
    }
}
