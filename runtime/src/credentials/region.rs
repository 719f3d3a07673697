//! The AWS region: a newtype and where to find it.

use std::fmt;

use super::env::{Env, Fs};
use super::imds::{ImdsClient, ImdsRegionProvider};
use super::profile::{ProfileFileError, ProfileFiles};
use super::BoxFuture;

/// An AWS region name such as `us-east-1`. Not validated: new regions appear all the time, and
/// endpoint resolution rejects names it cannot use.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(String);

impl Region {
    /// Wraps a region name.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// The region name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Region {
    fn from(name: &str) -> Self {
        Self::new(name)
    }
}

impl From<String> for Region {
    fn from(name: String) -> Self {
        Self(name)
    }
}

/// Why no region could be determined.
#[derive(Debug)]
#[non_exhaustive]
pub enum RegionError {
    /// No source had a region; `tried` describes each source in order.
    NotFound {
        /// One entry per source that was looked at.
        tried: Vec<String>,
    },
    /// The shared config file could not be read or parsed.
    ProfileFile(ProfileFileError),
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { tried } => write!(
                f,
                "no AWS region found; tried: {}; set one explicitly, with AWS_REGION, or as `region` in the profile",
                tried.join("; ")
            ),
            Self::ProfileFile(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for RegionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::ProfileFile(error) => error.source(),
            Self::NotFound { .. } => None,
        }
    }
}

impl From<ProfileFileError> for RegionError {
    fn from(error: ProfileFileError) -> Self {
        Self::ProfileFile(error)
    }
}

/// An asynchronous source of a [`Region`]; object safe like
/// [`ProvideCredentials`](super::ProvideCredentials).
pub trait ProvideRegion: Send + Sync + fmt::Debug {
    /// Produces the region, or says where it looked.
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>>;
}

impl ProvideRegion for Region {
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>> {
        let region = self.clone();
        Box::pin(async move { Ok(region) })
    }
}

/// Region from `AWS_REGION`, else `AWS_DEFAULT_REGION`.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentRegionProvider {
    env: Env,
}

impl EnvironmentRegionProvider {
    /// Reads the real process environment.
    pub fn new() -> Self {
        Self::with_env(Env::real())
    }

    /// Reads `env` instead (for tests).
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The lookup itself: `Err` holds a description of what was tried.
    pub fn lookup(&self) -> Result<Region, String> {
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|name| self.env.get(name))
            .map(|name| Region::new(name.trim()))
            .ok_or_else(|| "AWS_REGION and AWS_DEFAULT_REGION (not set)".to_owned())
    }
}

impl ProvideRegion for EnvironmentRegionProvider {
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>> {
        let result = self
            .lookup()
            .map_err(|tried| RegionError::NotFound { tried: vec![tried] });
        Box::pin(async move { result })
    }
}

/// Region from the `region` property of the selected profile in the shared files.
#[derive(Clone, Debug, Default)]
pub struct ProfileRegionProvider {
    files: ProfileFiles,
}

impl ProfileRegionProvider {
    /// Uses the real environment and file system.
    pub fn new() -> Self {
        Self::with_env_and_fs(Env::real(), Fs::real())
    }

    /// Uses `env` and `fs` instead (for tests).
    pub fn with_env_and_fs(env: Env, fs: Fs) -> Self {
        Self {
            files: ProfileFiles::new(env, fs),
        }
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.files = self.files.with_profile_name(name);
        self
    }

    /// The lookup itself: `Ok(Err(..))` holds a description of what was tried.
    pub fn lookup(&self) -> Result<Result<Region, String>, ProfileFileError> {
        let loaded = self.files.load()?;
        let region = loaded
            .selected_profile()
            .and_then(|profile| profile.get("region"))
            .map(Region::new);
        Ok(region.ok_or_else(|| {
            format!(
                "`region` of profile `{}` (not set; looked in {})",
                loaded.selected,
                loaded.describe_sources()
            )
        }))
    }
}

impl ProvideRegion for ProfileRegionProvider {
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>> {
        let result = match self.lookup() {
            Ok(Ok(region)) => Ok(region),
            Ok(Err(tried)) => Err(RegionError::NotFound { tried: vec![tried] }),
            Err(error) => Err(error.into()),
        };
        Box::pin(async move { result })
    }
}

/// The default region chain: an explicit region, then `AWS_REGION`, then `AWS_DEFAULT_REGION`,
/// then the selected profile's `region`, then the EC2 instance metadata service.
///
/// [`resolve`](Self::resolve) looks at the local sources only (synchronously);
/// [`resolve_all`](Self::resolve_all) and [`ProvideRegion`] fall back to IMDS.
#[derive(Clone, Debug, Default)]
pub struct DefaultRegionChain {
    explicit: Option<Region>,
    environment: EnvironmentRegionProvider,
    profile: ProfileRegionProvider,
    env: Env,
    fs: Fs,
    imds_endpoint: Option<String>,
}

impl DefaultRegionChain {
    /// Uses the real environment and file system.
    pub fn new() -> Self {
        Self::with_env_and_fs(Env::real(), Fs::real())
    }

    /// Uses `env` and `fs` instead (for tests).
    pub fn with_env_and_fs(env: Env, fs: Fs) -> Self {
        Self {
            explicit: None,
            environment: EnvironmentRegionProvider::with_env(env.clone()),
            profile: ProfileRegionProvider::with_env_and_fs(env.clone(), fs.clone()),
            env,
            fs,
            imds_endpoint: None,
        }
    }

    /// Asks IMDS at `endpoint` (instead of the configured one) when nothing local has a region.
    pub fn with_imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.imds_endpoint = Some(endpoint.into());
        self
    }

    /// Resolves the region now, asking IMDS (`/latest/meta-data/placement/region`) when no
    /// local source has one.
    pub async fn resolve_all(&self) -> Result<Region, RegionError> {
        let tried = match self.resolve() {
            Err(RegionError::NotFound { tried }) => tried,
            other => return other,
        };
        let mut builder = ImdsClient::builder().env_and_fs(self.env.clone(), self.fs.clone());
        if let Some(endpoint) = &self.imds_endpoint {
            builder = builder.endpoint(endpoint);
        }
        match ImdsRegionProvider::from_client(builder.build())
            .lookup()
            .await
        {
            Ok(region) => Ok(region),
            Err(description) => {
                let mut tried = tried;
                tried.push(description);
                Err(RegionError::NotFound { tried })
            }
        }
    }

    /// Uses `region` before any other source (when `Some`).
    pub fn with_explicit(mut self, region: Option<Region>) -> Self {
        self.explicit = region;
        self
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = self.profile.with_profile_name(name);
        self
    }

    /// Resolves the region now.
    pub fn resolve(&self) -> Result<Region, RegionError> {
        let mut tried = Vec::new();
        match &self.explicit {
            Some(region) => return Ok(region.clone()),
            None => tried.push("explicit region (not set)".to_owned()),
        }
        match self.environment.lookup() {
            Ok(region) => return Ok(region),
            Err(description) => tried.push(description),
        }
        match self.profile.lookup()? {
            Ok(region) => Ok(region),
            Err(description) => {
                tried.push(description);
                Err(RegionError::NotFound { tried })
            }
        }
    }
}

impl ProvideRegion for DefaultRegionChain {
    fn region(&self) -> BoxFuture<'_, Result<Region, RegionError>> {
        Box::pin(self.resolve_all())
    }
}
