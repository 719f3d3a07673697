//! The I/O shell for `build.rs` scripts, the CLI and `cargo xtask`: read model files, generate,
//! write the output (only files whose contents changed).
//!
//! ```no_run
//! // In build.rs:
//! smithy_gen::build::Builder::new()
//!     .model("model/mediapackagev2.json")
//!     .operation("GetHarvestJob")
//!     .generate_into_out_dir("mediapackagev2.rs")
//!     .unwrap();
//! ```

use crate::{Error, ErrorKind, Files, Layout, Result, Settings};
use std::path::{Path, PathBuf};

/// Reads every model file under the given paths: files as given, directories recursively
/// (`.json` and `.smithy` files), sorted so the result never depends on directory order.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).map_err(|e| io_error(&file, e))?;
            Ok((file.display().to_string(), text))
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| io_error(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(path, e))?.path();
        if entry.is_dir()
            || entry
                .extension()
                .is_some_and(|e| e == "json" || e == "smithy")
        {
            collect(&entry, out)?;
        }
    }
    Ok(())
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::file(
        &path.display().to_string(),
        ErrorKind::Syntax(format!("cannot read: {error}")),
    )
}

/// Writes generated files under `dir`, touching only files whose contents differ. Returns the
/// paths written.
pub fn write_files(dir: &Path, files: &Files) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (relative, contents) in files {
        let path = dir.join(relative);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        std::fs::write(&path, contents).map_err(|e| io_error(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Files under `dir` that differ from `files` (changed, missing, or extra `.rs` files).
pub fn stale_files(dir: &Path, files: &Files) -> Vec<PathBuf> {
    let mut stale: Vec<PathBuf> = files
        .iter()
        .filter(|(relative, contents)| {
            std::fs::read_to_string(dir.join(relative)).ok().as_deref() != Some(contents.as_str())
        })
        .map(|(relative, _)| dir.join(relative))
        .collect();
    let mut existing = Vec::new();
    let _ = collect_rs(&dir.join("src"), &mut existing);
    for path in existing {
        let relative = path
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        if relative.is_ok_and(|r| !files.contains_key(&r)) {
            stale.push(path);
        }
    }
    stale
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// A `build.rs` helper: names model files and operations, generates one file into `OUT_DIR`
/// and prints `cargo:rerun-if-changed` for every model file it read.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    models: Vec<PathBuf>,
    settings: Settings,
}

impl Builder {
    /// A builder generating every operation of the model's only service.
    pub fn new() -> Builder {
        Builder {
            models: Vec::new(),
            settings: Settings {
                layout: Layout::SingleFile,
                ..Settings::default()
            },
        }
    }

    /// Adds a model file or directory.
    pub fn model(mut self, path: impl Into<PathBuf>) -> Builder {
        self.models.push(path.into());
        self
    }

    /// Generates only this operation (call repeatedly for several).
    pub fn operation(mut self, name: impl Into<String>) -> Builder {
        self.settings
            .operations
            .get_or_insert_with(Vec::new)
            .push(name.into());
        self
    }

    /// Chooses the service when the model has several.
    pub fn service(mut self, id: impl Into<String>) -> Builder {
        self.settings.service = Some(id.into());
        self
    }

    /// Generates into `$OUT_DIR/<file_name>` (for `include!`). Returns the written path.
    pub fn generate_into_out_dir(self, file_name: &str) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::file(
                file_name,
                ErrorKind::Invalid("OUT_DIR is not set; call this from build.rs".into()),
            )
        })?;
        self.generate_into(Path::new(&out_dir), file_name)
    }

    /// Generates the model's protocol compliance tests for `protocol` (e.g.
    /// `aws.protocols#restJson1`) into `$OUT_DIR/<file_name>`, to be `include!`d in a module
    /// directly below the client (see [`crate::generate_protocol_tests`]). Cases in `skipped`
    /// (ID to reason) are `#[ignore]`d.
    pub fn generate_protocol_tests_into_out_dir(
        self,
        file_name: &str,
        protocol: &str,
        skipped: &std::collections::BTreeMap<String, String>,
    ) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::file(
                file_name,
                ErrorKind::Invalid("OUT_DIR is not set; call this from build.rs".into()),
            )
        })?;
        let sources = read_sources(&self.models)?;
        for (file, _) in &sources {
            println!("cargo:rerun-if-changed={file}");
        }
        let model = crate::load(&sources)?;
        let (code, _) = crate::generate_protocol_tests(&model, &self.settings, protocol, skipped)?;
        let path = Path::new(&out_dir).join(file_name);
        std::fs::write(&path, code).map_err(|e| io_error(&path, e))?;
        Ok(path)
    }

    /// Generates into `dir/<file_name>`.
    pub fn generate_into(self, dir: &Path, file_name: &str) -> Result<PathBuf> {
        let sources = read_sources(&self.models)?;
        for (file, _) in &sources {
            println!("cargo:rerun-if-changed={file}");
        }
        for model in &self.models {
            println!("cargo:rerun-if-changed={}", model.display());
        }
        let model = crate::load(&sources)?;
        let files = crate::generate(&model, &self.settings)?;
        let code = files.into_values().next().ok_or_else(|| {
            Error::file(
                file_name,
                ErrorKind::Invalid("nothing was generated".into()),
            )
        })?;
        let path = dir.join(file_name);
        std::fs::write(&path, code).map_err(|e| io_error(&path, e))?;
        Ok(path)
    }
}
