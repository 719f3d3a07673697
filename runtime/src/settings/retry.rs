//! Retry settings: `AWS_MAX_ATTEMPTS` / `max_attempts` (total attempts, at least 1) and
//! `AWS_RETRY_MODE` / `retry_mode` (`standard`, `adaptive`; `legacy` is taken as `standard`).
//! Each is looked up on its own: the environment first, then the profile.

use super::{invalid, SharedConfig};
use crate::error::BuildError;
use crate::retry::{RetryConfig, RetryMode};

/// The retry configuration the environment and profile ask for, or `None` when they set
/// neither setting (the default then applies).
pub(crate) fn load(shared: &SharedConfig) -> Result<Option<RetryConfig>, BuildError> {
    let attempts = max_attempts(shared)?;
    let mode = retry_mode(shared)?;
    if attempts.is_none() && mode.is_none() {
        return Ok(None);
    }
    let mut config = match mode.unwrap_or(RetryMode::Standard) {
        RetryMode::Standard => RetryConfig::standard(),
        RetryMode::Adaptive => RetryConfig::adaptive(),
    };
    if let Some(attempts) = attempts {
        config = config.with_max_attempts(attempts);
    }
    Ok(Some(config))
}

/// `AWS_MAX_ATTEMPTS`, else the profile's `max_attempts`.
fn max_attempts(shared: &SharedConfig) -> Result<Option<u32>, BuildError> {
    let (name, value) = match shared.env().get("AWS_MAX_ATTEMPTS") {
        Some(value) => ("AWS_MAX_ATTEMPTS".to_owned(), value),
        None => match shared.profile_value("max_attempts") {
            Some(value) => (shared.profile_key("max_attempts"), value.to_owned()),
            None => return Ok(None),
        },
    };
    match value.trim().parse::<u32>() {
        Ok(attempts) if attempts >= 1 => Ok(Some(attempts)),
        _ => Err(invalid(
            &name,
            &value,
            "a whole number of attempts, at least 1",
        )),
    }
}

/// `AWS_RETRY_MODE`, else the profile's `retry_mode`.
fn retry_mode(shared: &SharedConfig) -> Result<Option<RetryMode>, BuildError> {
    let (name, value) = match shared.env().get("AWS_RETRY_MODE") {
        Some(value) => ("AWS_RETRY_MODE".to_owned(), value),
        None => match shared.profile_value("retry_mode") {
            Some(value) => (shared.profile_key("retry_mode"), value.to_owned()),
            None => return Ok(None),
        },
    };
    RetryMode::parse(&value)
        .map(Some)
        .ok_or_else(|| invalid(&name, &value, "`standard`, `adaptive` or `legacy`"))
}
