//! `archive init DIR`: a new archive from the skeleton built into the binary, ready to build.
//!
//! The skeleton's own files are in `skeleton/`; its templates and stylesheet are the
//! repository's `templates/` and `static/`, embedded from there so that each exists once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir, DirEntry};

use crate::error::{Error, Result};

/// The skeleton's folders, each embedded whole, and where each goes in a new archive. A file
/// added to one is in the skeleton at the next build (build.rs tells cargo to look).
static FOLDERS: [(&str, Dir<'static>); 3] = [
    ("", include_dir!("$CARGO_MANIFEST_DIR/skeleton")),
    ("templates", include_dir!("$CARGO_MANIFEST_DIR/templates")),
    ("static", include_dir!("$CARGO_MANIFEST_DIR/static")),
];

/// Every file of the skeleton in path order: its path in the new archive, and its contents.
fn skeleton() -> Vec<(PathBuf, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, into: &Path, files: &mut Vec<(PathBuf, &'static [u8])>) {
        for entry in dir.entries() {
            if entry.path().file_name().and_then(|n| n.to_str()).is_none_or(is_litter) {
                continue;
            }
            match entry {
                DirEntry::Dir(sub) => walk(sub, into, files),
                DirEntry::File(file) => files.push((into.join(file.path()), file.contents())),
            }
        }
    }
    let mut files = Vec::new();
    for (into, dir) in &FOLDERS {
        walk(dir, Path::new(into), &mut files);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Whether a file or folder is one an editor or the system leaves beside the real ones: hidden
/// (.DS_Store, vim's .base.html.swp), a backup (base.html~, #base.html#, site.css.bak) or
/// left by a merge (.orig, .rej). It is embedded if it was there at build time, but never
/// written into an archive.
fn is_litter(name: &str) -> bool {
    name.starts_with(['.', '#'])
        || name.ends_with(['~', '#'])
        || [".bak", ".orig", ".rej", ".swp", ".tmp"].iter().any(|end| name.ends_with(end))
}

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
    let files = skeleton();
    let mut written = Vec::with_capacity(files.len());
    for (name, contents) in files {
        let path = dir.join(name);
        crate::write::create_parent(&path)?;
        // Never overwrite: a file that appeared meanwhile stops the init.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, "cannot create", e))?;
        file.write_all(contents).map_err(|e| Error::io(&path, "cannot write", e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the skeleton holds is what its folders hold on disk, litter left out.
    #[test]
    fn the_skeleton_is_every_file_of_its_folders() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for (into, folder) in [("", "skeleton"), ("templates", "templates"), ("static", "static")] {
            let walk = walkdir::WalkDir::new(repo.join(folder)).min_depth(1).into_iter();
            let kept = walk.filter_entry(|e| !e.file_name().to_str().is_none_or(is_litter));
            for entry in kept.map(Result::unwrap).filter(|e| e.file_type().is_file()) {
                on_disk.push(Path::new(into).join(entry.path().strip_prefix(repo.join(folder)).unwrap()));
            }
        }
        on_disk.sort();
        let embedded: Vec<PathBuf> = skeleton().into_iter().map(|(path, _)| path).collect();
        assert_eq!(embedded, on_disk);
        for name in ["site.toml", "entities.toml", "seeds/example.md", "templates/partials/pager.html"] {
            assert!(embedded.iter().any(|p| p == Path::new(name)), "{name}");
        }
    }

    #[test]
    fn editor_and_system_litter_is_left_out() {
        for name in ["base.html~", ".base.html.swp", "#base.html#", ".DS_Store", "site.css.orig", "x.rej", "a.bak"] {
            assert!(is_litter(name), "{name}");
        }
        for name in ["base.html", "site.css", "example.md", "site.toml", "partials"] {
            assert!(!is_litter(name), "{name}");
        }
    }

    #[test]
    fn the_skeleton_parses() {
        let files = skeleton();
        let file = |name: &str| {
            let found = files.iter().find(|(path, _)| path == Path::new(name)).unwrap();
            std::str::from_utf8(found.1).unwrap()
        };
        let parsed = crate::recognise::Gazetteer::parse(Path::new("entities.toml"), file("entities.toml")).unwrap();
        assert!(parsed.get("cairo").is_none());
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), file("site.toml")).unwrap();
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
        assert_eq!(written.len(), skeleton().len());
        let nested = dir.path().join("a/b");
        init(&nested).unwrap();
        assert!(nested.join("seeds/example.md").is_file());
    }
}
