//! A pure-Rust Smithy IDL 2.0 loader and writer.
//!
//! The loader reads Smithy IDL (2.0, and 1.0 files upgraded to 2.0 semantics)
//! and produces the Smithy JSON AST as a [`serde_json::Value`], so anything
//! that consumes JSON AST models can consume IDL without a JVM. The writer
//! prints a JSON AST model back as IDL 2.0.
//!
//! ```
//! let ast = smithy_idl::parse_file(
//!     "model.smithy",
//!     "$version: \"2\"\nnamespace example\nstring Name\n",
//! )
//! .unwrap();
//! assert_eq!(ast["shapes"]["example#Name"]["type"], "string");
//! ```
#![deny(missing_docs)]

pub mod compare;
pub mod conformance;
mod error;
mod ir;
mod lexer;
mod merger;
mod parser;
mod prelude;
mod resolver;
mod upgrade;
mod writer;

pub use error::IdlError;
pub use upgrade::upgrade_v1_document;
pub use writer::{write_idl, write_idl_files};

use serde_json::Value;

/// Parses one IDL file into a JSON AST document
/// (`{"smithy": "2.0", "metadata": {...}, "shapes": {...}}`).
///
/// Relative shape IDs can only see shapes of this file and the prelude; use
/// [`load_files`] to load models split over several files.
pub fn parse_file(path: &str, text: &str) -> Result<Value, IdlError> {
    load_files(&[(path.to_string(), text.to_string())])
}

/// Parses several `(path, text)` IDL files and merges them into one JSON AST
/// document.
///
/// Relative shape IDs are resolved after every file is read, so forward
/// references (within a file or across files) work. Metadata lists are
/// concatenated, identical metadata values and identical shape definitions
/// are accepted, and anything else that conflicts is an error.
pub fn load_files(files: &[(String, String)]) -> Result<Value, IdlError> {
    merger::load(files)
}
