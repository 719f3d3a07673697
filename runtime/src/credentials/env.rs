//! Indirection over the process environment and the file system, so providers can be tested
//! with in-memory fakes instead of mutating global state.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Source of environment variables: the real process environment or a fixed map.
#[derive(Clone, Default)]
pub struct Env {
    /// `None` means the real process environment.
    fake: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The real process environment.
    pub fn real() -> Self {
        Self { fake: None }
    }

    /// A fake environment holding exactly `vars`.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .collect();
        Self {
            fake: Some(Arc::new(map)),
        }
    }

    /// The value of `key`, or `None` when it is unset, empty or not Unicode.
    ///
    /// Empty values count as unset because `export AWS_PROFILE=` is a common way of "clearing" a
    /// variable, and an empty key or region is never meaningful.
    pub fn get(&self, key: &str) -> Option<String> {
        let value = match &self.fake {
            Some(map) => map.get(key).cloned(),
            None => std::env::var(key).ok(),
        };
        value.filter(|value| !value.trim().is_empty())
    }

    /// Whether this is a fake environment made by [`Env::from_vars`]. Providers that would
    /// reach a fixed link-local address (IMDS) stay off in fake environments unless these name
    /// an endpoint, so tests never send traffic off the machine by accident.
    pub fn is_fake(&self) -> bool {
        self.fake.is_some()
    }

    /// The user's home directory (`HOME`, or `USERPROFILE` on Windows-style environments).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    // Only variable names are shown: the values include secrets such as AWS_SECRET_ACCESS_KEY.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fake {
            None => f.write_str("Env::real"),
            Some(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                f.debug_tuple("Env::fake").field(&keys).finish()
            }
        }
    }
}

/// Source of file contents: the real file system or a fixed map of path to contents.
#[derive(Clone, Default)]
pub struct Fs {
    /// `None` means the real file system.
    /// Shared and writable, so a provider that updates a cache file (SSO) works on a fake too.
    fake: Option<Arc<RwLock<HashMap<PathBuf, String>>>>,
}

impl Fs {
    /// The real file system.
    pub fn real() -> Self {
        Self { fake: None }
    }

    /// A fake file system holding exactly `files` (path, contents).
    pub fn from_files<I, P, C>(files: I) -> Self
    where
        I: IntoIterator<Item = (P, C)>,
        P: Into<PathBuf>,
        C: Into<String>,
    {
        let map = files
            .into_iter()
            .map(|(path, contents)| (path.into(), contents.into()))
            .collect();
        Self {
            fake: Some(Arc::new(RwLock::new(map))),
        }
    }

    /// Reads a whole file as UTF-8; `Ok(None)` when it does not exist.
    pub fn read_optional(&self, path: &Path) -> io::Result<Option<String>> {
        match &self.fake {
            Some(map) => Ok(read_lock(map).get(path).cloned()),
            None => match std::fs::read_to_string(path) {
                Ok(contents) => Ok(Some(contents)),
                Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error),
            },
        }
    }

    /// Replaces a file's contents, creating its directory if needed.
    pub fn write(&self, path: &Path, contents: &str) -> io::Result<()> {
        match &self.fake {
            Some(map) => {
                map.write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_owned(), contents.to_owned());
                Ok(())
            }
            None => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(path, contents)
            }
        }
    }
}

fn read_lock(
    map: &RwLock<HashMap<PathBuf, String>>,
) -> std::sync::RwLockReadGuard<'_, HashMap<PathBuf, String>> {
    // A poisoned lock only means a panic elsewhere mid-insert; the map itself is intact.
    map.read().unwrap_or_else(|e| e.into_inner())
}

impl fmt::Debug for Fs {
    // Only paths are shown: the contents are credentials files.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fake {
            None => f.write_str("Fs::real"),
            Some(map) => {
                let map = read_lock(map);
                let mut paths: Vec<&PathBuf> = map.keys().collect();
                paths.sort();
                f.debug_tuple("Fs::fake").field(&paths).finish()
            }
        }
    }
}
