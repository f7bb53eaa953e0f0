//! Watching the archive's inputs: site.toml, the gazetteer, the content, templates and static
//! folders. Events are coalesced (an editor's save is several) and turned into one rebuild.
//!
//! The output folder is never watched inside: a build writes thousands of files there. Only
//! its removal is seen, from the folder that holds it, and builds it again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::BuildOptions;

/// A change is built once no other event has come for this long. An editor's save (write,
/// rename, attribute change) takes a few milliseconds; what is left of the 300 ms a reload
/// may take goes to the build.
const QUIET: Duration = Duration::from_millis(50);
/// …or once this long has passed since the first event, if events keep coming.
const LONGEST: Duration = Duration::from_millis(500);

/// The watcher's thread, running until the process ends.
pub struct Watcher {
    _thread: std::thread::JoinHandle<()>,
}

/// What the watcher reads: the file system's events, and pokes.
pub struct Events {
    sender: mpsc::Sender<notify::Result<notify::Event>>,
    receiver: mpsc::Receiver<notify::Result<notify::Event>>,
}

/// Asks the watcher for an update with no input changed: an output made in the background
/// is ready to be written.
#[derive(Clone)]
pub struct Poke(mpsc::Sender<notify::Result<notify::Event>>);

/// How a poke is told from the file system's events.
const POKED: &str = "archive: made in the background";

impl Events {
    pub fn new() -> Events {
        let (sender, receiver) = mpsc::channel();
        Events { sender, receiver }
    }

    pub fn poke(&self) -> Poke {
        Poke(self.sender.clone())
    }
}

impl Poke {
    pub fn poke(&self) {
        // A watcher that has stopped has no site to update.
        let _ = self.0.send(Ok(notify::Event::new(EventKind::Other).set_info(POKED)));
    }
}

fn is_poke(event: &notify::Result<notify::Event>) -> bool {
    event.as_ref().is_ok_and(|e| e.info() == Some(POKED))
}

impl Watcher {
    /// Watches the inputs of `options` and calls `rebuild` after each burst of changes, with
    /// the time of its first event and the input paths it changed, or after a poke, with
    /// no time and no path. Later changes to site.toml that move the folders move the
    /// watches too.
    pub fn start(
        options: &BuildOptions,
        events: Events,
        rebuild: impl FnMut(Option<Instant>, &BTreeSet<PathBuf>) + Send + 'static,
    ) -> Result<Watcher> {
        let root = options.root.canonicalize().or_else(|_| std::path::absolute(&options.root));
        let root = root.map_err(|e| Error::io(&options.root, "cannot find the archive's folder", e))?;
        let output = canonical_output(&options.output);
        let Events { sender, receiver } = events;
        let watcher = notify::recommended_watcher(sender).map_err(|e| {
            Error::serve(
                "the file watcher".into(),
                e.to_string(),
                "raise fs.inotify.max_user_instances, or use archive build",
            )
        })?;
        let mut state = State { root, output, watcher, watched: Vec::new(), inputs: Inputs::default() };
        state.refresh(&BTreeSet::new());
        let thread = std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || state.run(&receiver, rebuild))
            .map_err(|e| Error::serve("the file watcher".into(), e.to_string(), "try again"))?;
        Ok(Watcher { _thread: thread })
    }
}

/// The output folder as events name it: its parent canonical, so it compares with the paths
/// of events, which start from the canonical root.
fn canonical_output(output: &Path) -> PathBuf {
    let absolute = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    match (absolute.parent().and_then(|p| p.canonicalize().ok()), absolute.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => absolute,
    }
}

/// The files and folders a build reads, as absolute paths.
#[derive(Debug, Default, PartialEq, Eq)]
struct Inputs {
    /// site.toml and the gazetteer.
    files: Vec<PathBuf>,
    /// The content, templates and static folders.
    folders: Vec<PathBuf>,
}

impl Inputs {
    fn of(root: &Path, config: &Config) -> Inputs {
        Inputs {
            files: vec![root.join("site.toml"), root.join(&config.gazetteer)],
            folders: [&config.content_dir, &config.templates_dir, &config.static_dir]
                .into_iter()
                .map(|dir| root.join(dir))
                .collect(),
        }
    }

    /// What to watch: the root (site.toml, folders appearing), each folder with all below it,
    /// and the folder of each file.
    fn watches(&self, root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
        out.extend(self.folders.iter().map(|f| (f.clone(), RecursiveMode::Recursive)));
        for file in &self.files {
            if let Some(parent) = file.parent() {
                out.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        let mut seen = BTreeSet::new();
        out.retain(|(path, _)| seen.insert(path.clone()));
        out
    }

    /// Whether a change at `path` can change the site.
    fn wants(&self, path: &Path, output: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        // Editors' swap and backup files; the build ignores hidden files too.
        if name.starts_with('.') || name.ends_with('~') {
            return false;
        }
        if path.starts_with(output) {
            return false;
        }
        self.files.iter().any(|f| f == path) || self.folders.iter().any(|f| path.starts_with(f))
    }
}

/// Whether an event can be a change of content (opening and reading a file is not).
fn is_change(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)))
}

struct State {
    root: PathBuf,
    output: PathBuf,
    watcher: notify::RecommendedWatcher,
    /// What is being watched now.
    watched: Vec<(PathBuf, RecursiveMode)>,
    inputs: Inputs,
}

impl State {
    fn run(
        mut self,
        events: &mpsc::Receiver<notify::Result<notify::Event>>,
        mut rebuild: impl FnMut(Option<Instant>, &BTreeSet<PathBuf>),
    ) {
        loop {
            let Ok(first) = events.recv() else { return };
            if is_poke(&first) {
                rebuild(None, &BTreeSet::new());
                continue;
            }
            let first_seen = Instant::now();
            // Every path events named (for the watches), and those that are inputs.
            let (mut changed, mut inputs) = (BTreeSet::new(), BTreeSet::new());
            self.take(first, &mut changed, &mut inputs);
            if inputs.is_empty() {
                continue;
            }
            // Coalesce the burst.
            loop {
                let left = LONGEST.saturating_sub(first_seen.elapsed());
                if left.is_zero() {
                    break;
                }
                match events.recv_timeout(QUIET.min(left)) {
                    Ok(event) => self.take(event, &mut changed, &mut inputs),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            rebuild(Some(first_seen), &inputs);
            self.refresh(&changed);
        }
    }

    /// Notes the paths of one event in `changed`, and in `inputs` those that can change the site.
    fn take(
        &self,
        event: notify::Result<notify::Event>,
        changed: &mut BTreeSet<PathBuf>,
        inputs: &mut BTreeSet<PathBuf>,
    ) {
        let Ok(event) = event else { return };
        if !is_change(&event.kind) {
            return;
        }
        for path in event.paths {
            // The output itself: the site removed (or moved away) under the server. A build's
            // own swap leaves a whole site there.
            let gone = path == self.output && !crate::write::is_whole(&self.output);
            if gone || self.inputs.wants(&path, &self.output) {
                inputs.insert(path.clone());
            }
            changed.insert(path);
        }
    }

    /// Reads site.toml again and moves the watches to the folders it names. A watched folder
    /// that was removed or replaced (its path in `changed`) is watched anew; one that does
    /// not exist yet is tried again after the next change.
    fn refresh(&mut self, changed: &BTreeSet<PathBuf>) {
        if let Ok((config, _)) = Config::load(&self.root) {
            self.inputs = Inputs::of(&self.root, &config);
        } else if self.inputs == Inputs::default() {
            self.inputs = Inputs::of(&self.root, &Config::default());
        }
        let mut wanted = self.inputs.watches(&self.root);
        if let Some(parent) = self.output.parent().filter(|p| !wanted.iter().any(|(w, _)| w == p)) {
            wanted.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
        }
        let watcher = &mut self.watcher;
        self.watched.retain(|(path, mode)| {
            let keep = wanted.contains(&(path.clone(), *mode)) && !changed.contains(path);
            if !keep {
                let _ = watcher.unwatch(path);
            }
            keep
        });
        for (path, mode) in wanted {
            if !self.watched.iter().any(|(p, _)| p == &path) && path.exists() && watcher.watch(&path, mode).is_ok() {
                self.watched.push((path, mode));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_outside_the_output_count() {
        let root = Path::new("/a");
        let inputs = Inputs::of(root, &Config::default());
        let output = Path::new("/a/public");
        assert!(inputs.wants(Path::new("/a/site.toml"), output));
        assert!(inputs.wants(Path::new("/a/entities.toml"), output));
        assert!(inputs.wants(Path::new("/a/seeds/x/b.md"), output));
        assert!(inputs.wants(Path::new("/a/seeds"), output));
        assert!(inputs.wants(Path::new("/a/templates/base.html"), output));
        assert!(inputs.wants(Path::new("/a/static/css/site.css"), output));
        assert!(!inputs.wants(Path::new("/a/public/index.html"), output));
        assert!(!inputs.wants(Path::new("/a/.public.new"), output));
        assert!(!inputs.wants(Path::new("/a/README.md"), output));
        assert!(!inputs.wants(Path::new("/a/seeds/.b.md.swp"), output));
        assert!(!inputs.wants(Path::new("/a/seeds/b.md~"), output));
        // Output inside a watched folder is still left out.
        assert!(!inputs.wants(Path::new("/a/static/out/x.html"), Path::new("/a/static/out")));
    }

    #[test]
    fn watches_the_root_flat_and_the_folders_deep() {
        let inputs = Inputs::of(Path::new("/a"), &Config::default());
        let watches = inputs.watches(Path::new("/a"));
        assert_eq!(watches.len(), 4, "{watches:?}");
        assert_eq!(watches[0], (PathBuf::from("/a"), RecursiveMode::NonRecursive));
        assert!(watches.contains(&(PathBuf::from("/a/seeds"), RecursiveMode::Recursive)));
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(DataChange::Any))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(notify::event::RemoveKind::Any)));
    }
}
