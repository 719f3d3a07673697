//! Configured endpoint URLs: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, and the shared
//! config file's `endpoint_url` (a profile's own, or a service's in the `[services NAME]`
//! section the profile names), unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` /
//! `ignore_configured_endpoint_urls` is `true`.
//!
//! They are loaded without knowing the service (a [`Config`](crate::client::Config) serves
//! any client) and chosen per service by its SDK id when a request is sent: the most specific
//! wins in the order service-specific environment variable, global environment variable,
//! service-specific profile setting, global profile setting. A URL set on the builder beats
//! them all.

use super::SharedConfig;
use crate::credentials::profile::Profile;
use crate::credentials::Env;
use crate::error::BuildError;

/// Endpoint URLs from the environment and the profile, looked up per service.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConfiguredEndpoints {
    /// For `AWS_ENDPOINT_URL_<SERVICE>`, read when a service asks.
    env: Env,
    /// `AWS_ENDPOINT_URL`.
    env_global: Option<String>,
    /// The `[services NAME]` section the profile names.
    services: Option<Profile>,
    /// The profile's own `endpoint_url`.
    profile_global: Option<String>,
}

impl ConfiguredEndpoints {
    /// The configured endpoint URLs, or `None` when they are to be ignored (or none is set).
    pub(crate) fn load(shared: &SharedConfig) -> Result<Option<ConfiguredEndpoints>, BuildError> {
        let ignore = shared.flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )?;
        if ignore == Some(true) {
            return Ok(None);
        }
        Ok(Some(ConfiguredEndpoints {
            env: shared.env().clone(),
            env_global: shared.env().get("AWS_ENDPOINT_URL"),
            services: shared.services_section().cloned(),
            profile_global: shared.profile_value("endpoint_url").map(str::to_owned),
        }))
    }

    /// The URL for the service with SDK id `sdk_id` (`DynamoDB`, `API Gateway`), if any.
    pub(crate) fn for_service(&self, sdk_id: &str) -> Option<String> {
        self.env
            .get(&env_variable(sdk_id))
            .or_else(|| self.env_global.clone())
            .or_else(|| {
                let services = self.services.as_ref()?;
                services
                    .sub_property(&profile_key(sdk_id), "endpoint_url")
                    .map(str::to_owned)
            })
            .or_else(|| self.profile_global.clone())
    }
}

/// `AWS_ENDPOINT_URL_` and the SDK id in upper case with spaces (and dashes) as underscores:
/// `AWS_ENDPOINT_URL_API_GATEWAY`.
pub(crate) fn env_variable(sdk_id: &str) -> String {
    format!(
        "AWS_ENDPOINT_URL_{}",
        sdk_id.replace([' ', '-'], "_").to_ascii_uppercase()
    )
}

/// A service's key in a `[services NAME]` section: the SDK id in lower case with spaces (and
/// dashes) as underscores: `api_gateway`.
pub(crate) fn profile_key(sdk_id: &str) -> String {
    sdk_id.replace([' ', '-'], "_").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdk_id() {
        assert_eq!(env_variable("DynamoDB"), "AWS_ENDPOINT_URL_DYNAMODB");
        assert_eq!(env_variable("API Gateway"), "AWS_ENDPOINT_URL_API_GATEWAY");
        assert_eq!(
            env_variable("Elastic Load Balancing v2"),
            "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"
        );
        assert_eq!(profile_key("API Gateway"), "api_gateway");
        assert_eq!(profile_key("S3"), "s3");
    }
}
