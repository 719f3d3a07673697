//! The credentials cache under tokio's virtual time: refresh inside the margin, one refresh for
//! many concurrent callers, stale-but-valid credentials kept when a refresh fails.

use smithy_runtime::credentials::{
    BoxFuture, CachedCredentialsProvider, Credentials, CredentialsError, ProvideCredentials,
    TimeSource, TokioTimeSource,
};
use smithy_runtime::DateTime;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A source that takes `delay` (on tokio's clock) per fetch, hands out generation 1, 2, ...
/// valid for `lifetime`, and fails from fetch number `fail_from` on.
#[derive(Debug)]
struct Source {
    time: TokioTimeSource,
    fetches: AtomicUsize,
    delay: Duration,
    lifetime: Option<Duration>,
    fail_from: usize,
}

impl Source {
    fn new(time: TokioTimeSource, lifetime: Option<Duration>) -> Arc<Source> {
        Arc::new(Source {
            time,
            fetches: AtomicUsize::new(0),
            delay: Duration::from_millis(500),
            lifetime,
            fail_from: usize::MAX,
        })
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Source {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if n >= self.fail_from {
                return Err(CredentialsError::ProviderError {
                    provider: "test source".into(),
                    message: "the source is down".into(),
                });
            }
            let expiry = self
                .lifetime
                .map(|d| DateTime::from_secs(self.time.now().secs() + d.as_secs() as i64));
            Ok(Credentials::new(format!("AKGEN{n}"), "s", None, expiry))
        })
    }
}

fn cache(time: TokioTimeSource, source: Arc<Source>) -> CachedCredentialsProvider {
    CachedCredentialsProvider::builder()
        .time_source(time)
        .build(source)
}

async fn key(cache: &CachedCredentialsProvider) -> String {
    cache
        .provide_credentials()
        .await
        .expect("credentials")
        .access_key_id()
        .to_owned()
}

#[tokio::test(start_paused = true)]
async fn credentials_are_refreshed_inside_the_jittered_margin() {
    let time = TokioTimeSource::new();
    let source = Source::new(time, Some(Duration::from_secs(15 * 60)));
    let cache = cache(time, Arc::clone(&source));
    assert_eq!(key(&cache).await, "AKGEN1");
    // 6 min 30 s before expiry: outside the margin (5 min + up to 1 min of jitter).
    tokio::time::advance(Duration::from_secs(8 * 60)).await;
    assert_eq!(key(&cache).await, "AKGEN1");
    assert_eq!(source.fetches(), 1);
    // 4 min 30 s before expiry: inside it.
    tokio::time::advance(Duration::from_secs(2 * 60)).await;
    assert_eq!(key(&cache).await, "AKGEN2");
    assert_eq!(source.fetches(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_callers_share_one_refresh() {
    let time = TokioTimeSource::new();
    let source = Source::new(time, Some(Duration::from_secs(15 * 60)));
    let cache = cache(time, Arc::clone(&source));
    assert_eq!(key(&cache).await, "AKGEN1");
    tokio::time::advance(Duration::from_secs(11 * 60)).await;
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { key(&cache).await })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap(), "AKGEN2");
    }
    assert_eq!(source.fetches(), 2, "one initial fetch and ONE refresh");
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_keeps_unexpired_credentials_until_they_expire() {
    let time = TokioTimeSource::new();
    let source = Arc::new(Source {
        fail_from: 2,
        ..Arc::try_unwrap(Source::new(time, Some(Duration::from_secs(15 * 60)))).unwrap()
    });
    let cache = cache(time, Arc::clone(&source));
    assert_eq!(key(&cache).await, "AKGEN1");
    // Inside the margin: the refresh fails, the old credentials are still good.
    tokio::time::advance(Duration::from_secs(12 * 60)).await;
    assert_eq!(key(&cache).await, "AKGEN1");
    assert_eq!(source.fetches(), 2);
    // Past the expiry: the failure is the answer.
    tokio::time::advance(Duration::from_secs(4 * 60)).await;
    let error = cache.provide_credentials().await.unwrap_err();
    assert!(error.to_string().contains("the source is down"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn credentials_without_expiry_are_reloaded_after_fifteen_minutes() {
    let time = TokioTimeSource::new();
    let source = Source::new(time, None);
    let cache = cache(time, Arc::clone(&source));
    assert_eq!(key(&cache).await, "AKGEN1");
    tokio::time::advance(Duration::from_secs(8 * 60)).await;
    assert_eq!(key(&cache).await, "AKGEN1");
    tokio::time::advance(Duration::from_secs(7 * 60)).await;
    assert_eq!(key(&cache).await, "AKGEN2");
}

#[tokio::test(start_paused = true)]
async fn short_lived_credentials_are_refreshed_at_half_life_not_on_every_call() {
    let time = TokioTimeSource::new();
    let source = Source::new(time, Some(Duration::from_secs(120)));
    let cache = cache(time, Arc::clone(&source));
    assert_eq!(key(&cache).await, "AKGEN1");
    assert_eq!(key(&cache).await, "AKGEN1");
    assert_eq!(source.fetches(), 1);
    tokio::time::advance(Duration::from_secs(61)).await;
    assert_eq!(key(&cache).await, "AKGEN2");
}
