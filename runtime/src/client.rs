//! Client configuration and the request pipeline every generated operation goes through.
//!
//! Generated code serializes the input to [`RequestParts`], parses the response, and passes
//! constant facts about its service ([`Service`]) and operation ([`Operation`]); everything in
//! between lives here once:
//!
//! 1. the endpoint is resolved from the service's endpoint rules (or the configured URL);
//! 2. credentials are loaded and the signing name and region chosen (the endpoint's
//!    `authSchemes` may override them);
//! 3. each attempt gets fresh `amz-sdk-request` and SigV4 headers and is sent, under the
//!    attempt timeout, and its response body is read whole (except a success of an operation
//!    with a `@streaming` output payload: [`invoke_streaming_operation`]);
//! 4. retryable failures are retried with jittered exponential backoff while the retry quota
//!    allows ([`crate::retry`]) and the request body can be sent again
//!    ([`ByteStream::is_replayable`]);
//! 5. the final response goes to the operation's parser, with the attempt count attached.
//!
//! The whole call runs under the operation timeout and a `tracing` span per operation and per
//! attempt (names, attempt numbers and statuses only; never credentials or signatures).

use crate::checksum::{
    find_mismatch, response_checksum, ChecksumAlgorithm, RequestChecksumCalculation,
    ResponseChecksumValidation, ValidatingBody,
};
use crate::credentials::{
    default_credentials_chain_with, Credentials, DefaultRegionChain, Env, Fs, ProvideCredentials,
    Region, RegionError,
};
use crate::endpoint::{
    EmbeddedRuleSet, Endpoint, Params, Resolver, RuleSet, Value as EndpointValue,
};
use crate::error::{AttemptCount, BuildError, DispatchError, SdkError, TimeoutError};
use crate::http::{HttpClient, HttpRequest, HttpResponse, HyperClient, ProxyConfig, RequestParts};
use crate::retry::{
    classify_response, RandomSource, RateLimiter, RetryConfig, RetryKind, RetryQuota,
};
use crate::settings::endpoint_url::ConfiguredEndpoints;
use crate::settings::SharedConfig;
use crate::sigv4::{sign_request_with_body, SignableBody, SigningParams, SigningSettings};
use crate::sleep::{SharedSleep, Sleep, TokioSleep};
use crate::timeout::{timeout, Elapsed, TimeoutConfig};
use crate::ByteStream;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// Constant facts about a generated service that the pipeline needs.
///
/// Generated code emits one per service:
///
/// ```
/// use smithy_runtime::client::Service;
/// use smithy_runtime::endpoint::EmbeddedRuleSet;
///
/// static RULES: EmbeddedRuleSet = EmbeddedRuleSet::new(r#"{"version":"1.0","parameters":{},"rules":[]}"#);
/// pub(crate) static SERVICE: Service = Service {
///     sdk_id: "MediaPackageV2",
///     api_version: "2022-12-25",
///     signing_name: Some("mediapackagev2"),
///     endpoint_rules: Some(&RULES),
/// };
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Service {
    /// The service's SDK id as the model writes it (`MediaPackageV2`, `API Gateway`): the
    /// names of its settings come from it (`AWS_ENDPOINT_URL_API_GATEWAY`, `api_gateway` in a
    /// `[services]` section of the config file).
    pub sdk_id: &'static str,
    /// The service's API version.
    pub api_version: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), if the service uses SigV4.
    pub signing_name: Option<&'static str>,
    /// The service's `smithy.rules#endpointRuleSet`; without one, every request goes to the
    /// configured endpoint URL.
    pub endpoint_rules: Option<&'static EmbeddedRuleSet>,
}

impl Service {
    /// The `User-Agent` this runtime sends for the service.
    pub fn user_agent(&self) -> String {
        format!(
            "smithy-gen-rust/{} api/{}/{}",
            env!("CARGO_PKG_VERSION"),
            // `api/apigateway`: the id without its spaces.
            self.sdk_id.replace(' ', "").to_ascii_lowercase(),
            self.api_version
        )
    }
}

/// Constant facts about one operation that the pipeline needs.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The operation's name (e.g. `GetHarvestJob`), for logs and errors.
    pub name: &'static str,
    /// The operation's modelled `@retryable` errors: `(error shape name, throttling)`.
    pub retryable_errors: &'static [(&'static str, bool)],
}

/// Client configuration shared by every operation of a generated client.
///
/// Cheap to clone; clones share the transport and the retry quota.
#[derive(Clone)]
pub struct Config {
    region: Option<Region>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    configured_endpoints: Option<ConfiguredEndpoints>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint_params: BTreeMap<String, EndpointValue>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    http_client: Arc<dyn HttpClient>,
    sleep: SharedSleep,
    random: RandomSource,
    quota: Option<RetryQuota>,
    rate_limiter: Option<RateLimiter>,
    request_checksum_calculation: RequestChecksumCalculation,
    response_checksum_validation: ResponseChecksumValidation,
    disable_host_prefix: bool,
    /// S3 Express sessions, shared by clones (see [`crate::s3_express`]).
    express_sessions: crate::s3_express::SessionCache,
}

impl fmt::Debug for Config {
    // Credentials providers print redacted secrets; nothing else here is secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("configured_endpoints", &self.configured_endpoints)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint_params", &self.endpoint_params)
            .field("retry", &self.retry)
            .field("rate_limiter", &self.rate_limiter)
            .field("timeouts", &self.timeouts)
            .field("http_client", &self.http_client)
            .field("sleep", &self.sleep)
            .field(
                "request_checksum_calculation",
                &self.request_checksum_calculation,
            )
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .field("disable_host_prefix", &self.disable_host_prefix)
            .finish()
    }
}

impl Config {
    /// A builder with defaults: no region, no credentials, standard retries, default timeouts,
    /// the hyper + rustls transport.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration from the environment: region from the default region chain (explicit,
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, profile) and credentials from the default chain
    /// (environment, then profile files; looked up when a request is signed).
    pub async fn load_defaults() -> Result<Config, BuildError> {
        Config::builder().load_defaults().await?.build()
    }

    /// Whether requests go without the operations' `@endpoint` host prefixes (see
    /// [`ConfigBuilder::disable_host_prefix`]).
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// The region, if configured.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The credentials provider, if configured.
    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.credentials.as_ref()
    }

    /// The endpoint URL set on the builder, if any (see [`endpoint_url_for`](Self::endpoint_url_for)
    /// for the one a service uses).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The endpoint URL `service`'s requests go to instead of its endpoint rules' answer: the
    /// builder's, else one configured in the environment or the profile for this service
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section,
    /// its `endpoint_url`, in that order), loaded by
    /// [`ConfigBuilder::load_defaults_from`].
    pub fn endpoint_url_for(&self, service: &Service) -> Option<String> {
        self.endpoint_url.clone().or_else(|| {
            self.configured_endpoints
                .as_ref()
                .and_then(|endpoints| endpoints.for_service(service.sdk_id))
        })
    }

    /// Whether FIPS endpoints are requested.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are requested.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The service's own endpoint parameters set on the builder (`clientContextParams`: S3's
    /// `ForcePathStyle`, `Accelerate`, ...).
    pub fn endpoint_params(&self) -> &BTreeMap<String, EndpointValue> {
        &self.endpoint_params
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeout settings.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The transport.
    pub fn http_client(&self) -> &Arc<dyn HttpClient> {
        &self.http_client
    }

    /// What the pipeline and waiters sleep with.
    pub fn sleep_impl(&self) -> &SharedSleep {
        &self.sleep
    }

    /// The randomness behind backoff jitter.
    pub fn random_source(&self) -> &RandomSource {
        &self.random
    }

    /// When requests carry flexible checksums (default `WhenSupported`).
    pub fn request_checksum_calculation(&self) -> RequestChecksumCalculation {
        self.request_checksum_calculation
    }

    /// When response checksums are validated (default `WhenSupported`).
    pub fn response_checksum_validation(&self) -> ResponseChecksumValidation {
        self.response_checksum_validation
    }

    /// Tokens left in the retry quota shared by this client's operations (`None` without a
    /// quota).
    pub fn retry_quota_available(&self) -> Option<u32> {
        self.quota.as_ref().map(RetryQuota::available)
    }

    /// Adaptive retry mode's allowed requests per second now (`None` in standard mode); it
    /// only holds requests back once the service has throttled this client.
    pub fn adaptive_send_rate(&self) -> Option<f64> {
        self.rate_limiter.as_ref().map(RateLimiter::fill_rate)
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<Region>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    configured_endpoints: Option<ConfiguredEndpoints>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    endpoint_params: BTreeMap<String, EndpointValue>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    http_client: Option<Arc<dyn HttpClient>>,
    proxy: Option<ProxyConfig>,
    sleep: Option<SharedSleep>,
    random: Option<RandomSource>,
    request_checksum_calculation: Option<RequestChecksumCalculation>,
    response_checksum_validation: Option<ResponseChecksumValidation>,
    disable_host_prefix: bool,
}

impl ConfigBuilder {
    /// Sends requests to the endpoint's host without the operation's `@endpoint` host prefix
    /// (CloudWatch Logs' `streaming-` for StartLiveTail, Data Exchange's `api-fulfill.`), as
    /// botocore's `inject_host_prefix=False` does: for an endpoint URL whose host cannot take a
    /// prefix, such as a local server at an IP address. Off by default.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = disable;
        self
    }

    /// The region requests go to and are signed for.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// Where credentials come from; [`Credentials`] themselves are a provider, so
    /// `.credentials_provider(Credentials::from_keys("AKID", "SECRET"))` works.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets or clears the credentials provider (shared form).
    pub fn set_credentials_provider(
        mut self,
        provider: Option<Arc<dyn ProvideCredentials>>,
    ) -> Self {
        self.credentials = provider;
        self
    }

    /// Sends every request to this URL (`https://host[:port][/base-path]`), overriding the
    /// endpoint rules (it becomes their `SDK::Endpoint` parameter) and any endpoint URL in the
    /// environment or the profile.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Requests FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Requests dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets one of the service's own endpoint parameters (its model's `clientContextParams`,
    /// listed on the generated client's docs), by its rule-set name: for S3,
    /// `endpoint_param("ForcePathStyle", true)` puts the bucket in the path rather than the
    /// host, `endpoint_param("Accelerate", true)` uses Transfer Acceleration. A parameter the
    /// service's rules do not declare is ignored; an operation's own value (S3's `Bucket`) wins.
    pub fn endpoint_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<EndpointValue>,
    ) -> Self {
        self.endpoint_params.insert(name.into(), value.into());
        self
    }

    /// Retry settings (default [`RetryConfig::standard`]; [`RetryConfig::adaptive`] adds the
    /// client-side rate limiter, [`RetryConfig::disabled`] turns retries off). Beats
    /// `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` and the profile's `max_attempts` and `retry_mode`.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Timeout settings (default [`TimeoutConfig::default`]).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Uses another transport (the connect timeout and proxies are then the transport's
    /// business).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// The HTTP proxies of the default transport: [`ProxyConfig::disabled`] for none (the
    /// default of a builder that does not load defaults), [`ProxyConfig::all`] and its `with_*` methods for explicit
    /// ones. Beats `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`.
    pub fn proxy_config(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Sleeps with `sleep` instead of tokio's timer (e.g. to control time in tests). It serves
    /// backoff, waiter delays *and* the attempt and operation timeouts, so a sleep that returns
    /// at once makes those timeouts fire at once.
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Draws backoff jitter from `random` (e.g. a fixed value in tests).
    pub fn random_source(mut self, random: RandomSource) -> Self {
        self.random = Some(random);
        self
    }

    /// When requests carry flexible checksums (`@httpChecksum`); see
    /// [`RequestChecksumCalculation`].
    pub fn request_checksum_calculation(mut self, setting: RequestChecksumCalculation) -> Self {
        self.request_checksum_calculation = Some(setting);
        self
    }

    /// When response checksums are validated; see [`ResponseChecksumValidation`].
    pub fn response_checksum_validation(mut self, setting: ResponseChecksumValidation) -> Self {
        self.response_checksum_validation = Some(setting);
        self
    }

    /// Fills what is still unset from the real environment; see [`Config::load_defaults`].
    pub async fn load_defaults(self) -> Result<Self, BuildError> {
        self.load_defaults_from(Env::real(), Fs::real()).await
    }

    /// Like [`load_defaults`](Self::load_defaults), reading `env` and `fs` instead.
    ///
    /// Besides region and credentials it reads, for settings not already made:
    ///
    /// * endpoint URLs: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    ///   `endpoint_url` and its `services` section, unless
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls` is `true`
    ///   (see [`Config::endpoint_url_for`]);
    /// * `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT` (`true`/`false`);
    /// * `AWS_REQUEST_CHECKSUM_CALCULATION` and `AWS_RESPONSE_CHECKSUM_VALIDATION`
    ///   (`when_supported`/`when_required`);
    /// * retries: `AWS_MAX_ATTEMPTS` / `max_attempts` and `AWS_RETRY_MODE` / `retry_mode`
    ///   (`standard`, `adaptive`, `legacy` = standard);
    /// * proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (or their lower-case forms), see
    ///   [`ProxyConfig::from_env`].
    ///
    /// Environment variables beat the profile's settings. A region that cannot be found is left
    /// unset (requests that need one then fail with a clear error); a broken profile file or
    /// an invalid setting is an error now.
    pub async fn load_defaults_from(mut self, env: Env, fs: Fs) -> Result<Self, BuildError> {
        let shared = SharedConfig::load(&env, &fs)?;
        self.load_endpoint_urls(&shared)?;
        self.load_retry_config(&shared)?;
        self.load_proxy_config(&env)?;
        if self.use_fips.is_none() {
            self.use_fips = env_flag(&env, "AWS_USE_FIPS_ENDPOINT")?;
        }
        if self.use_dual_stack.is_none() {
            self.use_dual_stack = env_flag(&env, "AWS_USE_DUALSTACK_ENDPOINT")?;
        }
        if self.request_checksum_calculation.is_none() {
            self.request_checksum_calculation = env_when(&env, "AWS_REQUEST_CHECKSUM_CALCULATION")?
                .map(|supported| {
                    if supported {
                        RequestChecksumCalculation::WhenSupported
                    } else {
                        RequestChecksumCalculation::WhenRequired
                    }
                });
        }
        if self.response_checksum_validation.is_none() {
            self.response_checksum_validation = env_when(&env, "AWS_RESPONSE_CHECKSUM_VALIDATION")?
                .map(|supported| {
                    if supported {
                        ResponseChecksumValidation::WhenSupported
                    } else {
                        ResponseChecksumValidation::WhenRequired
                    }
                });
        }
        if self.region.is_none() {
            match DefaultRegionChain::with_env_and_fs(env.clone(), fs.clone())
                .resolve_all()
                .await
            {
                Ok(region) => self.region = Some(region),
                Err(RegionError::NotFound { .. }) => {}
                Err(error) => {
                    return Err(BuildError::other(format!(
                        "cannot load the region: {error}"
                    )))
                }
            }
        }
        if self.credentials.is_none() {
            self.credentials = Some(Arc::new(default_credentials_chain_with(env, fs)));
        }
        Ok(self)
    }

    /// The endpoint URLs of the environment and the profile, kept for the services that ask.
    fn load_endpoint_urls(&mut self, shared: &SharedConfig) -> Result<(), BuildError> {
        if self.configured_endpoints.is_none() {
            self.configured_endpoints = ConfiguredEndpoints::load(shared)?;
        }
        Ok(())
    }

    /// The retry mode and attempts of the environment and the profile.
    fn load_retry_config(&mut self, shared: &SharedConfig) -> Result<(), BuildError> {
        if self.retry.is_none() {
            self.retry = crate::settings::retry::load(shared)?;
        }
        Ok(())
    }

    /// The proxies of the environment (for the default transport only: another transport
    /// has its own).
    fn load_proxy_config(&mut self, env: &Env) -> Result<(), BuildError> {
        if self.proxy.is_none() && self.http_client.is_none() {
            self.proxy = Some(ProxyConfig::from_env(env)?);
        }
        Ok(())
    }

    /// Finishes the configuration.
    pub fn build(self) -> Result<Config, BuildError> {
        let timeouts = self.timeouts.unwrap_or_default();
        let http_client = match self.http_client {
            Some(client) => client,
            None => Arc::new(HyperClient::with_proxy(
                timeouts.connect(),
                self.proxy.unwrap_or_default(),
            )?),
        };
        let retry = self.retry.unwrap_or_default();
        Ok(Config {
            region: self.region,
            credentials: self.credentials,
            endpoint_url: self.endpoint_url,
            configured_endpoints: self.configured_endpoints,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            endpoint_params: self.endpoint_params,
            quota: retry.new_quota(),
            rate_limiter: retry.new_rate_limiter(),
            retry,
            timeouts,
            http_client,
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            random: self.random.unwrap_or_default(),
            request_checksum_calculation: self.request_checksum_calculation.unwrap_or_default(),
            response_checksum_validation: self.response_checksum_validation.unwrap_or_default(),
            disable_host_prefix: self.disable_host_prefix,
            express_sessions: Default::default(),
        })
    }
}

/// A `true`/`false` environment variable (case-insensitive); anything else is an error rather
/// than a silent default, since it decides which endpoint is used.
fn env_flag(env: &Env, name: &str) -> Result<Option<bool>, BuildError> {
    match env.get(name) {
        None => Ok(None),
        Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(value) => Err(BuildError::other(format!(
            "{name} must be `true` or `false`, not `{value}`"
        ))),
    }
}

/// A `when_supported`/`when_required` environment variable (any case): `Some(true)` for
/// when_supported; anything else is an error, as for [`env_flag`].
fn env_when(env: &Env, name: &str) -> Result<Option<bool>, BuildError> {
    match env.get(name) {
        None => Ok(None),
        Some(value) => crate::checksum::parse_when_setting(&value)
            .map(Some)
            .ok_or_else(|| {
                BuildError::other(format!(
                    "{name} must be `when_supported` or `when_required`, not `{value}`"
                ))
            }),
    }
}

/// Runs one operation through the pipeline described in the module documentation.
///
/// Generated code calls it as
/// `invoke_operation(config, &SERVICE, &OPERATION, serialize_request(&input), parse_response)`.
/// `parse` sees only the final response; its [`AttemptCount`] extension tells how many attempts
/// were made, which [`crate::rest_json`] copies into the errors it builds.
///
/// Only this thin wrapper is generic: the pipeline itself ([`send_operation`]) is an ordinary
/// function compiled once in this crate, so a generated crate does not compile the retry loop,
/// signing and timeouts again for every operation.
pub async fn invoke_operation<O, E>(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    parse: impl FnOnce(HttpResponse) -> Result<O, SdkError<E>>,
) -> Result<O, SdkError<E>> {
    match send(config, service, operation, parts, ResponseBody::Read).await {
        Ok(response) => parse(response),
        Err(error) => Err(widen(error)),
    }
}

/// Like [`invoke_operation`], for an operation whose output payload is a `@streaming` blob:
/// a successful response's body is not read but left on the connection, and `parse` finds it
/// with [`ByteStream::from_response`]; the caller then reads it chunk by chunk. Error responses
/// are read whole, as always.
///
/// The attempt and operation timeouts (and retries) cover the request until the response head
/// has arrived; reading the streamed body afterwards is the caller's, and a connection failing
/// then surfaces as a [`ByteStreamError`](crate::byte_stream::ByteStreamError) from the stream.
pub async fn invoke_streaming_operation<O, E>(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    parse: impl FnOnce(HttpResponse) -> Result<O, SdkError<E>>,
) -> Result<O, SdkError<E>> {
    match send(
        config,
        service,
        operation,
        parts,
        ResponseBody::StreamOnSuccess,
    )
    .await
    {
        Ok(response) => parse(response),
        Err(error) => Err(widen(error)),
    }
}

/// Whether the pipeline reads the final response's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResponseBody {
    /// Always (every operation but those with `@streaming` output payloads).
    Read,
    /// Only for error statuses; a success's body is left streaming (see
    /// [`ByteStream::from_response`]).
    StreamOnSuccess,
}

/// Sends an operation's request (endpoint, signing, retries, timeouts) and returns the final
/// response, whatever its status, with an [`AttemptCount`] extension.
///
/// Errors are those that happen before a response can be parsed; they never hold a service
/// error, hence `SdkError<Infallible>`.
pub async fn send_operation(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
) -> Result<HttpResponse, SdkError<Infallible>> {
    send(config, service, operation, parts, ResponseBody::Read).await
}

async fn send(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    body: ResponseBody,
) -> Result<HttpResponse, SdkError<Infallible>> {
    let span = tracing::info_span!(
        "operation",
        service = service.sdk_id,
        operation = operation.name
    );
    let attempts = AtomicU32::new(0);
    let run = run_operation(config, service, operation, parts, body, &attempts);
    let limit = config.timeouts.operation();
    match timeout(&*config.sleep, limit, run).instrument(span).await {
        Ok(result) => result,
        Err(Elapsed(limit)) => Err(SdkError::Timeout(TimeoutError {
            kind: "operation",
            limit,
            attempts: attempts.load(Ordering::Relaxed),
        })),
    }
}

/// A pipeline error as the error type of a particular operation.
fn widen<E>(error: SdkError<Infallible>) -> SdkError<E> {
    match error {
        SdkError::Construction(e) => SdkError::Construction(e),
        SdkError::Dispatch(e) => SdkError::Dispatch(e),
        SdkError::Timeout(e) => SdkError::Timeout(e),
        SdkError::Response(e) => SdkError::Response(e),
        SdkError::Service(never) => match never {},
    }
}

/// What one attempt produced.
enum Outcome {
    Response(HttpResponse),
    Dispatch(DispatchError),
    TimedOut(Duration),
}

impl Outcome {
    /// Whether (and why) the attempt may be retried.
    fn retry_kind(&self, operation: &Operation) -> Option<RetryKind> {
        match self {
            Outcome::Response(response) => classify_response(response, operation.retryable_errors),
            Outcome::Dispatch(error) if error.is_connect_timeout() => Some(RetryKind::Timeout),
            Outcome::Dispatch(error) if error.is_transient() => Some(RetryKind::Transient),
            Outcome::Dispatch(_) => None,
            Outcome::TimedOut(_) => Some(RetryKind::Timeout),
        }
    }
}

async fn run_operation(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
    body: ResponseBody,
    attempts: &AtomicU32,
) -> Result<HttpResponse, SdkError<Infallible>> {
    let prepared = prepare(config, service, operation, parts)
        .await
        .map_err(SdkError::Construction)?;
    let max_attempts = config.retry.max_attempts();
    let mut last_retry_cost = None;
    let mut attempt = 1;
    let outcome = loop {
        attempts.store(attempt, Ordering::Relaxed);
        let request = prepared
            .request(attempt, max_attempts)
            .map_err(SdkError::Construction)?;
        let validate = prepared
            .parts
            .response_checksum_algorithms()
            .map(<[_]>::to_vec);
        wait_for_send_token(config, attempt).await;
        let outcome = send_attempt(config, request, body, validate, attempt, max_attempts).await;
        let kind = outcome.retry_kind(operation);
        if let Some(limiter) = &config.rate_limiter {
            limiter.on_response(kind == Some(RetryKind::Throttling));
        }
        let Some(kind) = kind else {
            break outcome;
        };
        if attempt >= max_attempts {
            break outcome;
        }
        if !prepared.parts.is_body_replayable() {
            // A one-shot body (a reader, a `Stream`) was consumed by this attempt.
            tracing::debug!(
                attempt,
                "the request body cannot be sent again; not retrying"
            );
            break outcome;
        }
        let cost = match &config.quota {
            Some(quota) => match quota.acquire(kind) {
                Some(cost) => Some(cost),
                None => {
                    tracing::debug!(attempt, "retry quota exhausted; not retrying");
                    break outcome;
                }
            },
            None => None,
        };
        last_retry_cost = cost;
        let backoff = config.retry.backoff(attempt, config.random.sample());
        tracing::debug!(attempt, ?kind, ?backoff, "retrying");
        config.sleep.sleep(backoff).await;
        attempt += 1;
    };
    finish(config, outcome, attempt, last_retry_cost)
}

/// Adaptive retry mode: waits for the rate limiter's token before an attempt is sent.
async fn wait_for_send_token(config: &Config, attempt: u32) {
    let Some(limiter) = &config.rate_limiter else {
        return;
    };
    let delay = limiter.acquire();
    if !delay.is_zero() {
        tracing::debug!(attempt, ?delay, "adaptive retry mode: waiting to send");
        config.sleep.sleep(delay).await;
    }
}

/// Turns the last attempt's outcome into the response to parse, or the pipeline's error.
// `SdkError` keeps whole responses on purpose (nothing is lost), so it is large.
#[allow(clippy::result_large_err)]
fn finish(
    config: &Config,
    outcome: Outcome,
    attempts: u32,
    last_retry_cost: Option<u32>,
) -> Result<HttpResponse, SdkError<Infallible>> {
    match outcome {
        Outcome::Response(mut response) => {
            if response.status().is_success() {
                if let Some(quota) = &config.quota {
                    quota.on_success(last_retry_cost);
                }
            }
            response.extensions_mut().insert(AttemptCount(attempts));
            Ok(response)
        }
        Outcome::Dispatch(error) if error.is_connect_timeout() => {
            Err(SdkError::Timeout(TimeoutError {
                kind: "connect",
                limit: config.timeouts.connect().unwrap_or_default(),
                attempts,
            }))
        }
        Outcome::Dispatch(error) => Err(SdkError::Dispatch(error.with_attempts(attempts))),
        Outcome::TimedOut(limit) => Err(SdkError::Timeout(TimeoutError {
            kind: "attempt",
            limit,
            attempts,
        })),
    }
}

/// Sends one signed request under the attempt timeout, which also covers reading the body
/// (unless it is left streaming).
async fn send_attempt(
    config: &Config,
    request: HttpRequest,
    body: ResponseBody,
    validate: Option<Vec<ChecksumAlgorithm>>,
    attempt: u32,
    max: u32,
) -> Outcome {
    let span = tracing::debug_span!("attempt", attempt, max, status = tracing::field::Empty);
    let transport = config.http_client.call(request);
    let call = async move {
        let (mut parts, mut streaming) = transport.await?.into_parts();
        // An event stream may rightly be silent for long (a model thinking before its first
        // token, a quiet log group): its gaps are the service's, so it is not watched.
        let event_stream = parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|v| {
                v.as_bytes()
                    .starts_with(b"application/vnd.amazon.eventstream")
            });
        if let Some(idle) = config.timeouts.read_idle().filter(|_| !event_stream) {
            streaming = crate::stalled::IdleGuard::wrap(streaming, idle);
        }
        // `@httpChecksum` response validation, of a successful whole body only: a 206's checksum
        // header (if any) is the whole object's, not of the range received.
        let checksum = validate
            .filter(|_| {
                parts.status.is_success() && parts.status != http::StatusCode::PARTIAL_CONTENT
            })
            .and_then(|algorithms| response_checksum(&parts.headers, &algorithms));
        if let Some((algorithm, expected)) = checksum {
            streaming =
                crate::body::Body::from_body(ValidatingBody::new(streaming, algorithm, expected));
        }
        if body == ResponseBody::StreamOnSuccess && parts.status.is_success() {
            ByteStream::attach_to(&mut parts, streaming);
            return Ok(http::Response::from_parts(parts, bytes::Bytes::new()));
        }
        // A body cut short (connection reset mid-response) may well succeed on a retry.
        let bytes = streaming.collect().await.map_err(|e| {
            // A checksum mismatch is not retried (as in the AWS SDKs): the error names it.
            let mismatch = find_mismatch(&*e as &(dyn std::error::Error + 'static)).is_some();
            crate::error::DispatchError::new(e, !mismatch)
        })?;
        Ok(http::Response::from_parts(parts, bytes))
    };
    let limit = config.timeouts.attempt();
    async move {
        let outcome = match timeout(&*config.sleep, limit, call).await {
            Ok(Ok(response)) => Outcome::Response(response),
            Ok(Err(error)) => Outcome::Dispatch(error),
            Err(Elapsed(limit)) => Outcome::TimedOut(limit),
        };
        let span = tracing::Span::current();
        match &outcome {
            Outcome::Response(response) => span.record("status", response.status().as_u16()),
            Outcome::Dispatch(error) => span.record("status", tracing::field::display(error)),
            Outcome::TimedOut(_) => span.record("status", "timeout"),
        };
        tracing::debug!("attempt finished");
        outcome
    }
    .instrument(span)
    .await
}

/// Everything every attempt shares: the unsigned request, where it goes, how to sign it.
struct Prepared {
    parts: RequestParts,
    url: String,
    signer: Option<Signer>,
}

impl Prepared {
    /// The request of attempt `attempt`, signed now (so `x-amz-date` is fresh).
    fn request(&self, attempt: u32, max: u32) -> Result<HttpRequest, BuildError> {
        let mut parts = self.parts.clone();
        parts.push_header("amz-sdk-request", format!("attempt={attempt}; max={max}"));
        let mut request = parts.into_request(&self.url)?;
        if let Some(signer) = &self.signer {
            signer.sign(&mut request)?;
        }
        Ok(request)
    }
}

/// Resolves the endpoint and credentials and adds the headers every attempt carries; fails
/// before anything is sent when the configuration is incomplete.
async fn prepare(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: Result<RequestParts, BuildError>,
) -> Result<Prepared, BuildError> {
    let mut parts = parts?;
    if config.disable_host_prefix {
        parts.clear_host_prefix();
    }
    parts
        .apply_flexible_checksums(
            config.request_checksum_calculation,
            config.response_checksum_validation,
        )
        .await?;
    let endpoint = resolve_endpoint(config, service, parts.endpoint_params())?;
    let signer = Signer::new(
        config,
        service,
        operation,
        &endpoint,
        parts.endpoint_params(),
    )
    .await?;
    let agent = service.user_agent();
    parts.push_header("user-agent", agent.clone());
    parts.push_header("x-amz-user-agent", agent);
    parts.push_header("amz-sdk-invocation-id", crate::random::uuid_v4());
    for (name, values) in &endpoint.headers {
        for value in values {
            parts.push_header(name, value.clone());
        }
    }
    Ok(Prepared {
        parts,
        url: endpoint.url,
        signer,
    })
}

/// The endpoint of `service` for `config` and the operation's own parameters: from the rule
/// set when there is one (the configured URL is then its `SDK::Endpoint` parameter), else the
/// configured URL itself.
fn resolve_endpoint(
    config: &Config,
    service: &Service,
    operation_params: &[(&'static str, EndpointValue)],
) -> Result<Endpoint, BuildError> {
    let configured_url = config.endpoint_url_for(service);
    let Some(rules) = service.endpoint_rules else {
        let url = configured_url.ok_or_else(|| {
            BuildError::other(format!(
                "no endpoint: {} has no endpoint rules, so an endpoint URL must be configured \
                 (Config::builder().endpoint_url(..))",
                service.sdk_id
            ))
        })?;
        return Ok(Endpoint {
            url,
            headers: Default::default(),
            properties: Default::default(),
        });
    };
    let ruleset = rules.get().map_err(|e| {
        BuildError::other(format!(
            "the endpoint rule set of {} is invalid: {e}",
            service.sdk_id
        ))
    })?;
    Resolver::new(ruleset)
        .resolve(&endpoint_params(
            config,
            configured_url.as_deref(),
            ruleset,
            operation_params,
        ))
        .map_err(|e| {
            let mut message = format!("cannot resolve the endpoint: {e}");
            if config.region.is_none() && has_built_in(ruleset, "AWS::Region") {
                message.push_str(
                    " (no region is configured: set one with Config::builder().region(..), \
                     AWS_REGION, or `region` in the profile)",
                );
            }
            BuildError::other(message)
        })
}

/// Endpoint parameters: the configuration's, matched to the rule set's parameters by their
/// `builtIn` names (parameter names vary between services; built-in names do not), then the
/// service's own set on the configuration (`clientContextParams`), then the operation's
/// (`@staticContextParams`, `@contextParam`), each overriding the one before, as the Smithy
/// rules spec orders them. Parameters the rule set does not declare are left out.
fn endpoint_params(
    config: &Config,
    endpoint_url: Option<&str>,
    ruleset: &RuleSet,
    operation_params: &[(&'static str, EndpointValue)],
) -> Params {
    let mut params = Params::new();
    for parameter in &ruleset.parameters {
        let name = parameter.name.clone();
        let from_operation = operation_params.iter().find(|(n, _)| *n == name);
        if let Some((_, value)) = from_operation {
            params.set(name, value.clone());
            continue;
        }
        if let Some(value) = config.endpoint_params.get(&name) {
            params.set(name, value.clone());
            continue;
        }
        match parameter.built_in.as_deref() {
            Some("AWS::Region") => {
                if let Some(region) = &config.region {
                    params.set(name, region.as_str());
                }
            }
            Some("AWS::UseFIPS") => {
                params.set(name, config.use_fips);
            }
            Some("AWS::UseDualStack") => {
                params.set(name, config.use_dual_stack);
            }
            Some("SDK::Endpoint") => {
                if let Some(url) = endpoint_url {
                    params.set(name, url);
                }
            }
            _ => {}
        }
    }
    params
}

fn has_built_in(ruleset: &RuleSet, built_in: &str) -> bool {
    ruleset
        .parameters
        .iter()
        .any(|p| p.built_in.as_deref() == Some(built_in))
}

/// Signs attempts with SigV4.
struct Signer {
    credentials: Credentials,
    region: String,
    name: String,
    settings: SigningSettings,
    /// An S3 Express session's token, sent (and signed) in
    /// [`SESSION_TOKEN_HEADER`](crate::s3_express::SESSION_TOKEN_HEADER); `credentials` are then
    /// the session's keys, without a token of their own.
    express_token: Option<String>,
}

impl Signer {
    /// `None` when the service does not sign; otherwise loads credentials and settles the
    /// signing name and region (an endpoint's `authSchemes` entry beats the service's name and
    /// the configured region). For an S3 Express endpoint the credentials are the bucket's
    /// session's (the bucket is the operation's `Bucket` endpoint parameter in `params`).
    async fn new(
        config: &Config,
        service: &Service,
        operation: &Operation,
        endpoint: &Endpoint,
        params: &[(&'static str, EndpointValue)],
    ) -> Result<Option<Signer>, BuildError> {
        let scheme = AuthScheme::from_endpoint(endpoint)?;
        let Some(name) = scheme
            .signing_name
            .clone()
            .or(service.signing_name.map(str::to_owned))
        else {
            return Ok(None);
        };
        let region = scheme
            .signing_region
            .clone()
            .or_else(|| config.region.as_ref().map(|r| r.as_str().to_owned()))
            .ok_or_else(|| {
                BuildError::other(format!(
                    "no region: {} needs a region to sign {} (set one with \
                     Config::builder().region(..), AWS_REGION, or `region` in the profile)",
                    service.sdk_id, operation.name
                ))
            })?;
        let provider = config.credentials.as_ref().ok_or_else(|| {
            BuildError::other(format!(
                "no credentials: {} signs its requests but no credentials provider is configured \
                 (set one with Config::builder().credentials_provider(..) or use \
                 Config::load_defaults())",
                service.sdk_id
            ))
        })?;
        let mut credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| BuildError::other(format!("no credentials: {e}")))?;
        let mut express_token = None;
        if scheme.s3_express {
            let bucket = crate::s3_express::bucket(params).ok_or_else(|| {
                BuildError::other(format!(
                    "{}: the endpoint asks for an S3 Express session, and the request names no bucket",
                    operation.name
                ))
            })?;
            let session = config
                .express_sessions
                .session(config, service, bucket, &credentials)
                .await?;
            express_token = session.session_token().map(str::to_owned);
            credentials =
                Credentials::from_keys(session.access_key_id(), session.secret_access_key());
        }
        let mut settings = SigningSettings {
            // S3 (and S3 on Outposts) require `x-amz-content-sha256` on every request, signed;
            // the AWS SDKs send it for these signing names only (Glacier sets its own).
            content_sha256_header: is_s3_signing_name(&name),
            ..SigningSettings::default()
        };
        if scheme.disable_double_encoding {
            // Only S3-style services set this, and they want the path signed exactly as sent.
            settings.double_uri_encode = false;
            settings.normalize_path = false;
        }
        Ok(Some(Signer {
            credentials,
            region,
            name,
            settings,
            express_token,
        }))
    }

    /// Signs an attempt. An in-memory body's SHA-256 is signed; a streaming body (a file, a
    /// reader) is signed as `UNSIGNED-PAYLOAD`, as the AWS SDKs do, since hashing it would
    /// mean reading it twice (or holding it whole).
    fn sign(&self, request: &mut HttpRequest) -> Result<(), BuildError> {
        if let Some(token) = &self.express_token {
            let value = http::HeaderValue::from_str(token).map_err(|_| {
                BuildError::other("the S3 Express session token is not a valid header value")
            })?;
            request
                .headers_mut()
                .insert(crate::s3_express::SESSION_TOKEN_HEADER, value);
        }
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service_name: &self.name,
            time: crate::DateTime::now(),
            settings: self.settings.clone(),
        };
        let bytes = request.body().as_bytes().cloned();
        let trailer = request.headers().contains_key("x-amz-trailer");
        let events = request
            .extensions()
            .get::<crate::event_stream::sender::SigningSlot>()
            .cloned();
        let mut params = params;
        let body = match &bytes {
            // An input event stream: the request signature seeds the events' chain.
            _ if events.is_some() => {
                params.settings.content_sha256_header = true;
                SignableBody::Precomputed(crate::event_stream::signing::STREAMING_EVENTS_PAYLOAD)
            }
            Some(bytes) => SignableBody::Bytes(bytes),
            // An `aws-chunked` body with a checksum trailer (see `AwsChunkedBody`).
            None if trailer => {
                SignableBody::Precomputed(crate::checksum::STREAMING_UNSIGNED_PAYLOAD_TRAILER)
            }
            None => SignableBody::UnsignedPayload,
        };
        let output = sign_request_with_body(request, body, &params)
            .map_err(|e| BuildError::other(format!("cannot sign the request: {e}")))?;
        if let Some(slot) = events {
            slot.set(crate::event_stream::signing::EventSigner::new(
                self.credentials.clone(),
                self.region.clone(),
                self.name.clone(),
                output.signature,
            ));
        }
        Ok(())
    }
}

/// The endpoint and SigV4 signing of an operation's request, resolved exactly as [`prepare`]
/// does for sending it (the same endpoint rules and parameters, the same signing name, region
/// and settings from the endpoint's `authSchemes`): the hook [`crate::presign`] builds
/// presigned requests on, so a presigned URL goes where `send()` would.
pub(crate) async fn presigning_target(
    config: &Config,
    service: &Service,
    operation: &Operation,
    parts: &RequestParts,
) -> Result<(Endpoint, Option<crate::presign::SigningTarget>), BuildError> {
    let endpoint = resolve_endpoint(config, service, parts.endpoint_params())?;
    if AuthScheme::from_endpoint(&endpoint)?.s3_express {
        return Err(BuildError::other(format!(
            "{}: presigning a request to an S3 Express directory bucket is not supported yet \
             (its session token would have to travel in the URL)",
            operation.name
        )));
    }
    let signer = Signer::new(
        config,
        service,
        operation,
        &endpoint,
        parts.endpoint_params(),
    )
    .await?;
    let target = signer.map(|s| crate::presign::SigningTarget {
        credentials: s.credentials,
        region: s.region,
        name: s.name,
        settings: s.settings,
    });
    Ok((endpoint, target))
}

/// Whether `name` (the SigV4 signing name after the endpoint's `authSchemes`) is S3's: `s3`
/// (S3 and S3 Control), `s3-outposts` or `s3express` (directory buckets).
pub(crate) fn is_s3_signing_name(name: &str) -> bool {
    matches!(name, "s3" | "s3-outposts" | "s3express")
}

/// The SigV4 entry of an endpoint's `authSchemes` property.
#[derive(Default)]
struct AuthScheme {
    signing_name: Option<String>,
    signing_region: Option<String>,
    disable_double_encoding: bool,
    /// `sigv4-s3express`: SigV4 with an S3 Express session's credentials.
    s3_express: bool,
}

impl AuthScheme {
    /// The first scheme this runtime supports (`sigv4`, or `sigv4-s3express`), in the
    /// endpoint's order of preference; an endpoint that lists schemes but none of these cannot
    /// be used.
    fn from_endpoint(endpoint: &Endpoint) -> Result<AuthScheme, BuildError> {
        let Some(schemes) = endpoint.properties.get("authSchemes") else {
            return Ok(AuthScheme::default());
        };
        let schemes = schemes.as_array().map(Vec::as_slice).unwrap_or_default();
        let name_of = |scheme: &serde_json::Value| {
            scheme
                .get("name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let supported =
            |s: &&serde_json::Value| matches!(name_of(s).as_str(), "sigv4" | "sigv4-s3express");
        let Some(scheme) = schemes.iter().find(supported) else {
            let names: Vec<String> = schemes.iter().map(name_of).collect();
            return Err(BuildError::other(format!(
                "the endpoint requires auth scheme(s) [{}], and only sigv4 and sigv4-s3express \
                 are supported",
                names.join(", ")
            )));
        };
        let text = |key: &str| {
            scheme
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        Ok(AuthScheme {
            signing_name: text("signingName"),
            signing_region: text("signingRegion"),
            disable_double_encoding: scheme
                .get("disableDoubleEncoding")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            s3_express: name_of(scheme) == "sigv4-s3express",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: EmbeddedRuleSet = EmbeddedRuleSet::new(
        r#"{"version": "1.0", "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region"},
            "Bucket": {"type": "String"},
            "ForcePathStyle": {"type": "Boolean", "default": false, "required": true}
        }, "rules": [{"conditions": [], "type": "error", "error": "unused"}]}"#,
    );

    #[test]
    fn operation_parameters_win_over_the_configuration_and_undeclared_ones_are_left_out() {
        let config = Config::builder()
            .region("eu-west-1")
            .endpoint_param("ForcePathStyle", true)
            .endpoint_param("Bucket", "from-config")
            .endpoint_param("NotDeclared", "x")
            .build()
            .expect("a configuration");
        let ruleset = RULES.get().expect("valid rules");
        let params = endpoint_params(&config, None, ruleset, &[("Bucket", "from-input".into())]);
        assert_eq!(
            params.get("Region"),
            Some(&EndpointValue::from("eu-west-1"))
        );
        assert_eq!(
            params.get("ForcePathStyle"),
            Some(&EndpointValue::Bool(true))
        );
        assert_eq!(
            params.get("Bucket"),
            Some(&EndpointValue::from("from-input"))
        );
        assert_eq!(params.get("NotDeclared"), None);
    }

    fn endpoint_with(properties: serde_json::Value) -> Endpoint {
        Endpoint {
            url: "https://example.com".into(),
            headers: Default::default(),
            properties: properties.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn auth_schemes_pick_sigv4() {
        let endpoint = endpoint_with(serde_json::json!({"authSchemes": [
            {"name": "sigv4a", "signingName": "a"},
            {"name": "sigv4", "signingName": "s3", "signingRegion": "eu-west-1",
             "disableDoubleEncoding": true}
        ]}));
        let scheme = AuthScheme::from_endpoint(&endpoint).unwrap();
        assert_eq!(scheme.signing_name.as_deref(), Some("s3"));
        assert_eq!(scheme.signing_region.as_deref(), Some("eu-west-1"));
        assert!(scheme.disable_double_encoding);
        let none = AuthScheme::from_endpoint(&endpoint_with(serde_json::json!({}))).unwrap();
        assert!(none.signing_name.is_none() && !none.disable_double_encoding);
        let unsupported = endpoint_with(serde_json::json!({"authSchemes": [{"name": "sigv4a"}]}));
        let error = AuthScheme::from_endpoint(&unsupported).err().unwrap();
        assert!(error.to_string().contains("[sigv4a]"), "{error}");
    }

    #[test]
    fn debug_never_prints_secrets() {
        let config = Config::builder()
            .credentials_provider(Credentials::new(
                "AKID",
                "SECRET",
                Some("TOKEN".into()),
                None,
            ))
            .region("us-east-1")
            .build()
            .unwrap();
        let text = format!("{config:?}");
        assert!(
            text.contains("AKID") && text.contains("us-east-1"),
            "{text}"
        );
        assert!(
            !text.contains("SECRET") && !text.contains("TOKEN"),
            "{text}"
        );
    }
}
