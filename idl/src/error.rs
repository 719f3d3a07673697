//! The single error type reported by every stage of the loader and writer.

use std::fmt;

/// An error found while reading, resolving, merging or writing a Smithy model.
///
/// It always names the file it came from. Syntax errors also carry the 1-based
/// line and column of the offending token; errors found after parsing (for
/// example conflicting shape definitions) point at the shape's definition when
/// it is known, and use line 0 when no position applies (e.g. a JSON AST input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct IdlError {
    /// The file name given to the loader (or `<ast>` for JSON AST input).
    pub file: String,
    /// 1-based line number, or 0 when the error has no position.
    pub line: usize,
    /// 1-based column number (in characters), or 0 when the error has no position.
    pub column: usize,
    /// What went wrong, e.g. `expected ':' after member name, found '{'`.
    pub message: String,
}

impl IdlError {
    /// Creates an error at a position in a file.
    pub fn new(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        IdlError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Creates an error that has no meaningful position.
    pub fn without_position(file: &str, message: impl Into<String>) -> Self {
        Self::new(file, 0, 0, message)
    }

    fn render(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.file, self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// A position in a source file, used to attach errors to the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column counted in characters.
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

impl Pos {
    /// Builds an [`IdlError`] located at this position.
    pub fn error(self, file: &str, message: impl Into<String>) -> IdlError {
        IdlError::new(file, self.line as usize, self.col as usize, message)
    }
}
