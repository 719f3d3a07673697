//! Where the reference data is, for every test, build script and command that reads it.
//!
//! The reference data (real AWS models, the official Smithy protocol tests, the SigV4 suite,
//! partition data, Smithy's IDL fixtures, the AWS SDK naming table) is not part of this
//! repository. One rule finds it: the directory named by `SMITHY_REFERENCE_DATA`, else
//! `../shared` beside the workspace root. When it is absent, a suite that needs it runs nothing
//! of that part and says so in one line on stderr, naming what it did not run and how to
//! provide the data; it neither fails nor passes silently. The README ("Reference data") says
//! where each data set comes from upstream.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Once;

/// The environment variable that points at the reference data directory.
pub const ENV_VAR: &str = "SMITHY_REFERENCE_DATA";

/// The workspace root (this crate sits directly below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the reference-data crate sits below the workspace root")
        .to_path_buf()
}

/// The reference data directory the rule names, whether or not it exists: `$SMITHY_REFERENCE_DATA`
/// when set and non-empty, else `../shared` beside the workspace root.
pub fn configured_root() -> PathBuf {
    match std::env::var_os(ENV_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join("../shared"),
    }
}

/// The reference data directory, if it exists.
pub fn root() -> Option<PathBuf> {
    let root = configured_root();
    root.is_dir().then_some(root)
}

/// `relative` inside the reference data, if that file or directory exists.
pub fn path(relative: &str) -> Option<PathBuf> {
    let path = root()?.join(relative);
    path.exists().then_some(path)
}

/// `relative` inside the reference data; when it is missing, prints the skip line for `suite`
/// (once per process, so once per test binary) and returns `None`. `what` names what is not run.
pub fn require(suite: &str, what: &str, relative: &str) -> Option<PathBuf> {
    let found = path(relative);
    if found.is_none() {
        announce_skip(suite, what, relative);
    }
    found
}

/// The one line a suite prints when reference data it needs is missing.
pub fn skip_line(suite: &str, what: &str, relative: &str) -> String {
    format!(
        "skipped in {suite}: {what} (needs `{relative}` of the reference data, not found at {}; \
         set {ENV_VAR}, see README \"Reference data\")",
        configured_root().display()
    )
}

/// Prints [`skip_line`] once per process. Written straight to the stderr handle, which the
/// test harness does not capture (it captures only the `print!` family), so the line shows in
/// a plain `cargo test` run.
pub fn announce_skip(suite: &str, what: &str, relative: &str) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let line = skip_line(suite, what, relative);
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_gives_none_and_a_skip_line_naming_the_variable() {
        assert_eq!(path("no/such/file/in/any/reference/data"), None);
        let line = skip_line("suite", "the things", "no/such");
        assert!(line.starts_with("skipped in suite: the things"), "{line}");
        assert!(line.contains(ENV_VAR), "{line}");
    }

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }
}
