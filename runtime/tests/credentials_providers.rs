//! Credentials and region providers, run against fake environments and file systems (the
//! process environment and the real home directory are never touched).

use std::sync::Arc;

use smithy_runtime::credentials::{
    default_credentials_chain_with, Credentials, CredentialsError, CredentialsProviderChain,
    DefaultRegionChain, Env, EnvironmentCredentialsProvider, EnvironmentRegionProvider, Fs,
    ProfileCredentialsProvider, ProfileRegionProvider, ProvideCredentials, ProvideRegion, Region,
    RegionError, StaticCredentialsProvider,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "session-token-value";

fn env(vars: &[(&str, &str)]) -> Env {
    Env::from_vars(vars.iter().copied())
}

fn home_env(extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![("HOME", "/home/u")];
    vars.extend_from_slice(extra);
    env(&vars)
}

fn files(entries: &[(&str, &str)]) -> Fs {
    Fs::from_files(entries.iter().copied())
}

const CREDENTIALS_FILE: &str = "/home/u/.aws/credentials";
const CONFIG_FILE: &str = "/home/u/.aws/config";

// ---------------------------------------------------------------- Credentials

#[test]
fn debug_redacts_secret_and_token() {
    let credentials = Credentials::new("AKID", SECRET, Some(TOKEN.to_owned()), None);
    let debug = format!("{credentials:?}");
    assert!(debug.contains("AKID"), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    let pretty = format!("{credentials:#?}");
    assert!(!pretty.contains(SECRET) && !pretty.contains(TOKEN));
}

#[test]
fn expiry() {
    let at: smithy_runtime::DateTime = "2030-01-01T00:00:00Z".parse().expect("time");
    let credentials = Credentials::new("A", "S", None, Some(at));
    assert!(!credentials.is_expired_at("2029-12-31T23:59:59Z".parse().expect("time")));
    assert!(credentials.is_expired_at(at));
    assert!(!Credentials::from_keys("A", "S").is_expired_at(at));
}

#[tokio::test]
async fn static_provider() {
    let credentials = Credentials::from_keys("AKID", SECRET);
    let provider: Arc<dyn ProvideCredentials> =
        Arc::new(StaticCredentialsProvider::new(credentials.clone()));
    assert_eq!(
        provider.provide_credentials().await.expect("credentials"),
        credentials
    );
}

// ---------------------------------------------------------------- environment

#[tokio::test]
async fn environment_provider_reads_all_three_variables() {
    let provider = EnvironmentCredentialsProvider::with_env(env(&[
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]));
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "AKID");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
}

#[tokio::test]
async fn environment_provider_not_loaded_reasons() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[],
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        ),
        (
            &[("AWS_ACCESS_KEY_ID", "AKID")],
            "AWS_SECRET_ACCESS_KEY is not",
        ),
        (
            &[("AWS_SECRET_ACCESS_KEY", SECRET)],
            "AWS_ACCESS_KEY_ID is not",
        ),
        (
            &[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", " ")],
            "are not set",
        ),
    ];
    for (vars, expected) in cases {
        let error = EnvironmentCredentialsProvider::with_env(env(vars))
            .provide_credentials()
            .await
            .expect_err("no credentials");
        assert!(error.is_not_loaded());
        let message = error.to_string();
        assert!(message.starts_with("environment: "), "{message}");
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains(SECRET), "{message}");
    }
}

// ---------------------------------------------------------------- profile files

#[tokio::test]
async fn profile_provider_reads_default_profile_of_credentials_file() {
    let fs = files(&[(
        CREDENTIALS_FILE,
        "# comment\n[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRETKEY ; inline\n\
         aws_session_token=TOK\n[other]\naws_access_key_id=OTHER\naws_secret_access_key=X\n",
    )]);
    let provider = ProfileCredentialsProvider::with_env_and_fs(home_env(&[]), fs);
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "AKID");
    assert_eq!(credentials.secret_access_key(), "SECRETKEY");
    assert_eq!(credentials.session_token(), Some("TOK"));
}

#[tokio::test]
async fn profile_selection_by_variable_and_override() {
    let fs = files(&[(
        CREDENTIALS_FILE,
        "[default]\naws_access_key_id=D\naws_secret_access_key=DS\n\
         [dev]\naws_access_key_id=V\naws_secret_access_key=VS\n\
         [ops]\naws_access_key_id=O\naws_secret_access_key=OS\n",
    )]);
    let by_variable = ProfileCredentialsProvider::with_env_and_fs(
        home_env(&[("AWS_PROFILE", "dev")]),
        fs.clone(),
    );
    assert_eq!(
        by_variable
            .credentials()
            .await
            .expect("dev")
            .access_key_id(),
        "V"
    );
    let by_override =
        ProfileCredentialsProvider::with_env_and_fs(home_env(&[("AWS_PROFILE", "dev")]), fs)
            .with_profile_name("ops");
    assert_eq!(
        by_override
            .credentials()
            .await
            .expect("ops")
            .access_key_id(),
        "O"
    );
}

#[tokio::test]
async fn config_file_profiles_use_the_profile_prefix() {
    let fs = files(&[(
        CONFIG_FILE,
        "[default]\nregion = us-east-1\n[dev]\naws_access_key_id=WRONG\naws_secret_access_key=W\n\
         [profile dev]\naws_access_key_id = CFG\naws_secret_access_key = CS\n",
    )]);
    let provider =
        ProfileCredentialsProvider::with_env_and_fs(home_env(&[("AWS_PROFILE", "dev")]), fs);
    assert_eq!(
        provider.credentials().await.expect("dev").access_key_id(),
        "CFG"
    );
}

#[tokio::test]
async fn credentials_file_wins_over_config_file() {
    let fs = files(&[
        (
            CONFIG_FILE,
            "[default]\naws_access_key_id=CFG\naws_secret_access_key=CS\naws_session_token=CT\n",
        ),
        (
            CREDENTIALS_FILE,
            "[default]\naws_access_key_id=CRED\naws_secret_access_key=RS\n",
        ),
    ]);
    let credentials = ProfileCredentialsProvider::with_env_and_fs(home_env(&[]), fs)
        .credentials()
        .await
        .expect("credentials");
    assert_eq!(credentials.access_key_id(), "CRED");
    assert_eq!(credentials.secret_access_key(), "RS");
    // Properties are merged: the token only the config file sets still applies.
    assert_eq!(credentials.session_token(), Some("CT"));
}

#[tokio::test]
async fn file_locations_can_be_overridden() {
    let fs = files(&[
        (
            "/etc/aws/creds",
            "[default]\naws_access_key_id=OVR\naws_secret_access_key=S\n",
        ),
        ("/home/u/custom/config", "[default]\nregion = eu-west-3\n"),
    ]);
    let env = home_env(&[
        ("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds"),
        ("AWS_CONFIG_FILE", "~/custom/config"),
    ]);
    let credentials = ProfileCredentialsProvider::with_env_and_fs(env.clone(), fs.clone())
        .credentials()
        .await
        .expect("credentials");
    assert_eq!(credentials.access_key_id(), "OVR");
    let region = ProfileRegionProvider::with_env_and_fs(env, fs)
        .region()
        .await
        .expect("region");
    assert_eq!(region.as_str(), "eu-west-3");
}

#[tokio::test]
async fn missing_profile_names_profile_and_files() {
    let fs = files(&[(
        CREDENTIALS_FILE,
        "[default]\naws_access_key_id=A\naws_secret_access_key=S\n",
    )]);
    let error =
        ProfileCredentialsProvider::with_env_and_fs(home_env(&[("AWS_PROFILE", "nope")]), fs)
            .credentials()
            .await
            .expect_err("missing profile");
    assert!(error.is_not_loaded());
    assert_eq!(
        error.to_string(),
        "profile: profile `nope` not found (looked in /home/u/.aws/config (not found), /home/u/.aws/credentials)"
    );
}

#[tokio::test]
async fn no_home_and_no_overrides() {
    let error = ProfileCredentialsProvider::with_env_and_fs(env(&[]), files(&[]))
        .credentials()
        .await
        .expect_err("nothing");
    let message = error.to_string();
    assert!(
        message.contains("AWS_CONFIG_FILE and HOME unset"),
        "{message}"
    );
    assert!(
        message.contains("AWS_SHARED_CREDENTIALS_FILE and HOME unset"),
        "{message}"
    );
}

#[tokio::test]
async fn half_configured_profile_is_an_error_without_secrets() {
    let fs = files(&[(
        CREDENTIALS_FILE,
        "[default]\naws_secret_access_key = TOPSECRET\n",
    )]);
    let error = ProfileCredentialsProvider::with_env_and_fs(home_env(&[]), fs)
        .credentials()
        .await
        .expect_err("invalid");
    assert!(
        matches!(error, CredentialsError::InvalidConfiguration { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("sets aws_secret_access_key but not aws_access_key_id"),
        "{message}"
    );
    assert!(!message.contains("TOPSECRET") && !format!("{error:?}").contains("TOPSECRET"));
}

#[tokio::test]
async fn malformed_file_reports_line_without_contents() {
    let fs = files(&[(
        CREDENTIALS_FILE,
        "[default]\naws_access_key_id = A\nTOPSECRET\n",
    )]);
    let error = ProfileCredentialsProvider::with_env_and_fs(home_env(&[]), fs)
        .credentials()
        .await
        .expect_err("malformed");
    assert!(matches!(error, CredentialsError::ProfileFile(_)));
    assert_eq!(
        error.to_string(),
        "/home/u/.aws/credentials:3: expected `key = value`"
    );
}

// ---------------------------------------------------------------- chains

fn env_credentials() -> [(&'static str, &'static str); 3] {
    [
        ("HOME", "/home/u"),
        ("AWS_ACCESS_KEY_ID", "FROM_ENV"),
        ("AWS_SECRET_ACCESS_KEY", "ES"),
    ]
}

fn profile_credentials_fs() -> Fs {
    files(&[(
        CREDENTIALS_FILE,
        "[default]\naws_access_key_id=FROM_FILE\naws_secret_access_key=FS\n",
    )])
}

#[tokio::test]
async fn default_chain_prefers_environment_then_profile() {
    let chain = default_credentials_chain_with(env(&env_credentials()), profile_credentials_fs());
    assert_eq!(
        chain
            .provide_credentials()
            .await
            .expect("env")
            .access_key_id(),
        "FROM_ENV"
    );

    let chain = default_credentials_chain_with(home_env(&[]), profile_credentials_fs());
    assert_eq!(
        chain
            .provide_credentials()
            .await
            .expect("file")
            .access_key_id(),
        "FROM_FILE"
    );
}

#[tokio::test]
async fn default_chain_reports_every_provider_tried() {
    let chain: Arc<dyn ProvideCredentials> =
        Arc::new(default_credentials_chain_with(home_env(&[]), files(&[])));
    let error = chain
        .provide_credentials()
        .await
        .expect_err("no credentials");
    let CredentialsError::NoneFound { tried } = &error else {
        panic!("expected NoneFound, got {error:?}");
    };
    assert_eq!(tried.len(), 5);
    assert_eq!(
        error.to_string(),
        "no AWS credentials found; tried: \
         environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; \
         web identity token (STS AssumeRoleWithWebIdentity): AWS_WEB_IDENTITY_TOKEN_FILE is not set; \
         profile: profile `default` not found (looked in /home/u/.aws/config (not found), \
         /home/u/.aws/credentials (not found)); \
         container credentials (ECS/EKS): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and \
         AWS_CONTAINER_CREDENTIALS_FULL_URI are not set; \
         EC2 instance metadata (IMDS): IMDS is not contacted from a test environment \
         (Env::from_vars) unless it names an endpoint"
    );
}

#[tokio::test]
async fn chain_stops_at_a_misconfigured_provider() {
    let broken = files(&[(CREDENTIALS_FILE, "[default]\naws_access_key_id=A\n")]);
    let chain = CredentialsProviderChain::first_try(ProfileCredentialsProvider::with_env_and_fs(
        home_env(&[]),
        broken,
    ))
    .or_else(StaticCredentialsProvider::new(Credentials::from_keys(
        "FALLBACK", "S",
    )));
    let error = chain.provide_credentials().await.expect_err("stops");
    assert!(
        matches!(error, CredentialsError::InvalidConfiguration { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn nested_chains_flatten_their_reasons() {
    let inner = default_credentials_chain_with(home_env(&[]), files(&[]));
    let outer = CredentialsProviderChain::first_try(inner)
        .or_else(EnvironmentCredentialsProvider::with_env(env(&[])));
    match outer.provide_credentials().await {
        Err(CredentialsError::NoneFound { tried }) => assert_eq!(tried.len(), 6),
        other => panic!("unexpected {other:?}"),
    }
    let empty = CredentialsProviderChain::default()
        .provide_credentials()
        .await;
    assert_eq!(
        empty.expect_err("empty").to_string(),
        "no AWS credentials found; tried: no providers"
    );
}

#[test]
fn env_and_fs_debug_hide_values() {
    let debug = format!(
        "{:?} {:?}",
        env(&[("AWS_SECRET_ACCESS_KEY", "TOPSECRET")]),
        files(&[("/x", "TOPSECRET")])
    );
    assert!(
        debug.contains("AWS_SECRET_ACCESS_KEY") && debug.contains("/x"),
        "{debug}"
    );
    assert!(!debug.contains("TOPSECRET"), "{debug}");
}

// ---------------------------------------------------------------- region

fn region_chain(vars: &[(&str, &str)], fs: Fs) -> DefaultRegionChain {
    DefaultRegionChain::with_env_and_fs(home_env(vars), fs)
}

#[tokio::test]
async fn region_chain_order() {
    let fs = files(&[(
        CONFIG_FILE,
        "[default]\nregion = ap-south-1\n[profile dev]\nregion = sa-east-1\n",
    )]);
    let both = [
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
    ];

    let explicit = region_chain(&both, fs.clone()).with_explicit(Some(Region::new("us-west-2")));
    assert_eq!(explicit.resolve().expect("explicit").as_str(), "us-west-2");
    assert_eq!(
        region_chain(&both, fs.clone())
            .resolve()
            .expect("env")
            .as_str(),
        "eu-west-1"
    );
    let default_only = [("AWS_DEFAULT_REGION", "eu-west-2")];
    assert_eq!(
        region_chain(&default_only, fs.clone())
            .resolve()
            .expect("env")
            .as_str(),
        "eu-west-2"
    );
    assert_eq!(
        region_chain(&[], fs.clone())
            .resolve()
            .expect("profile")
            .as_str(),
        "ap-south-1"
    );
    let dev = region_chain(&[("AWS_PROFILE", "dev")], fs.clone());
    assert_eq!(dev.region().await.expect("dev").as_str(), "sa-east-1");
    let overridden = region_chain(&[("AWS_PROFILE", "dev")], fs).with_profile_name("default");
    assert_eq!(
        overridden.resolve().expect("override").as_str(),
        "ap-south-1"
    );
}

#[tokio::test]
async fn missing_region_says_what_was_tried() {
    let fs = files(&[(CONFIG_FILE, "[default]\noutput = json\n")]);
    let error = region_chain(&[], fs).region().await.expect_err("no region");
    assert!(matches!(error, RegionError::NotFound { .. }));
    assert_eq!(
        error.to_string(),
        "no AWS region found; tried: explicit region (not set); \
         AWS_REGION and AWS_DEFAULT_REGION (not set); \
         `region` of profile `default` (not set; looked in /home/u/.aws/config, /home/u/.aws/credentials (not found)); \
         IMDS region (IMDS is not contacted from a test environment (Env::from_vars) unless it names an endpoint); \
         set one explicitly, with AWS_REGION, or as `region` in the profile"
    );
}

#[tokio::test]
async fn single_region_providers() {
    let provider: Arc<dyn ProvideRegion> = Arc::new(EnvironmentRegionProvider::with_env(env(&[(
        "AWS_REGION",
        "us-east-2",
    )])));
    assert_eq!(
        provider.region().await.expect("env"),
        Region::from("us-east-2")
    );
    let missing = EnvironmentRegionProvider::with_env(env(&[])).region().await;
    assert!(missing
        .expect_err("missing")
        .to_string()
        .contains("AWS_REGION"));
    let explicit: Arc<dyn ProvideRegion> = Arc::new(Region::new("il-central-1"));
    assert_eq!(
        explicit.region().await.expect("explicit").to_string(),
        "il-central-1"
    );
    let broken = files(&[(CONFIG_FILE, "[default\n")]);
    let error = ProfileRegionProvider::with_env_and_fs(home_env(&[]), broken)
        .region()
        .await;
    assert!(matches!(error, Err(RegionError::ProfileFile(_))));
}
