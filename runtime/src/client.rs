//! Client configuration and the request pipeline every generated operation goes through.
//!
//! Generated code serializes the input to [`RequestParts`] and parses the response; everything in
//! between (endpoint, headers every request carries, sending) lives here once.

use crate::error::{BuildError, SdkError};
use crate::http::{HttpClient, HttpResponse, RequestParts, ReqwestClient};
use std::fmt;
use std::sync::Arc;

/// Static facts about a generated service that the pipeline needs.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// The service's SDK id (e.g. `MediaPackageV2`).
    pub sdk_id: &'static str,
    /// The service's API version.
    pub api_version: &'static str,
    /// The SigV4 signing name (e.g. `mediapackagev2`), if the service uses SigV4.
    pub signing_name: Option<&'static str>,
}

/// Client configuration shared by every operation of a generated client.
#[derive(Clone)]
pub struct Config {
    endpoint_url: Option<String>,
    http_client: Arc<dyn HttpClient>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint_url", &self.endpoint_url)
            .field("http_client", &self.http_client)
            .finish()
    }
}

impl Config {
    /// A builder with defaults (reqwest + rustls transport).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configured endpoint URL.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The transport.
    pub fn http_client(&self) -> &Arc<dyn HttpClient> {
        &self.http_client
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    endpoint_url: Option<String>,
    http_client: Option<Arc<dyn HttpClient>>,
}

impl ConfigBuilder {
    /// Sends every request to this URL (`https://host[:port][/base-path]`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses another transport.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Result<Config, BuildError> {
        let http_client = match self.http_client {
            Some(client) => client,
            None => Arc::new(ReqwestClient::new(None)?),
        };
        Ok(Config {
            endpoint_url: self.endpoint_url,
            http_client,
        })
    }
}

/// The `User-Agent` this runtime sends.
pub fn user_agent(service: &ServiceInfo) -> String {
    format!(
        "smithy-gen-rust/{} api/{}/{}",
        env!("CARGO_PKG_VERSION"),
        service.sdk_id.to_ascii_lowercase(),
        service.api_version
    )
}

/// Runs one operation: builds the request, sends it, and hands the response to `parse`.
pub async fn invoke<O, E>(
    config: &Config,
    service: &ServiceInfo,
    operation: &'static str,
    parts: Result<RequestParts, BuildError>,
    parse: impl FnOnce(HttpResponse) -> Result<O, SdkError<E>>,
) -> Result<O, SdkError<E>> {
    let mut parts = parts.map_err(SdkError::Construction)?;
    let endpoint = config.endpoint_url.as_deref().ok_or_else(|| {
        SdkError::Construction(BuildError::other(format!(
            "{operation}: no endpoint URL is configured"
        )))
    })?;
    let agent = user_agent(service);
    parts.push_header("user-agent", agent.clone());
    parts.push_header("x-amz-user-agent", agent);
    let request = parts
        .into_request(endpoint)
        .map_err(SdkError::Construction)?;
    tracing::debug!(operation, method = %request.method(), uri = %request.uri(), "sending request");
    let response = config
        .http_client
        .call(request)
        .await
        .map_err(SdkError::Dispatch)?;
    tracing::debug!(
        operation,
        status = response.status().as_u16(),
        "received response"
    );
    parse(response)
}
