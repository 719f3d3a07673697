//! Caching credentials until shortly before they expire.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Mutex as AsyncMutex;

use super::time::{self, SharedTimeSource, SystemTimeSource, TimeSource};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::DateTime;

/// How long before expiry credentials are refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The most the refresh margin is randomly extended by.
pub const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(60);

/// How long credentials without an expiry (static keys, environment) are kept before being
/// loaded again, so edits to a profile file are seen by a long-running program.
pub const DEFAULT_EXPIRATION: Duration = Duration::from_secs(15 * 60);

/// Caches the credentials of another provider.
///
/// Caching credentials until shortly before they expire.
///
/// Every provider that calls a service (IMDS, containers, STS, SSO, `credential_process`)
/// returns temporary credentials; asking for new ones on every request would be slow and get
/// throttled. [`CachedCredentialsProvider`] keeps the last credentials and refreshes them
/// [`DEFAULT_REFRESH_MARGIN`] (plus up to [`DEFAULT_REFRESH_JITTER`], so a fleet does not
/// refresh in lockstep) before they expire.
///
/// Refreshes are single-flight: callers that find the credentials stale queue on one
/// asynchronous mutex, the first one refreshes, and the others find fresh credentials when
/// their turn comes. A refresh that fails while the cached credentials are still valid (inside
/// the margin but before the expiry) is logged and the cached ones are used, so a short outage
/// of the credential source does not fail requests.
#[derive(Clone)]
pub struct CachedCredentialsProvider {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Arc<dyn ProvideCredentials>,
    time: SharedTimeSource,
    refresh_margin: Duration,
    jitter: Duration,
    default_expiration: Duration,
    /// The cached credentials and when to refresh them; a std mutex, held only to copy.
    cached: Mutex<Option<Entry>>,
    /// Held while refreshing: the single flight.
    refresh: AsyncMutex<()>,
}

#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    /// When the credentials stop being usable at all.
    expires: DateTime,
    /// When to start refreshing them.
    refresh_at: DateTime,
}

impl CachedCredentialsProvider {
    /// Caches `provider` with the default settings.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::builder().build(provider)
    }

    /// A builder for the settings (time source, margin, jitter, default expiration).
    pub fn builder() -> CachedCredentialsProviderBuilder {
        CachedCredentialsProviderBuilder::default()
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let inner = &self.inner;
        if let Some(credentials) = inner.fresh(inner.time.now()) {
            return Ok(credentials);
        }
        let _flight = inner.refresh.lock().await;
        // Another caller may have refreshed while this one waited for the lock.
        let now = inner.time.now();
        if let Some(credentials) = inner.fresh(now) {
            return Ok(credentials);
        }
        match inner.provider.provide_credentials().await {
            Ok(credentials) => {
                let entry = inner.entry(credentials, inner.time.now());
                let credentials = entry.credentials.clone();
                *inner.lock() = Some(entry);
                Ok(credentials)
            }
            Err(error) => match inner.still_valid(now) {
                Some(credentials) => {
                    tracing::warn!(
                        "refreshing credentials failed; using the cached ones until they expire: {error}"
                    );
                    Ok(credentials)
                }
                None => Err(error),
            },
        }
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Entry>> {
        // A poisoned lock only means a panic elsewhere while copying; the data is intact.
        self.cached.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached credentials when it is not yet time to refresh them.
    fn fresh(&self, now: DateTime) -> Option<Credentials> {
        let cached = self.lock();
        let entry = cached.as_ref()?;
        (now < entry.refresh_at).then(|| entry.credentials.clone())
    }

    /// The cached credentials when they have not expired, refresh time or not.
    fn still_valid(&self, now: DateTime) -> Option<Credentials> {
        let cached = self.lock();
        let entry = cached.as_ref()?;
        (now < entry.expires).then(|| entry.credentials.clone())
    }

    fn entry(&self, credentials: Credentials, now: DateTime) -> Entry {
        let expires = credentials
            .expiry()
            .unwrap_or_else(|| time::add(now, self.default_expiration));
        let jitter = jitter(self.jitter);
        let refresh_at = time::sub(expires, self.refresh_margin + jitter);
        // Credentials that last less than the margin are refreshed at half their life rather
        // than on every call.
        let refresh_at = if refresh_at <= now {
            time::add(now, time::until(now, expires) / 2)
        } else {
            refresh_at
        };
        Entry {
            credentials,
            expires,
            refresh_at,
        }
    }
}

/// A random duration in `[0, max)`.
fn jitter(max: Duration) -> Duration {
    let millis = max.as_millis() as u64;
    if millis == 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(crate::random::random_u64() % millis)
}

impl fmt::Debug for CachedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedCredentialsProvider")
            .field("provider", &self.inner.provider)
            .field("refresh_margin", &self.inner.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CachedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}

/// Settings of a [`CachedCredentialsProvider`].
#[derive(Debug)]
pub struct CachedCredentialsProviderBuilder {
    time: SharedTimeSource,
    refresh_margin: Duration,
    jitter: Duration,
    default_expiration: Duration,
}

impl Default for CachedCredentialsProviderBuilder {
    fn default() -> Self {
        Self {
            time: Arc::new(SystemTimeSource),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            jitter: DEFAULT_REFRESH_JITTER,
            default_expiration: DEFAULT_EXPIRATION,
        }
    }
}

impl CachedCredentialsProviderBuilder {
    /// Reads the time from `time` (e.g. [`TokioTimeSource`](super::TokioTimeSource) in tests).
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Arc::new(time);
        self
    }

    /// Refreshes this long before expiry (default 5 minutes).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Extends the margin by a random duration below `jitter` (default 1 minute).
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// How long credentials without an expiry are kept (default 15 minutes).
    pub fn default_expiration(mut self, expiration: Duration) -> Self {
        self.default_expiration = expiration;
        self
    }

    /// The cache in front of `provider`.
    pub fn build(self, provider: impl ProvideCredentials + 'static) -> CachedCredentialsProvider {
        CachedCredentialsProvider {
            inner: Arc::new(Inner {
                provider: Arc::new(provider),
                time: self.time,
                refresh_margin: self.refresh_margin,
                jitter: self.jitter,
                default_expiration: self.default_expiration,
                cached: Mutex::new(None),
                refresh: AsyncMutex::new(()),
            }),
        }
    }
}
