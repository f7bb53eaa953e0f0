//! Writing: pages, data, stylesheets and static files into a fresh folder that replaces the
//! output only once everything is written, so a failed build leaves the old site whole.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::render::Page;

/// Writes `pages` and the files of `static_dir` into `output`, atomically as far as the
/// file system allows: a sibling folder is filled, then swapped in.
pub fn write_site(output: &Path, pages: &[Page], static_dir: &Path) -> Result<()> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, "cannot create the output's parent folder", e))?;
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let staging = parent.join(format!(".{name}.new"));
    let previous = parent.join(format!(".{name}.old"));
    for leftover in [&staging, &previous] {
        remove(leftover)?;
    }
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, "cannot create the staging folder", e))?;

    if static_dir.is_dir() {
        copy_tree(static_dir, &staging)?;
    }
    for page in pages {
        let path = staging.join(&page.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create folder", e))?;
        }
        fs::write(&path, &page.html).map_err(|e| Error::io(&path, "cannot write", e))?;
    }

    if output.exists() {
        fs::rename(output, &previous).map_err(|e| Error::io(output, "cannot move the previous site aside", e))?;
    }
    fs::rename(&staging, output).map_err(|e| Error::io(output, "cannot move the new site into place", e))?;
    remove(&previous)
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

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stat = dir.path().join("static");
        fs::create_dir_all(stat.join("css")).unwrap();
        fs::write(stat.join("css/site.css"), "body{}").unwrap();
        fs::write(stat.join(".hidden"), "x").unwrap();
        write_site(&out, &[Page { path: "a/index.html".into(), html: "one".into() }], &stat).unwrap();
        write_site(&out, &[Page { path: "b/index.html".into(), html: "two".into() }], &stat).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("css/site.css")).unwrap(), "body{}");
        assert!(!out.join(".hidden").exists());
        assert!(!dir.path().join(".public.new").exists() && !dir.path().join(".public.old").exists());
    }
}
