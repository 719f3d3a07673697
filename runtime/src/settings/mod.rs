//! Settings read from the environment and the shared config file by
//! [`ConfigBuilder::load_defaults_from`](crate::client::ConfigBuilder::load_defaults_from), one
//! module per setting; each reads only the [`Env`] and profile it is given.
//!
//! Precedence is the AWS SDKs' everywhere: a value set on the builder, then the environment,
//! then the selected profile.

pub(crate) mod endpoint_url;
pub(crate) mod retry;

use crate::credentials::profile::{LoadedProfiles, Profile, ProfileFiles};
use crate::credentials::{Env, Fs};
use crate::error::BuildError;

/// The shared config and credentials files with the selected profile, loaded once for every
/// setting.
pub(crate) struct SharedConfig {
    env: Env,
    profiles: LoadedProfiles,
}

impl SharedConfig {
    /// Loads the files `env` points at (`AWS_CONFIG_FILE`, `AWS_PROFILE`, `HOME`...) through `fs`;
    /// a file that exists but cannot be read or parsed is an error.
    pub(crate) fn load(env: &Env, fs: &Fs) -> Result<SharedConfig, BuildError> {
        let profiles = ProfileFiles::new(env.clone(), fs.clone())
            .load()
            .map_err(|e| BuildError::other(format!("cannot load the shared config files: {e}")))?;
        Ok(SharedConfig {
            env: env.clone(),
            profiles,
        })
    }

    /// The environment.
    pub(crate) fn env(&self) -> &Env {
        &self.env
    }

    /// The selected profile, if a file defines it.
    pub(crate) fn profile(&self) -> Option<&Profile> {
        self.profiles.selected_profile()
    }

    /// A property of the selected profile.
    pub(crate) fn profile_value(&self, key: &str) -> Option<&str> {
        self.profile().and_then(|p| p.get(key))
    }

    /// The `[services NAME]` section the selected profile names with `services = NAME`.
    pub(crate) fn services_section(&self) -> Option<&Profile> {
        let name = self.profile_value("services")?;
        self.profiles.profiles.section("services", name)
    }

    /// `true`/`false` (any case) from the environment variable `var`, else from the profile's
    /// `key`; anything else is an error naming where it came from.
    pub(crate) fn flag(&self, var: &str, key: &str) -> Result<Option<bool>, BuildError> {
        if let Some(value) = self.env.get(var) {
            return parse_bool(&value)
                .map(Some)
                .ok_or_else(|| invalid(var, &value, "`true` or `false`"));
        }
        match self.profile_value(key) {
            None => Ok(None),
            Some(value) => parse_bool(value)
                .map(Some)
                .ok_or_else(|| invalid(&self.profile_key(key), value, "`true` or `false`")),
        }
    }

    /// How a profile key is named in error messages: `max_attempts` (profile `dev`).
    pub(crate) fn profile_key(&self, key: &str) -> String {
        format!("`{key}` (profile `{}`)", self.profiles.selected)
    }
}

/// `true` or `false`, any case.
fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The error for a setting whose value is not one of those allowed.
pub(crate) fn invalid(name: &str, value: &str, expected: &str) -> BuildError {
    BuildError::other(format!("{name} must be {expected}, not `{value}`"))
}
