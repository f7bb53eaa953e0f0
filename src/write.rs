//! Writing: pages, data, stylesheets and static files into a fresh folder that replaces the
//! output only once everything is written, so a failed build leaves the old site whole.
//! `archive serve` also updates single files of a site in place ([`InPlace`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};

/// A file in every site this program writes: an existing folder without it is not replaced.
const MARKER: &str = ".archive-output";

/// Refuses an output folder whose replacement would lose something: the file system root,
/// the archive or any of its inputs (or a folder holding them), a folder inside an input
/// folder, or an existing folder that this program did not write.
pub fn check_output(output: &Path, inputs: &[(&str, PathBuf)]) -> Result<()> {
    let out = resolve(output);
    let refuse =
        |why: String| Err(Error::input(output, why, "choose another --output, such as the default ROOT/public"));
    if out.parent().is_none() {
        return refuse("the output folder cannot be the root of the file system".into());
    }
    for (what, input) in inputs {
        let input = resolve(input);
        if input.starts_with(&out) {
            return refuse(format!(
                "the output folder holds the {what} ({}): building would replace it",
                input.display()
            ));
        }
        if input.is_dir() && out.starts_with(&input) && *what != "archive" {
            return refuse(format!("the output folder is inside the {what} ({})", input.display()));
        }
    }
    let not_ours = out.is_dir()
        && !out.join(MARKER).is_file()
        && fs::read_dir(&out).map_err(|e| Error::io(output, "cannot read", e))?.next().is_some();
    if not_ours {
        return refuse("the output folder exists, is not empty and was not written by archive".into());
    }
    Ok(())
}

/// The absolute form of `path` with symbolic links and `..` resolved as far as it exists.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |acc: PathBuf, part| match part {
                std::path::Component::ParentDir => acc.parent().map(Path::to_path_buf).unwrap_or(acc),
                std::path::Component::CurDir => acc,
                other => acc.join(other),
            });
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// The folder a build writes into, beside the output it will replace. Pages are written
/// as they are rendered, from any thread; `commit` swaps the folder into place. Dropped
/// without a commit (a failed build), it removes itself and the old site stays whole.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.NAME.new` beside `output` and copies the static files into it. It and
    /// `.NAME.old` (during the swap) are the only things written outside the output folder.
    pub fn create(output: &Path, static_dir: &Path) -> Result<Staging> {
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "cannot create the output's parent folder", e))?;
        let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let staging = Staging {
            output: output.to_path_buf(),
            dir: parent.join(format!(".{name}.new")),
            previous: parent.join(format!(".{name}.old")),
            committed: false,
        };
        for leftover in [&staging.dir, &staging.previous] {
            remove(leftover)?;
        }
        fs::create_dir_all(&staging.dir).map_err(|e| Error::io(&staging.dir, "cannot create the staging folder", e))?;
        if static_dir.is_dir() {
            copy_tree(static_dir, &staging.dir)?;
        }
        staging.write(MARKER, b"Written by archive: this folder is replaced whole at each build.\n")?;
        Ok(staging)
    }

    /// Writes one file at `path`, relative to the site's root.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<()> {
        let path = self.dir.join(path);
        create_parent(&path)?;
        fs::write(&path, contents).map_err(|e| Error::io(&path, "cannot write", e))
    }

    /// Writes one file at `path` through `fill`, for files too large to make in memory first.
    pub fn write_with(&self, path: &str, fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Result<()> {
        let path = self.dir.join(path);
        create_parent(&path)?;
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, "cannot write", e))?;
        let mut out = io::BufWriter::new(file);
        fill(&mut out).and_then(|()| out.flush()).map_err(|e| Error::io(&path, "cannot write", e))
    }

    /// Puts the new site in place of the old one, and returns the old one, moved aside.
    pub fn commit(mut self) -> Result<Previous> {
        if self.output.exists() {
            fs::rename(&self.output, &self.previous)
                .map_err(|e| Error::io(&self.output, "cannot move the previous site aside", e))?;
        }
        fs::rename(&self.dir, &self.output)
            .map_err(|e| Error::io(&self.output, "cannot move the new site into place", e))?;
        self.committed = true;
        Ok(Previous(self.previous.clone()))
    }
}

/// The previous site, moved aside by a commit. Removing thousands of files takes a while:
/// `archive serve` need not wait for it to serve the new site. Left alone, the next build
/// removes it.
#[must_use = "the previous site stays beside the output until removed"]
pub struct Previous(PathBuf);

impl Previous {
    pub fn remove(self) -> Result<()> {
        remove(&self.0)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A site already written, updated in place, a file at a time: each file is written beside
/// its place and renamed into it, so a reader sees the old page or the new, never half.
pub struct InPlace<'a> {
    pub root: &'a Path,
}

impl InPlace<'_> {
    /// Writes `contents` at `path`, relative to the site's root.
    pub fn replace(&self, path: &Path, contents: &[u8]) -> Result<()> {
        let target = self.root.join(path);
        create_parent(&target)?;
        let name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let temporary = target.with_file_name(format!(".{name}.new"));
        fs::write(&temporary, contents).map_err(|e| Error::io(&temporary, "cannot write", e))?;
        fs::rename(&temporary, &target).map_err(|e| Error::io(&target, "cannot replace", e))
    }

    /// Removes the file or folder at `path`, relative to the site's root, if it is there.
    pub fn remove(&self, path: &Path) -> Result<()> {
        let target = self.root.join(path);
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => remove(&target),
            Ok(_) => fs::remove_file(&target).map_err(|e| Error::io(&target, "cannot remove", e)),
            Err(_) => Ok(()),
        }
    }
}

/// Creates the folder `path` goes in, and the folders above it.
pub(crate) fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create folder", e)),
        None => Ok(()),
    }
}

fn remove(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, "cannot remove", e)),
        _ => Ok(()),
    }
}

/// Copies the files under `from` into `to`, hidden files left out, symbolic links not followed.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let walk = WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| {
            Error::input(e.path().unwrap_or(from), format!("cannot read the static folder: {e}"), "check permissions")
        })?;
        let relative: PathBuf = entry.path().strip_prefix(from).unwrap_or(entry.path()).to_path_buf();
        let target = to.join(&relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| Error::io(&target, "cannot create folder", e))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).map_err(|e| Error::io(entry.path(), "cannot copy", e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(root: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("archive", root.to_path_buf()),
            ("content folder", root.join("seeds")),
            ("templates folder", root.join("templates")),
        ]
    }

    #[test]
    fn output_cannot_replace_an_input_or_the_archive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("seeds")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        let refused = |out: &Path| check_output(out, &inputs(&root)).unwrap_err().to_string();
        assert!(refused(Path::new("/")).contains("root of the file system"));
        assert!(refused(&root).contains("holds the archive"));
        assert!(refused(dir.path()).contains("holds the archive"));
        assert!(refused(&root.join("seeds")).contains("holds the content folder"));
        assert!(refused(&root.join("seeds/public")).contains("inside the content folder"));
        assert!(refused(&root.join("public/../templates")).contains("holds the templates folder"));
        assert!(check_output(&root.join("public"), &inputs(&root)).is_ok());
    }

    #[test]
    fn a_dropped_staging_folder_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), &dir.path().join("no-static")).unwrap();
        staging.write("a/index.html", b"x").unwrap();
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_existing_folder_not_written_by_archive_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("documents");
        fs::create_dir_all(&out).unwrap();
        assert!(check_output(&out, &[]).is_ok(), "an empty folder may be used");
        fs::write(out.join("thesis.odt"), "years of work").unwrap();
        let err = check_output(&out, &[]).unwrap_err().to_string();
        assert!(err.contains("was not written by archive"), "{err}");
        Staging::create(&dir.path().join("public"), &dir.path().join("no-static"))
            .unwrap()
            .commit()
            .unwrap()
            .remove()
            .unwrap();
        assert!(check_output(&dir.path().join("public"), &[]).is_ok(), "a site archive wrote may be replaced");
    }

    #[test]
    fn files_are_replaced_and_removed_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let site = InPlace { root: dir.path() };
        site.replace(Path::new("a/b/index.html"), b"one").unwrap();
        site.replace(Path::new("a/b/index.html"), b"two").unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a/b/index.html")).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path().join("a/b")).unwrap().count(), 1, "no temporary file is left");
        site.remove(Path::new("a/b/index.html")).unwrap();
        site.remove(Path::new("a")).unwrap();
        site.remove(Path::new("never-was")).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stat = dir.path().join("static");
        fs::create_dir_all(stat.join("css")).unwrap();
        fs::write(stat.join("css/site.css"), "body{}").unwrap();
        fs::write(stat.join(".hidden"), "x").unwrap();
        let site = |page: &str, html: &str| {
            let staging = Staging::create(&out, &stat).unwrap();
            staging.write(page, html.as_bytes()).unwrap();
            staging.commit().unwrap().remove().unwrap();
        };
        site("a/index.html", "one");
        site("b/index.html", "two");
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("css/site.css")).unwrap(), "body{}");
        assert!(!out.join(".hidden").exists());
        assert!(!dir.path().join(".public.new").exists() && !dir.path().join(".public.old").exists());
    }
}
