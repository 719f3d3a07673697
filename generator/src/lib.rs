//! `smithy-gen`: a Rust-native Smithy 2.0 code generator.
//!
//! Pipeline: [`load`] JSON AST documents into a validated [`model::Model`], plan the service with
//! [`passes::plan`] (operation discovery, selection, synthetic inputs/outputs, closure, boxing),
//! and [`generate`] formatted Rust files. The library does no I/O: it takes text and returns
//! text. The CLI (`smithy-gen`), `cargo xtask regen` and the [`build`] helper are thin shells
//! that read and write files.
#![deny(missing_docs)]

pub mod build;
pub mod emit;
pub mod error;
pub mod model;
pub mod naming;
pub mod passes;

pub use emit::{CodecStyle, Layout};
pub use error::{Error, ErrorKind, Result};

use std::collections::BTreeMap;

/// What to generate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The service to generate (shape ID or name); needed only when the model has several.
    pub service: Option<String>,
    /// Operations to generate (names or shape IDs); `None` generates all of them.
    pub operations: Option<Vec<String>>,
    /// File layout.
    pub layout: Layout,
    /// When set, a `Cargo.toml` is emitted too.
    pub manifest: Option<Manifest>,
    /// Threads for emitting and formatting the files (`None`: one per core). The output is the
    /// same for any number.
    pub threads: Option<usize>,
    /// Body codec style. Hidden: `CodecStyle::Schema` is an experiment kept for
    /// `cargo xtask codec-compare` (see `docs/codec-design.md`).
    #[doc(hidden)]
    pub codec: CodecStyle,
}

/// The generated crate's `Cargo.toml` settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// Package name.
    pub package_name: String,
    /// The dependency line for the runtime, e.g. `{ path = "../runtime" }`.
    pub runtime_dependency: String,
    /// Extra lines for the `[package]` table (e.g. `publish = false`).
    pub extra_package_lines: Vec<String>,
}

/// Generated files, keyed by path relative to the output directory, in a stable order.
pub type Files = BTreeMap<String, String>;

/// Loads model sources `(file name, text)` into one validated model. Files ending in
/// `.smithy` are Smithy IDL (read together, so references across them resolve); every other
/// file is JSON AST. Both kinds may be mixed.
pub fn load(sources: &[(String, String)]) -> Result<model::Model> {
    let (idl, json): (Vec<_>, Vec<_>) = sources
        .iter()
        .cloned()
        .partition(|(file, _)| file.ends_with(".smithy"));
    let mut documents = json
        .iter()
        .map(|(file, text)| Ok((file.clone(), json_document(file, text)?)))
        .collect::<Result<Vec<_>>>()?;
    if !idl.is_empty() {
        let names: Vec<&str> = idl.iter().map(|(f, _)| f.as_str()).collect();
        let document = smithy_idl::load_files(&idl)
            .map_err(|e| Error::file(&e.file, ErrorKind::Syntax(e.to_string())))?;
        documents.push((names.join(", "), document));
    }
    model::loader::load_documents(&documents)
}

/// Parses a JSON AST file, upgrading Smithy 1.0 documents to 2.0 semantics.
fn json_document(file: &str, text: &str) -> Result<serde_json::Value> {
    let mut document = model::loader::parse_json(file, text)?;
    let version = document
        .get("smithy")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if version.starts_with('1') {
        smithy_idl::upgrade_v1_document(&mut document);
    }
    Ok(document)
}

/// Prints a model's JSON AST sources as Smithy IDL 2.0, one `(namespace, text)` per namespace.
pub fn to_idl(sources: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let mut merged = serde_json::json!({"smithy": "2.0", "shapes": {}});
    for (file, text) in sources {
        let document = if file.ends_with(".smithy") {
            smithy_idl::parse_file(file, text)
                .map_err(|e| Error::file(&e.file, ErrorKind::Syntax(e.to_string())))?
        } else {
            json_document(file, text)?
        };
        smithy_idl::compare::merge_into(&mut merged, &document);
    }
    smithy_idl::write_idl_files(&merged)
        .map_err(|e| Error::file("<model>", ErrorKind::Invalid(e.to_string())))
}

/// Generates the client for a loaded model.
pub fn generate(model: &model::Model, settings: &Settings) -> Result<Files> {
    let plan = passes::plan(
        model,
        settings.service.as_deref(),
        settings.operations.as_deref(),
    )?;
    let mut files =
        emit::emit_with_codec(&plan, settings.layout, settings.threads, settings.codec)?;
    if let Some(manifest) = &settings.manifest {
        files.insert("Cargo.toml".into(), cargo_toml(manifest));
    }
    Ok(files)
}

/// The Smithy protocol compliance tests (`smithy.test#httpRequestTests` and
/// `smithy.test#httpResponseTests`) of the planned service for `protocol` (e.g.
/// `aws.protocols#restJson1`), one `#[test]` per client-applicable case, as one file meant to be
/// `include!`d in a module directly below the generated client (single-file layout). Cases whose
/// ID is a key of `skipped` are marked `#[ignore = reason]`. Returns the code and the counts.
pub fn generate_protocol_tests(
    model: &model::Model,
    settings: &Settings,
    protocol: &str,
    skipped: &BTreeMap<String, String>,
) -> Result<(String, emit::protocol_tests::Counts)> {
    let plan = passes::plan(
        model,
        settings.service.as_deref(),
        settings.operations.as_deref(),
    )?;
    let (tokens, counts) = emit::protocol_tests::emit_protocol_tests(&plan, protocol, skipped)?;
    let code = emit::format_tokens(tokens, "protocol_tests.rs")?;
    Ok((
        format!("// Code generated by smithy-gen from a Smithy model. DO NOT EDIT.\n{code}"),
        counts,
    ))
}

/// Request cases for differential testing: `(operation name, params)` pairs, `params` in the
/// protocol tests' convention, each rendered as a function that builds the input with the
/// generated builders and serializes it, listed in `pub const CASES`. Like
/// [`generate_protocol_tests`], the file is meant to be `include!`d in a module directly below
/// the generated client (single-file layout).
pub fn generate_request_cases(
    model: &model::Model,
    settings: &Settings,
    cases: &[(String, serde_json::Value)],
) -> Result<String> {
    let plan = passes::plan(
        model,
        settings.service.as_deref(),
        settings.operations.as_deref(),
    )?;
    let tokens = emit::request_cases::emit_request_cases(&plan, cases)?;
    let code = emit::format_tokens(tokens, "request_cases.rs")?;
    Ok(format!(
        "// Code generated by smithy-gen from a Smithy model. DO NOT EDIT.\n{code}"
    ))
}

/// Response parsers for differential testing: for each operation of the plan (only those in
/// `settings.operations` when set), a function feeding a raw HTTP response into the
/// operation's response parser and writing the parsed output (or modelled error) as canonical
/// JSON, listed by operation name in `pub const PARSERS`. Like [`generate_request_cases`],
/// the file is meant to be `include!`d in a module directly below the generated client
/// (single-file layout).
pub fn generate_response_cases(model: &model::Model, settings: &Settings) -> Result<String> {
    let plan = passes::plan(
        model,
        settings.service.as_deref(),
        settings.operations.as_deref(),
    )?;
    let tokens = emit::response_cases::emit_response_cases(&plan, settings.operations.as_deref());
    let code = emit::format_tokens(tokens, "response_cases.rs")?;
    Ok(format!(
        "// Code generated by smithy-gen from a Smithy model. DO NOT EDIT.\n{code}"
    ))
}

fn cargo_toml(manifest: &Manifest) -> String {
    let extra: String = manifest
        .extra_package_lines
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "# Code generated by smithy-gen from a Smithy model. DO NOT EDIT.\n\
         [package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}\n\
         [dependencies]\nsmithy-runtime = {}\n",
        manifest.package_name, manifest.runtime_dependency
    )
}
