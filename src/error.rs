//! Typed errors of the library. Each says where (file, line, column when known), what is
//! wrong and what to do; the CLI prints them as they are.

use std::fmt;
use std::path::{Path, PathBuf};

/// The library's result: its errors are [`Error`]s.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a command stopped, as the CLI prints it: where, what is wrong, what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {action}: {source}{}", path.display(), io_hint(source.kind()))]
    Io {
        /// The file or folder, as the user knows it.
        path: PathBuf,
        /// What was being done: "cannot read", "cannot write the model"…
        action: &'static str,
        /// What the system said.
        source: std::io::Error,
    },
    /// Input the user can fix: an article, a sidecar, the gazetteer, site.toml.
    #[error("{0}")]
    Input(Box<Problem>),
    /// A template failed to parse or render.
    #[error("template {name}: {message}\n  hint: {hint}")]
    Template {
        /// The template's file name, and its line when known (`entity.html:12`).
        name: String,
        /// What Tera said.
        message: String,
        /// What to do.
        hint: &'static str,
    },
    /// Pagefind could not make the search index.
    #[error("the search index: {message}\n  hint: turn search off with `[search] enabled = false` in site.toml")]
    Search {
        /// What Pagefind said.
        message: String,
    },
    /// `archive serve` could not listen or watch.
    #[error("{what}: {message}\n  hint: {hint}")]
    Serve {
        /// The address or folder at fault.
        what: String,
        /// What went wrong.
        message: String,
        /// What to do.
        hint: &'static str,
    },
}

/// What is wrong with one input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file or folder, as messages name it.
    pub path: PathBuf,
    /// 1-based, when the problem is at a place in the file.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it; may be empty.
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Something the build skipped or worked around, named so the user can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file or folder concerned.
    pub path: PathBuf,
    /// What was done and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Warning {
    pub(crate) fn new(path: &Path, message: impl Into<String>) -> Warning {
        Warning { path: path.to_path_buf(), message: message.into() }
    }
}

impl Error {
    pub(crate) fn io(path: &Path, action: &'static str, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), action, source }
    }

    pub(crate) fn serve(what: String, message: String, hint: &'static str) -> Error {
        Error::Serve { what, message, hint }
    }

    /// A problem with a whole file.
    pub(crate) fn input(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Input(Box::new(Problem {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            hint: hint.into(),
        }))
    }

    /// A problem at a byte offset of a file's text, reported as line and column.
    pub(crate) fn at(
        path: &Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        let (line, column) = line_column(text, offset);
        Error::Input(Box::new(Problem {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            hint: hint.into(),
        }))
    }

    /// A TOML parse or type error in `text` (which starts at byte `base` of the file).
    pub(crate) fn toml(path: &Path, file_text: &str, base: usize, err: &toml::de::Error, hint: &str) -> Error {
        let message = err.message().trim().to_string();
        match err.span() {
            Some(span) => Error::at(path, file_text, base + span.start, message, hint),
            None => Error::input(path, message, hint),
        }
    }
}

/// What to do about an I/O error of a kind the user can act on, as the line that follows it.
fn io_hint(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind;
    match kind {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "\n  hint: the disk is full: free some space; a build needs room for a second copy of the site"
        }
        ErrorKind::PermissionDenied => {
            "\n  hint: check the owner and permissions of the folder (ls -ld); what a build run with sudo wrote needs sudo to remove"
        }
        ErrorKind::ReadOnlyFilesystem => "\n  hint: the file system is read-only: choose another --output",
        ErrorKind::ResourceBusy => {
            "\n  hint: the folder is in use, perhaps a mount point: give --output a folder inside it"
        }
        ErrorKind::InvalidFilename => "\n  hint: a name is too long for this file system, or holds a character it refuses",
        _ => "",
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_chars_not_bytes() {
        let text = "سطر أول\nعنوان = خطأ";
        let at = text.find("خطأ").unwrap();
        assert_eq!(line_column(text, at), (2, 9));
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, text.len() + 10), (2, 12));
        // An offset inside a character still lands on its boundary.
        assert_eq!(line_column(text, 1), (1, 1));
    }

    #[test]
    fn io_errors_the_user_can_act_on_say_what_to_do() {
        let io = |kind| Error::io(Path::new("public/a.html"), "cannot write", std::io::Error::from(kind)).to_string();
        let full = io(std::io::ErrorKind::StorageFull);
        assert!(
            full.starts_with("public/a.html: cannot write: ") && full.contains("\n  hint: the disk is full"),
            "{full}"
        );
        assert!(io(std::io::ErrorKind::PermissionDenied).contains("\n  hint: check the owner and permissions"));
        assert!(!io(std::io::ErrorKind::UnexpectedEof).contains("hint"));
    }

    #[test]
    fn problems_print_file_line_column_and_hint() {
        let e = Error::at(Path::new("seeds/a.md"), "a\nb", 2, "bad date", "write YYYY-MM-DD");
        assert_eq!(e.to_string(), "seeds/a.md:2:1: bad date\n  hint: write YYYY-MM-DD");
    }
}
