//! Typed errors for loading and generating. Every error names the file, the shape ID (when one is
//! involved) and the reason, so a user can find the problem in their model without a backtrace.

use std::fmt;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is not valid JSON, or not readable.
    Syntax(String),
    /// The JSON is valid but is not a well-formed Smithy JSON AST.
    Invalid(String),
    /// A reference points at a shape that exists in no loaded file nor the prelude.
    DanglingTarget {
        /// The missing shape ID.
        target: String,
    },
    /// A reference points at a shape of the wrong kind.
    WrongTargetKind {
        /// The referenced shape ID.
        target: String,
        /// What the reference needs.
        expected: String,
        /// What the target is.
        found: String,
    },
    /// Two shapes or members have names that differ only by case, or a shape is defined twice.
    Duplicate(String),
    /// The model is valid, but the generator cannot produce code for it.
    Unsupported(String),
}

/// A load or generation error, with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The model file involved (`<prelude>` or `<model>` when not tied to one file).
    pub file: String,
    /// The shape ID involved, if any.
    pub shape: Option<String>,
    /// The reason.
    pub kind: ErrorKind,
}

impl Error {
    /// An error about a whole file.
    pub fn file(file: &str, kind: ErrorKind) -> Error {
        Error {
            file: file.to_string(),
            shape: None,
            kind,
        }
    }

    /// An error about one shape in a file.
    pub fn shape(file: &str, shape: impl ToString, kind: ErrorKind) -> Error {
        Error {
            file: file.to_string(),
            shape: Some(shape.to_string()),
            kind,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Syntax(reason) => write!(f, "syntax error: {reason}"),
            ErrorKind::Invalid(reason) => f.write_str(reason),
            ErrorKind::DanglingTarget { target } => {
                write!(f, "refers to `{target}`, which is not defined")
            }
            ErrorKind::WrongTargetKind {
                target,
                expected,
                found,
            } => write!(
                f,
                "refers to `{target}`, a {found}, where a {expected} is required"
            ),
            ErrorKind::Duplicate(reason) => f.write_str(reason),
            ErrorKind::Unsupported(reason) => write!(f, "not supported: {reason}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Some(shape) => write!(f, "{}: {}: {}", self.file, shape, self.kind),
            None => write!(f, "{}: {}", self.file, self.kind),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
