//! Credentials configured by the selected profile of the shared config and credentials files.

use std::sync::Arc;

use super::clients::ClientSettings;
use super::container::ContainerCredentialsProvider;
use super::env::{Env, Fs};
use super::environment::EnvironmentCredentialsProvider;
use super::imds::ImdsCredentialsProvider;
use super::process::CredentialProcessProvider;
use super::profile::{LoadedProfiles, Profile, ProfileFiles};
use super::sso::SsoCredentialsProvider;
use super::sts::{sts_region, AssumeRoleProvider, WebIdentityTokenCredentialsProvider};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::http::HttpClient;

const PROVIDER: &str = "profile";

/// Credentials of the selected profile.
///
/// Credentials configured by the selected profile of the shared config and credentials files.
///
/// The profile (`AWS_PROFILE`, default `default`; paths from `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`) is resolved into a *base* source and a list of roles to
/// assume on top of it, as the AWS SDKs do:
///
/// * `role_arn` with `source_profile`: assume the role with the source profile's credentials;
///   the source profile may itself assume a role (chains of any length; a cycle is an error).
///   In a source profile, static keys win over its own `role_arn`, and a profile may name
///   itself as `source_profile` to use its own keys.
/// * `role_arn` with `credential_source` (`Environment`, `Ec2InstanceMetadata` or
///   `EcsContainer`): assume the role with those credentials.
/// * `role_arn` with `web_identity_token_file`: STS `AssumeRoleWithWebIdentity`.
/// * `external_id`, `role_session_name` and `duration_seconds` go with each `role_arn`.
/// * `sso_session` (and its `[sso-session]` section) or legacy `sso_start_url`/`sso_region`,
///   with `sso_account_id` and `sso_role_name`: SSO.
/// * `credential_process`: an external program.
/// * `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`: static keys.
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentialsProvider {
    files: ProfileFiles,
    env: Env,
    fs: Fs,
    settings: Settings,
}

/// Endpoints and transport of the services a profile may call.
#[derive(Clone, Debug, Default)]
struct Settings {
    sts_endpoint: Option<String>,
    sso_endpoint: Option<String>,
    oidc_endpoint: Option<String>,
    imds_endpoint: Option<String>,
    http_client: Option<Arc<dyn HttpClient>>,
}

/// Where a profile chain's first credentials come from.
#[derive(Clone, Debug, PartialEq)]
enum Base {
    Static(Credentials),
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    Process(String),
    Sso {
        session_name: Option<String>,
        start_url: String,
        region: String,
        account_id: String,
        role_name: String,
    },
    Environment,
    Imds,
    Container,
}

/// A role to assume.
#[derive(Clone, Debug, PartialEq)]
struct Role {
    arn: String,
    external_id: Option<String>,
    session_name: Option<String>,
    duration_seconds: Option<i32>,
}

/// The resolved profile: the base, then roles in the order they are assumed.
#[derive(Clone, Debug, PartialEq)]
struct Plan {
    base: Base,
    roles: Vec<Role>,
}

impl ProfileCredentialsProvider {
    /// Uses the real environment and file system.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder.
    pub fn builder() -> ProfileCredentialsProviderBuilder {
        ProfileCredentialsProviderBuilder::default()
    }

    /// Uses `env` and `fs` instead of the real ones (for tests).
    pub fn with_env_and_fs(env: Env, fs: Fs) -> Self {
        Self::builder().env_and_fs(env, fs).build()
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.files = self.files.with_profile_name(name);
        self
    }

    /// Loads the files, resolves the profile and fetches its credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let loaded = self.files.load()?;
        let plan = resolve(&loaded)?;
        self.provider_for(&plan, &loaded.selected)
            .provide_credentials()
            .await
    }

    fn sts_settings(&self, profile: &str) -> ClientSettings {
        ClientSettings {
            region: Some(sts_region(&self.env, &self.fs, Some(profile))),
            endpoint_url: self.settings.sts_endpoint.clone(),
            http_client: self.settings.http_client.clone(),
        }
    }

    fn provider_for(&self, plan: &Plan, profile: &str) -> Arc<dyn ProvideCredentials> {
        let mut provider = self.base_provider(&plan.base, profile);
        for role in &plan.roles {
            let mut builder =
                AssumeRoleProvider::builder(&role.arn).settings(self.sts_settings(profile));
            if let Some(name) = &role.session_name {
                builder = builder.session_name(name);
            }
            if let Some(id) = &role.external_id {
                builder = builder.external_id(id);
            }
            if let Some(seconds) = role.duration_seconds {
                builder = builder.duration_seconds(seconds);
            }
            provider = Arc::new(builder.build(provider));
        }
        provider
    }

    fn base_provider(&self, base: &Base, profile: &str) -> Arc<dyn ProvideCredentials> {
        let (env, fs) = (self.env.clone(), self.fs.clone());
        match base {
            Base::Static(credentials) => Arc::new(credentials.clone()),
            Base::Environment => Arc::new(EnvironmentCredentialsProvider::with_env(env)),
            Base::Imds => {
                let mut builder = ImdsCredentialsProvider::builder().env_and_fs(env, fs);
                if let Some(endpoint) = &self.settings.imds_endpoint {
                    builder = builder.endpoint(endpoint);
                }
                Arc::new(builder.build())
            }
            Base::Container => Arc::new(
                ContainerCredentialsProvider::builder()
                    .env_and_fs(env, fs)
                    .build(),
            ),
            Base::Process(command) => Arc::new(CredentialProcessProvider::new(command)),
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
            } => {
                let mut builder = WebIdentityTokenCredentialsProvider::builder()
                    .env_and_fs(env, fs)
                    .settings(self.sts_settings(profile))
                    .token_file(token_file)
                    .role_arn(role_arn);
                if let Some(name) = session_name {
                    builder = builder.session_name(name);
                }
                Arc::new(builder.build())
            }
            Base::Sso {
                session_name,
                start_url,
                region,
                account_id,
                role_name,
            } => {
                let mut builder = SsoCredentialsProvider::builder()
                    .env_and_fs(env, fs)
                    .start_url(start_url)
                    .region(region.as_str())
                    .account_id(account_id)
                    .role_name(role_name)
                    .shared_http_client(self.settings.http_client.clone());
                if let Some(name) = session_name {
                    builder = builder.session_name(name);
                }
                if let Some(url) = &self.settings.sso_endpoint {
                    builder = builder.endpoint_url(url);
                }
                if let Some(url) = &self.settings.oidc_endpoint {
                    builder = builder.oidc_endpoint_url(url);
                }
                Arc::new(builder.build())
            }
        }
    }
}

/// Resolves the selected profile into a [`Plan`].
fn resolve(loaded: &LoadedProfiles) -> Result<Plan, CredentialsError> {
    let sources = loaded.describe_sources();
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let mut name = loaded.selected.clone();
    loop {
        let Some(profile) = loaded.profiles.get(&name) else {
            return Err(match visited.last() {
                None => CredentialsError::not_loaded(
                    PROVIDER,
                    format!("profile `{name}` not found (looked in {sources})"),
                ),
                Some(from) => invalid(format!(
                    "profile `{from}` names source_profile `{name}`, which does not exist (looked in {sources})"
                )),
            });
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(invalid(format!(
                "the source_profile chain has a cycle: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        let is_source = visited.len() > 1;
        if is_source && static_keys(profile)?.is_some() {
            roles.reverse();
            return Ok(Plan {
                base: Base::Static(static_keys(profile)?.expect("checked")),
                roles,
            });
        }
        let Some(role_arn) = profile.get("role_arn") else {
            roles.reverse();
            let base = leaf(loaded, profile, &sources)?;
            return Ok(Plan { base, roles });
        };
        if let Some(token_file) = profile.get("web_identity_token_file") {
            roles.reverse();
            let base = Base::WebIdentity {
                token_file: token_file.to_owned(),
                role_arn: role_arn.to_owned(),
                session_name: profile.get("role_session_name").map(str::to_owned),
            };
            return Ok(Plan { base, roles });
        }
        roles.push(role_of(profile, role_arn)?);
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "profile `{name}` sets both source_profile and credential_source; use one"
                )))
            }
            (Some(source), None) if source == name => {
                // A profile naming itself uses its own static keys.
                let Some(credentials) = static_keys(profile)? else {
                    return Err(invalid(format!(
                        "the source_profile chain has a cycle: {name} -> {name} (and `{name}` has no static keys)"
                    )));
                };
                roles.reverse();
                return Ok(Plan {
                    base: Base::Static(credentials),
                    roles,
                });
            }
            (Some(source), None) => name = source.to_owned(),
            (None, Some(source)) => {
                roles.reverse();
                let base = named_source(&name, source)?;
                return Ok(Plan { base, roles });
            }
            (None, None) => {
                return Err(invalid(format!(
                "profile `{name}` sets role_arn but neither source_profile nor credential_source"
            )))
            }
        }
    }
}

fn role_of(profile: &Profile, arn: &str) -> Result<Role, CredentialsError> {
    let duration_seconds = match profile.get("duration_seconds") {
        None => None,
        Some(text) => Some(text.trim().parse::<i32>().map_err(|_| {
            invalid(format!(
                "profile `{}`: duration_seconds `{text}` is not a whole number of seconds",
                profile.name()
            ))
        })?),
    };
    Ok(Role {
        arn: arn.to_owned(),
        external_id: profile.get("external_id").map(str::to_owned),
        session_name: profile.get("role_session_name").map(str::to_owned),
        duration_seconds,
    })
}

fn named_source(profile: &str, source: &str) -> Result<Base, CredentialsError> {
    match source {
        "Environment" => Ok(Base::Environment),
        "Ec2InstanceMetadata" => Ok(Base::Imds),
        "EcsContainer" => Ok(Base::Container),
        other => Err(invalid(format!(
            "profile `{profile}`: credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, EcsContainer"
        ))),
    }
}

/// The base of a profile without `role_arn`.
fn leaf(
    loaded: &LoadedProfiles,
    profile: &Profile,
    sources: &str,
) -> Result<Base, CredentialsError> {
    let name = profile.name();
    if profile.get("web_identity_token_file").is_some() {
        return Err(invalid(format!(
            "profile `{name}` sets web_identity_token_file but not role_arn"
        )));
    }
    if profile.get("sso_session").is_some() || profile.get("sso_start_url").is_some() {
        return sso_base(loaded, profile);
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Base::Process(command.to_owned()));
    }
    match static_keys(profile)? {
        Some(credentials) => Ok(Base::Static(credentials)),
        None => Err(CredentialsError::not_loaded(
            PROVIDER,
            format!(
                "profile `{name}` (from {sources}) has no credentials (no aws_access_key_id, role_arn, sso_session, sso_start_url, credential_process or web_identity_token_file)"
            ),
        )),
    }
}

fn sso_base(loaded: &LoadedProfiles, profile: &Profile) -> Result<Base, CredentialsError> {
    let name = profile.name();
    let required = |key: &str| {
        profile
            .get(key)
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("SSO profile `{name}` does not set {key}")))
    };
    let (account_id, role_name) = (required("sso_account_id")?, required("sso_role_name")?);
    let Some(session_name) = profile.get("sso_session") else {
        return Ok(Base::Sso {
            session_name: None,
            start_url: required("sso_start_url")?,
            region: required("sso_region")?,
            account_id,
            role_name,
        });
    };
    let session = loaded.profiles.section("sso-session", session_name).ok_or_else(|| {
        invalid(format!(
            "profile `{name}` names sso_session `{session_name}`, but there is no [sso-session {session_name}] section"
        ))
    })?;
    let setting = |key: &str| -> Result<String, CredentialsError> {
        let value = session
            .get(key)
            .ok_or_else(|| invalid(format!("[sso-session {session_name}] does not set {key}")))?;
        match profile.get(key) {
            Some(own) if own != value => Err(invalid(format!(
                "profile `{name}` sets {key} differently from its [sso-session {session_name}]"
            ))),
            _ => Ok(value.to_owned()),
        }
    };
    Ok(Base::Sso {
        session_name: Some(session_name.to_owned()),
        start_url: setting("sso_start_url")?,
        region: setting("sso_region")?,
        account_id,
        role_name,
    })
}

/// The profile's static keys, if it has both (one without the other is an error).
fn static_keys(profile: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    let name = profile.name();
    match (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(
            id,
            secret,
            profile.get("aws_session_token").map(str::to_owned),
            None,
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(invalid(format!(
            "profile `{name}` sets aws_access_key_id but not aws_secret_access_key"
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "profile `{name}` sets aws_secret_access_key but not aws_access_key_id"
        ))),
    }
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: PROVIDER.to_owned(),
        message,
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

/// Settings of a [`ProfileCredentialsProvider`].
#[derive(Debug, Default)]
pub struct ProfileCredentialsProviderBuilder {
    env: Option<Env>,
    fs: Option<Fs>,
    profile: Option<String>,
    settings: Settings,
}

impl ProfileCredentialsProviderBuilder {
    /// Reads `env` and `fs` instead of the real ones.
    pub fn env_and_fs(mut self, env: Env, fs: Fs) -> Self {
        self.env = Some(env);
        self.fs = Some(fs);
        self
    }

    /// Uses profile `name` regardless of `AWS_PROFILE`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sends STS calls (`role_arn`, web identity) here instead of the regional endpoint.
    pub fn sts_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.sts_endpoint = Some(url.into());
        self
    }

    /// Sends SSO portal calls here.
    pub fn sso_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.sso_endpoint = Some(url.into());
        self
    }

    /// Sends SSO OIDC (token refresh) calls here.
    pub fn sso_oidc_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.settings.oidc_endpoint = Some(url.into());
        self
    }

    /// Uses this IMDS endpoint for `credential_source = Ec2InstanceMetadata`.
    pub fn imds_endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings.imds_endpoint = Some(url.into());
        self
    }

    /// Sends STS and SSO calls through `client`.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.settings.http_client = Some(Arc::new(client));
        self
    }

    /// The provider.
    pub fn build(self) -> ProfileCredentialsProvider {
        let env = self.env.unwrap_or_else(Env::real);
        let fs = self.fs.unwrap_or_else(Fs::real);
        let mut files = ProfileFiles::new(env.clone(), fs.clone());
        if let Some(name) = self.profile {
            files = files.with_profile_name(name);
        }
        ProfileCredentialsProvider {
            files,
            env,
            fs,
            settings: self.settings,
        }
    }
}
