//! Writing: pages, data, stylesheets and static files into a fresh folder that takes the
//! output's place in one step once everything is written and on disk. At every instant the
//! output is the old site or the new one, whole, even when the process is killed.
//! `archive serve` also updates single files of a site in place ([`InPlace`]).
//!
//! Beside the output `NAME`, a build uses `.NAME.new` (the site being written) and
//! `.NAME.old` (the previous site, once swapped out). A folder is this program's only when it
//! holds the marker file: nothing else is ever moved, replaced or removed.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result, Warning};

/// A file in every site this program writes: a folder without it is never replaced.
const MARKER: &str = ".archive-output";
/// A file in a staging folder until every file of the site is written and flushed to disk.
const PARTIAL: &str = ".archive-partial";

/// What is at a path that a build may replace or remove.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Nothing,
    /// A folder this program wrote; `whole` once every file was written and flushed.
    Ours {
        whole: bool,
    },
    /// An empty folder: nothing to lose.
    Empty,
    /// A folder that is not empty and that this program did not write.
    Foreign,
    /// A file, or anything else that is not a folder.
    File,
    /// A symbolic link that leads nowhere (one that leads somewhere is followed first).
    Link,
}

fn found(path: &Path) -> io::Result<Found> {
    let meta = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        meta => meta?,
    };
    if meta.file_type().is_symlink() {
        return Ok(Found::Link);
    }
    if !meta.is_dir() {
        return Ok(Found::File);
    }
    let holds = |name: &str| fs::symlink_metadata(path.join(name)).is_ok_and(|m| m.is_file());
    // A staging folder holds PARTIAL a moment before the marker: it is ours all the same.
    if holds(MARKER) || holds(PARTIAL) {
        return Ok(Found::Ours { whole: holds(MARKER) && !holds(PARTIAL) });
    }
    Ok(if fs::read_dir(path)?.next().is_none() { Found::Empty } else { Found::Foreign })
}

/// The output and the two folders beside it that a build uses.
#[derive(Debug, Clone)]
struct Places {
    /// Absolute, with `.`, `..` and symbolic links resolved: an output that is a link to a
    /// folder names that folder, which is the one replaced.
    output: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
}

impl Places {
    fn of(output: &Path) -> Places {
        let output = resolve(output);
        let sibling = |suffix: &str| {
            let mut name = OsString::from(".");
            name.push(output.file_name().unwrap_or_default());
            name.push(suffix);
            output.with_file_name(name)
        };
        Places { staging: sibling(".new"), previous: sibling(".old"), output }
    }

    fn parent(&self) -> &Path {
        self.output.parent().unwrap_or(Path::new("/"))
    }

    /// Puts back the last good site when the output is missing and a killed build left one
    /// beside it: the new site, flushed but not moved in yet, else the previous one.
    fn restore(&self) -> Result<()> {
        let look = |path: &Path| found(path).map_err(|e| Error::io(path, "cannot read", e));
        if look(&self.output)? != Found::Nothing {
            return Ok(());
        }
        for leftover in [&self.staging, &self.previous] {
            if look(leftover)? == (Found::Ours { whole: true }) {
                return fault("restore")
                    .and_then(|()| fs::rename(leftover, &self.output))
                    .map_err(|e| Error::io(&self.output, "cannot put back the last good site", e));
            }
        }
        Ok(())
    }
}

/// Makes sure the site can be written at `output` without losing anything: refuses the file
/// system root, the archive or any of its inputs (or a folder holding them), a folder inside
/// an input folder, a file, a link that leads nowhere, and a folder that this program did not
/// write, at the output or where its new and previous sites go beside it. Then, if a killed
/// build left the output missing, puts back the last good site it left beside it.
pub fn claim_output(output: &Path, inputs: &[(&str, PathBuf)]) -> Result<()> {
    let places = Places::of(output);
    let out = &places.output;
    let refuse =
        |why: String| Err(Error::input(output, why, "choose another --output, such as the default ROOT/public"));
    if out.parent().is_none() {
        return refuse("the output folder cannot be the root of the file system".into());
    }
    for (what, input) in inputs {
        let input = resolve(input);
        if input.starts_with(out) {
            return refuse(format!(
                "the output folder holds the {what} ({}): building would replace it",
                input.display()
            ));
        }
        if input.is_dir() && out.starts_with(&input) && *what != "archive" {
            return refuse(format!("the output folder is inside the {what} ({})", input.display()));
        }
    }
    let look = |path: &Path| found(path).map_err(|e| Error::io(path, "cannot read", e));
    match look(out)? {
        Found::File => {
            return Err(Error::input(
                output,
                "the output is a file, not a folder",
                "archive writes a folder there: move the file away, or choose another --output",
            ))
        }
        Found::Link => {
            let to = fs::read_link(out).unwrap_or_default();
            return Err(Error::input(
                output,
                format!("the output is a symbolic link to {}, which does not exist", to.display()),
                "create the folder it leads to, or give --output a folder",
            ));
        }
        Found::Foreign => {
            return refuse("the output folder exists, is not empty and was not written by archive".into())
        }
        Found::Nothing | Found::Empty | Found::Ours { .. } => {}
    }
    for beside in [&places.staging, &places.previous] {
        if !matches!(look(beside)?, Found::Nothing | Found::Empty | Found::Ours { .. }) {
            return Err(Error::input(
                beside,
                "archive puts a site here while it builds, and this was not written by archive",
                "move or rename it, or choose another --output",
            ));
        }
    }
    places.restore()
}

/// Whether `output` holds a whole site this program wrote: its marker and its home page.
/// `archive serve` builds everything again when it does not.
pub fn is_whole(output: &Path) -> bool {
    let out = resolve(output);
    found(&out).is_ok_and(|f| f == Found::Ours { whole: true }) && out.join("index.html").is_file()
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
    places: Places,
    /// Leftovers of earlier builds that could not be removed.
    warnings: Vec<Warning>,
    committed: bool,
}

impl Staging {
    /// Creates `.NAME.new` beside the output (see [`claim_output`], which must have passed)
    /// and copies the static files into it. Leftovers of earlier builds beside the output
    /// are removed first: the output holds a good site by then.
    pub fn create(output: &Path, static_dir: &Path) -> Result<Staging> {
        let places = Places::of(output);
        let parent = places.parent();
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "cannot create the output's parent folder", e))?;
        remove_ours(&places.staging)?;
        let mut warnings = Vec::new();
        if let Err(err) = remove_ours(&places.previous) {
            // Only in the way if the commit cannot use the system's atomic exchange.
            warnings.push(Warning::new(&places.previous, format!("a previous site is left here: {}", one_line(&err))));
        }
        let dir = &places.staging;
        fs::create_dir(dir).map_err(|e| Error::io(dir, "cannot create the staging folder", e))?;
        let staging = Staging { places, warnings, committed: false };
        staging.write(PARTIAL, b"A build is writing this folder; it is not a whole site yet.\n")?;
        staging.write(MARKER, b"Written by archive: this folder is replaced whole at each build.\n")?;
        if static_dir.is_dir() {
            copy_tree(static_dir, &staging.places.staging)?;
        }
        Ok(staging)
    }

    /// Writes one file at `path`, relative to the site's root.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<()> {
        let path = self.places.staging.join(path);
        create_parent(&path)?;
        fault("write").and_then(|()| fs::write(&path, contents)).map_err(|e| Error::io(&path, "cannot write", e))
    }

    /// Writes one file at `path` through `fill`, for files too large to make in memory first.
    pub fn write_with(&self, path: &str, fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Result<()> {
        let path = self.places.staging.join(path);
        create_parent(&path)?;
        write_file(&path, fill)
    }

    /// Flushes the new site to disk and swaps it with the old one in one step; returns the
    /// old one, moved aside. Where the system cannot swap two folders, the old site is moved
    /// aside and the new one in: a process killed between the two leaves the new site beside
    /// the missing output, and the next build puts it back.
    pub fn commit(mut self) -> Result<Previous> {
        let Places { output, staging, previous } = self.places.clone();
        let parent = self.places.parent();
        fault("flush")
            .and_then(|()| flush(&staging))
            .and_then(|()| fs::remove_file(staging.join(PARTIAL)))
            .and_then(|()| sync_folder(&staging))
            .map_err(|e| Error::io(&staging, "cannot flush the new site to disk", e))?;
        let swapped = found(&output).map_err(|e| Error::io(&output, "cannot read", e))? != Found::Nothing;
        let old = if !swapped {
            move_in(&staging, &output)?;
            None
        } else if exchange(&staging, &output).map_err(|e| Error::io(&output, "cannot swap in the new site", e))? {
            // The old site is where the new one was; under its own name it cannot be taken
            // for a new site that was never moved in.
            self.committed = true;
            let aside = fault("set-aside").and_then(|()| fs::rename(&staging, &previous));
            Some(if aside.is_ok() { previous } else { staging })
        } else {
            fault("move-aside")
                .and_then(|()| fs::rename(&output, &previous))
                .map_err(|e| Error::io(&output, "cannot move the previous site aside", e))?;
            if let Err(err) = move_in(&staging, &output) {
                // Never leave the output missing while the old site can go back.
                let _ = fs::rename(&previous, &output);
                return Err(err);
            }
            Some(previous)
        };
        self.committed = true;
        sync_folder(parent).map_err(|e| Error::io(parent, "cannot flush the new site to disk", e))?;
        Ok(Previous { dir: old, warnings: std::mem::take(&mut self.warnings) })
    }
}

fn move_in(staging: &Path, output: &Path) -> Result<()> {
    fault("move-in")
        .and_then(|()| fs::rename(staging, output))
        .map_err(|e| Error::io(output, "cannot move the new site into place", e))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.places.staging);
        }
    }
}

/// The previous site, moved aside by a commit. Removing thousands of files takes a while:
/// `archive serve` need not wait for it to serve the new site. Left alone, the next build
/// removes it.
#[must_use = "the previous site stays beside the output until removed"]
pub struct Previous {
    dir: Option<PathBuf>,
    warnings: Vec<Warning>,
}

impl Previous {
    /// Removes the previous site. The new one is in place whatever happens: what could not be
    /// removed is a warning, with the leftovers the build met.
    pub fn remove(self) -> Vec<Warning> {
        let mut warnings = self.warnings;
        if let Some(dir) = self.dir {
            if let Err(err) = remove_ours(&dir) {
                warnings.push(Warning::new(&dir, format!("the previous site is left here: {}", one_line(&err))));
            }
        }
        warnings
    }
}

/// Writes the file at `path` with what `fill` writes, buffered.
fn write_file(path: &Path, fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::io(path, "cannot write", e))?;
    let mut out = io::BufWriter::new(file);
    fill(&mut out).and_then(|()| out.flush()).map_err(|e| Error::io(path, "cannot write", e))
}

/// An error's message and hint on one line, for a warning.
fn one_line(err: &Error) -> String {
    err.to_string().replace("\n  hint: ", "; hint: ")
}

/// Swaps two folders in one step; `Ok(false)` where the system or the file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    let swapped = fault("swap").and_then(|()| Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?));
    match swapped {
        Ok(()) => Ok(true),
        // An old kernel, or a file system without the exchange (some network ones).
        Err(e)
            if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP]
                .iter()
                .any(|n| e.raw_os_error() == Some(n.raw_os_error())) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    fault("swap").map(|()| false)
}

/// Puts every file under `dir` on disk. On Linux one syncfs flushes its whole file system,
/// far cheaper than a flush per file.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn flush(dir: &Path) -> io::Result<()> {
    Ok(rustix::fs::syncfs(fs::File::open(dir)?)?)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn flush(dir: &Path) -> io::Result<()> {
    for entry in WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            fs::File::open(entry.path())?.sync_all()?;
        } else if entry.file_type().is_dir() {
            sync_folder(entry.path())?;
        }
    }
    Ok(())
}

/// Puts a folder's entries (names moved in or out) on disk.
fn sync_folder(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        fs::File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// Removes a folder this program wrote (or an empty one), keeping its marker to the end so
/// that a removal cut short is still known as ours. Anything else is left as it is.
fn remove_ours(dir: &Path) -> Result<()> {
    let name = dir.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let failed = |e| Error::io(dir, "cannot remove", e);
    match found(dir).map_err(failed)? {
        Found::Nothing => return Ok(()),
        Found::Empty => {}
        Found::Ours { .. } => {
            fault(&format!("remove {name}")).map_err(failed)?;
            for entry in fs::read_dir(dir).map_err(failed)? {
                let entry = entry.map_err(failed)?;
                if entry.file_name() == MARKER || entry.file_name() == PARTIAL {
                    continue;
                }
                let path = entry.path();
                let gone = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                gone.map_err(|e| Error::io(&path, "cannot remove", e))?;
            }
            fault(&format!("emptied {name}")).map_err(failed)?;
            for own in [PARTIAL, MARKER] {
                match fs::remove_file(dir.join(own)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(failed(e)),
                    _ => {}
                }
            }
        }
        Found::Foreign | Found::File | Found::Link => {
            return Err(Error::input(dir, "was not written by archive: left as it is", "move or rename it"))
        }
    }
    fs::remove_dir(dir).map_err(failed)
}

/// Tests only (feature `fault-injection`): `ARCHIVE_FAULT="swap=kill;remove .public.old=denied"`
/// kills the process (SIGKILL), pauses it, or fails with an error, just before the named step.
#[cfg(feature = "fault-injection")]
fn fault(point: &str) -> io::Result<()> {
    use rustix::io::Errno;
    static SPEC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let spec = SPEC.get_or_init(|| std::env::var("ARCHIVE_FAULT").unwrap_or_default());
    match fault_action(spec, point) {
        None => Ok(()),
        Some("kill") => {
            let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
            std::process::abort()
        }
        // Long enough for a reader polling the output to see what it holds meanwhile.
        Some("pause") => {
            std::thread::sleep(std::time::Duration::from_millis(100));
            Ok(())
        }
        Some("full") => Err(Errno::NOSPC.into()),
        Some("denied") => Err(Errno::ACCESS.into()),
        Some("unsupported") => Err(Errno::INVAL.into()),
        Some(other) => Err(io::Error::other(format!("ARCHIVE_FAULT: unknown action {other:?}"))),
    }
}

#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
fn fault(_point: &str) -> io::Result<()> {
    Ok(())
}

/// The action `spec` (`POINT=ACTION;…`) names for `point`.
#[cfg(feature = "fault-injection")]
fn fault_action<'s>(spec: &'s str, point: &str) -> Option<&'s str> {
    spec.split(';').filter_map(|rule| rule.split_once('=')).find(|(p, _)| p.trim() == point).map(|(_, a)| a.trim())
}

/// A site already written, updated in place, a file at a time: each file is written beside
/// its place and renamed into it, so a reader sees the old page or the new, never half.
pub struct InPlace<'a> {
    pub root: &'a Path,
}

impl InPlace<'_> {
    /// Writes `contents` at `path`, relative to the site's root. A root without its marker (a
    /// site removed while `archive serve` runs) is not filled with pages: it takes a build.
    pub fn replace(&self, path: &Path, contents: &[u8]) -> Result<()> {
        self.replace_with(path, |out| out.write_all(contents))
    }

    /// Writes at `path` what `fill` writes, as [`InPlace::replace`] does: an export too
    /// large to hold whole goes straight to its file.
    pub fn replace_with(&self, path: &Path, fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Result<()> {
        if !self.root.join(MARKER).is_file() {
            return Err(Error::input(
                self.root,
                "the site is gone from the output folder",
                "change a file to build it again",
            ));
        }
        let target = self.root.join(path);
        create_parent(&target)?;
        let name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let temporary = target.with_file_name(format!(".{name}.new"));
        write_file(&temporary, fill)?;
        fs::rename(&temporary, &target).map_err(|e| Error::io(&target, "cannot replace", e))
    }

    /// Removes the file or folder at `path`, relative to the site's root, if it is there.
    pub fn remove(&self, path: &Path) -> Result<()> {
        let target = self.root.join(path);
        let removed = match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&target),
            Ok(_) => fs::remove_file(&target),
            Err(_) => Ok(()),
        };
        removed.map_err(|e| Error::io(&target, "cannot remove", e))
    }
}

impl InPlace<'_> {
    /// Removes the page at `path`, relative to the site's root, and the folders above it
    /// that it leaves empty.
    pub fn remove_page(&self, path: &Path) -> Result<()> {
        self.remove(path)?;
        for dir in path.ancestors().skip(1).filter(|d| !d.as_os_str().is_empty()) {
            let target = self.root.join(dir);
            // A folder that still holds something stays (another page, a static file).
            if fs::remove_dir(&target).is_err() {
                break;
            }
        }
        Ok(())
    }
}

/// Creates the folder `path` goes in, and the folders above it.
pub(crate) fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create folder", e)),
        None => Ok(()),
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

    /// Builds a site of one page at `out`, and removes the previous one.
    fn site(out: &Path, page: &str, html: &str) {
        let staging = Staging::create(out, &out.with_file_name("no-static")).unwrap();
        staging.write(page, html.as_bytes()).unwrap();
        assert!(staging.commit().unwrap().remove().is_empty());
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn output_cannot_replace_an_input_or_the_archive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("seeds")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        let refused = |out: &Path| claim_output(out, &inputs(&root)).unwrap_err().to_string();
        assert!(refused(Path::new("/")).contains("root of the file system"));
        assert!(refused(&root).contains("holds the archive"));
        assert!(refused(dir.path()).contains("holds the archive"));
        assert!(refused(&root.join("seeds")).contains("holds the content folder"));
        assert!(refused(&root.join("seeds/public")).contains("inside the content folder"));
        assert!(refused(&root.join("public/../templates")).contains("holds the templates folder"));
        assert!(claim_output(&root.join("public"), &inputs(&root)).is_ok());
    }

    #[test]
    fn what_is_found_at_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| found(&dir.path().join(name)).unwrap();
        assert_eq!(at("none"), Found::Nothing);
        fs::create_dir(dir.path().join("empty")).unwrap();
        assert_eq!(at("empty"), Found::Empty);
        fs::create_dir(dir.path().join("theirs")).unwrap();
        fs::write(dir.path().join("theirs/thesis.odt"), "years of work").unwrap();
        assert_eq!(at("theirs"), Found::Foreign);
        fs::write(dir.path().join("file"), "").unwrap();
        assert_eq!(at("file"), Found::File);
        fs::create_dir(dir.path().join("partial")).unwrap();
        fs::write(dir.path().join("partial").join(PARTIAL), "").unwrap();
        assert_eq!(at("partial"), Found::Ours { whole: false });
        fs::write(dir.path().join("partial").join(MARKER), "").unwrap();
        assert_eq!(at("partial"), Found::Ours { whole: false });
        fs::remove_file(dir.path().join("partial").join(PARTIAL)).unwrap();
        assert_eq!(at("partial"), Found::Ours { whole: true });
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("none"), dir.path().join("dangling")).unwrap();
            assert_eq!(at("dangling"), Found::Link);
        }
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
        assert!(claim_output(&out, &[]).is_ok(), "an empty folder may be used");
        fs::write(out.join("thesis.odt"), "years of work").unwrap();
        let err = claim_output(&out, &[]).unwrap_err().to_string();
        assert!(err.contains("was not written by archive"), "{err}");
        site(&dir.path().join("public"), "index.html", "home");
        assert!(claim_output(&dir.path().join("public"), &[]).is_ok(), "a site archive wrote may be replaced");
    }

    #[test]
    fn folders_beside_the_output_that_archive_did_not_write_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mysite");
        for beside in [".mysite.old", ".mysite.new"] {
            fs::create_dir_all(dir.path().join(beside)).unwrap();
            assert!(claim_output(&out, &[]).is_ok(), "an empty {beside} is nothing to lose");
            fs::write(dir.path().join(beside).join("thesis.odt"), "years of work").unwrap();
            let err = claim_output(&out, &[]).unwrap_err().to_string();
            assert!(err.contains(beside) && err.contains("was not written by archive"), "{err}");
            assert!(remove_ours(&dir.path().join(beside)).is_err());
            fs::remove_dir_all(dir.path().join(beside)).unwrap();
        }
        fs::write(dir.path().join(".mysite.new"), "a file").unwrap();
        assert!(claim_output(&out, &[]).is_err());
        assert_eq!(fs::read_to_string(dir.path().join(".mysite.new")).unwrap(), "a file");
    }

    #[test]
    fn an_output_that_is_a_file_or_a_dangling_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::write(&out, "notes").unwrap();
        let err = claim_output(&out, &[]).unwrap_err().to_string();
        assert!(err.contains("is a file, not a folder"), "{err}");
        assert_eq!(names(dir.path()), ["public"], "nothing moved");
        #[cfg(unix)]
        {
            fs::remove_file(&out).unwrap();
            std::os::unix::fs::symlink(dir.path().join("www/site"), &out).unwrap();
            let err = claim_output(&out, &[]).unwrap_err().to_string();
            assert!(err.contains("symbolic link") && err.contains("www/site"), "{err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_folder_has_that_folder_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("www/site")).unwrap();
        let out = dir.path().join("public");
        std::os::unix::fs::symlink("www/site", &out).unwrap();
        claim_output(&out, &[]).unwrap();
        site(&out, "a.html", "one");
        site(&out, "b.html", "two");
        assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(fs::read_to_string(dir.path().join("www/site/b.html")).unwrap(), "two");
        assert!(!dir.path().join("www/site/a.html").exists());
        assert_eq!(names(&dir.path().join("www")), ["site"], "nothing left beside the folder");
    }

    #[test]
    fn a_missing_output_is_put_back_from_a_whole_leftover_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let places = Places::of(&out);
        // Killed while writing: the staging folder is not a site.
        fs::create_dir(&places.staging).unwrap();
        fs::write(places.staging.join(PARTIAL), "").unwrap();
        fs::write(places.staging.join(MARKER), "").unwrap();
        claim_output(&out, &[]).unwrap();
        assert!(!out.exists());
        // The previous site, moved aside, is.
        fs::create_dir(&places.previous).unwrap();
        fs::write(places.previous.join(MARKER), "").unwrap();
        fs::write(places.previous.join("index.html"), "old").unwrap();
        claim_output(&out, &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(is_whole(&out));
        // With the output in place, nothing more is moved.
        fs::create_dir(&places.previous).unwrap();
        fs::write(places.previous.join(MARKER), "").unwrap();
        claim_output(&out, &[]).unwrap();
        assert!(places.previous.exists() && places.staging.exists());
        // A new site flushed but not moved in wins over the previous one.
        fs::remove_dir_all(&out).unwrap();
        fs::remove_file(places.staging.join(PARTIAL)).unwrap();
        fs::write(places.staging.join("index.html"), "new").unwrap();
        claim_output(&out, &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    }

    #[test]
    fn a_site_is_whole_with_its_marker_and_home_page() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert!(!is_whole(&out));
        site(&out, "index.html", "home");
        assert!(is_whole(&out));
        fs::remove_file(out.join("index.html")).unwrap();
        assert!(!is_whole(&out));
    }

    #[test]
    fn files_are_replaced_and_removed_in_place() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MARKER), "").unwrap();
        let site = InPlace { root: dir.path() };
        site.replace(Path::new("a/b/index.html"), b"one").unwrap();
        site.replace(Path::new("a/b/index.html"), b"two").unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a/b/index.html")).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path().join("a/b")).unwrap().count(), 1, "no temporary file is left");
        site.remove(Path::new("a/b/index.html")).unwrap();
        site.remove(Path::new("a")).unwrap();
        site.remove(Path::new("never-was")).unwrap();
        assert_eq!(names(dir.path()), [MARKER]);
    }

    #[test]
    fn a_site_gone_from_the_output_is_not_filled_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        let err = InPlace { root: &root }.replace(Path::new("a/index.html"), b"x").unwrap_err().to_string();
        assert!(err.contains("the site is gone"), "{err}");
        assert!(!root.exists());
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
            assert!(staging.commit().unwrap().remove().is_empty());
        };
        site("a/index.html", "one");
        site("b/index.html", "two");
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("css/site.css")).unwrap(), "body{}");
        assert!(!out.join(".hidden").exists());
        assert_eq!(names(&out), [MARKER, "b", "css"], "no staging flag is left in the site");
        assert_eq!(names(dir.path()), ["public", "static"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn two_folders_are_exchanged_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir_all(a.join("from-a")).unwrap();
        fs::create_dir_all(b.join("from-b")).unwrap();
        assert!(exchange(&a, &b).unwrap(), "this file system has renameat2(RENAME_EXCHANGE)");
        assert_eq!(names(&a), ["from-b"]);
        assert_eq!(names(&b), ["from-a"]);
    }

    #[cfg(feature = "fault-injection")]
    #[test]
    fn faults_are_named_by_step() {
        let spec = "swap=kill; remove .public.old = denied";
        assert_eq!(fault_action(spec, "swap"), Some("kill"));
        assert_eq!(fault_action(spec, "remove .public.old"), Some("denied"));
        assert_eq!(fault_action(spec, "remove .public.new"), None);
        assert_eq!(fault_action("", "swap"), None);
    }
}
