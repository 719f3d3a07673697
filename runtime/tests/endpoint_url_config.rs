//! Configured endpoint URLs (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
//! `endpoint_url` and `services` section, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`) and their
//! precedence, observed by which local server a request reaches.

mod pipeline_support;

use pipeline_support::{get_harvest_job, mediapackage, Reply, TestServer};
use smithy_runtime::client::{send_operation, Config, Operation, Service};
use smithy_runtime::credentials::{Env, Fs};
use smithy_runtime::http::RequestParts;

/// Five servers, one for each place a URL can come from.
struct Servers {
    explicit: TestServer,
    env_service: TestServer,
    env_global: TestServer,
    profile_service: TestServer,
    profile_global: TestServer,
}

impl Servers {
    async fn start() -> Servers {
        let ok = |_| Reply::json(200, "{}");
        Servers {
            explicit: TestServer::start(ok).await,
            env_service: TestServer::start(ok).await,
            env_global: TestServer::start(ok).await,
            profile_service: TestServer::start(ok).await,
            profile_global: TestServer::start(ok).await,
        }
    }

    /// Which server answered (by name), checking that exactly one request arrived in all.
    fn reached(&self) -> &'static str {
        let counts = [
            ("explicit", self.explicit.count()),
            ("env_service", self.env_service.count()),
            ("env_global", self.env_global.count()),
            ("profile_service", self.profile_service.count()),
            ("profile_global", self.profile_global.count()),
        ];
        let hit: Vec<_> = counts.iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(hit.len(), 1, "{counts:?}");
        assert_eq!(hit[0].1, 1, "{counts:?}");
        hit[0].0
    }

    /// A config file whose `dev` profile has a global URL and a `services` section with one
    /// for MediaPackage v2 (and one for another service, to show it is per service).
    fn config_file(&self, with_global: bool, with_service: bool) -> String {
        let mut text = String::from("[profile dev]\nregion = us-west-2\nservices = local\n");
        if with_global {
            text.push_str(&format!("endpoint_url = {}\n", self.profile_global.url));
        }
        text.push_str("[services local]\ndynamodb =\n  endpoint_url = http://127.0.0.1:1\n");
        if with_service {
            text.push_str(&format!(
                "mediapackagev2 =\n  endpoint_url = {}\n",
                self.profile_service.url
            ));
        }
        text
    }
}

const CONFIG_PATH: &str = "/home/u/.aws/config";

fn env_with(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![
        ("HOME", "/home/u"),
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
    ];
    all.extend_from_slice(vars);
    Env::from_vars(all.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

async fn load(env: Env, config_file: String) -> Config {
    Config::builder()
        .load_defaults_from(env, Fs::from_files([(CONFIG_PATH, config_file)]))
        .await
        .expect("settings load")
        .build()
        .expect("a configuration")
}

#[tokio::test]
async fn the_service_specific_variable_beats_everything_but_the_builder() {
    let s = Servers::start().await;
    let vars = [
        (
            "AWS_ENDPOINT_URL_MEDIAPACKAGEV2",
            s.env_service.url.as_str(),
        ),
        ("AWS_ENDPOINT_URL", s.env_global.url.as_str()),
    ];
    let config = load(env_with(&vars), s.config_file(true, true)).await;
    get_harvest_job(&config).await.unwrap();
    assert_eq!(s.reached(), "env_service");
    // The profile's region still applies: the request was signed for us-west-2.
    let request = &s.env_service.requests()[0];
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("/us-west-2/mediapackagev2/"));

    let explicit = Config::builder()
        .endpoint_url(&s.explicit.url)
        .load_defaults_from(
            env_with(&vars),
            Fs::from_files([(CONFIG_PATH, s.config_file(true, true))]),
        )
        .await
        .unwrap()
        .build()
        .unwrap();
    get_harvest_job(&explicit).await.unwrap();
    assert_eq!(s.explicit.count(), 1, "the builder's URL wins");
}

#[tokio::test]
async fn the_global_variable_beats_the_profile() {
    let s = Servers::start().await;
    let vars = [("AWS_ENDPOINT_URL", s.env_global.url.as_str())];
    let config = load(env_with(&vars), s.config_file(true, true)).await;
    get_harvest_job(&config).await.unwrap();
    assert_eq!(s.reached(), "env_global");
}

#[tokio::test]
async fn the_profile_services_section_beats_the_profile_url() {
    let s = Servers::start().await;
    let config = load(env_with(&[]), s.config_file(true, true)).await;
    assert_eq!(
        config.endpoint_url_for(&mediapackage()).as_deref(),
        Some(s.profile_service.url.as_str())
    );
    assert_eq!(config.endpoint_url(), None, "nothing set on the builder");
    get_harvest_job(&config).await.unwrap();
    assert_eq!(s.reached(), "profile_service");
}

#[tokio::test]
async fn the_profile_url_serves_services_without_their_own() {
    let s = Servers::start().await;
    let config = load(env_with(&[]), s.config_file(true, false)).await;
    get_harvest_job(&config).await.unwrap();
    assert_eq!(s.reached(), "profile_global");
}

#[tokio::test]
async fn ignoring_configured_urls_leaves_the_endpoint_rules_and_the_builder() {
    let s = Servers::start().await;
    let vars = [
        (
            "AWS_ENDPOINT_URL_MEDIAPACKAGEV2",
            s.env_service.url.as_str(),
        ),
        ("AWS_ENDPOINT_URL", s.env_global.url.as_str()),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
    ];
    let config = load(env_with(&vars), s.config_file(true, true)).await;
    assert_eq!(config.endpoint_url_for(&mediapackage()), None);

    // The profile's own flag counts too...
    let file = format!(
        "{}[profile dev]\nignore_configured_endpoint_urls = true\n",
        s.config_file(true, true)
    );
    let config = load(env_with(&[]), file.clone()).await;
    assert_eq!(config.endpoint_url_for(&mediapackage()), None);
    // ...unless the environment says otherwise.
    let vars = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")];
    let config = load(env_with(&vars), file).await;
    assert_eq!(
        config.endpoint_url_for(&mediapackage()).as_deref(),
        Some(s.profile_service.url.as_str())
    );

    // The builder's URL is not "configured": it is always used.
    let vars = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
    let config = Config::builder()
        .endpoint_url(&s.explicit.url)
        .load_defaults_from(
            env_with(&vars),
            Fs::from_files([(CONFIG_PATH, s.config_file(true, true))]),
        )
        .await
        .unwrap()
        .build()
        .unwrap();
    get_harvest_job(&config).await.unwrap();
    assert_eq!(s.reached(), "explicit");
}

#[tokio::test]
async fn a_bad_ignore_flag_is_an_error_naming_it() {
    let error = Config::builder()
        .load_defaults_from(
            env_with(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes")]),
            Fs::from_files([(CONFIG_PATH, String::new())]),
        )
        .await
        .err()
        .expect("an error");
    let message = error.to_string();
    assert!(
        message.contains("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") && message.contains("`yes`"),
        "{message}"
    );
    let error = Config::builder()
        .load_defaults_from(
            env_with(&[]),
            Fs::from_files([(
                CONFIG_PATH,
                "[profile dev]\nignore_configured_endpoint_urls = maybe\n".to_owned(),
            )]),
        )
        .await
        .err()
        .expect("an error");
    let message = error.to_string();
    assert!(
        message.contains("ignore_configured_endpoint_urls") && message.contains("profile `dev`"),
        "{message}"
    );
}

/// A rule-less service whose SDK id has a space: its variable is
/// `AWS_ENDPOINT_URL_API_GATEWAY`, its `services` key `api_gateway`.
fn api_gateway() -> Service {
    Service {
        sdk_id: "API Gateway",
        api_version: "2015-07-09",
        signing_name: None,
        endpoint_rules: None,
    }
}

const GET_RESTAPIS: Operation = Operation {
    name: "GetRestApis",
    retryable_errors: &[],
};

async fn get_restapis(config: &Config) {
    let mut parts = RequestParts::new("GET");
    parts.push_path("/restapis");
    send_operation(config, &api_gateway(), &GET_RESTAPIS, Ok(parts))
        .await
        .expect("sent");
}

#[tokio::test]
async fn names_with_spaces_become_underscores() {
    let s = Servers::start().await;
    let vars = [("AWS_ENDPOINT_URL_API_GATEWAY", s.env_service.url.as_str())];
    let config = load(env_with(&vars), s.config_file(false, false)).await;
    get_restapis(&config).await;
    assert_eq!(s.reached(), "env_service");
    assert_eq!(s.env_service.requests()[0].path_and_query, "/restapis");

    let s = Servers::start().await;
    let file = format!(
        "[profile dev]\nservices = gw\n[services gw]\napi_gateway =\n  endpoint_url = {}\n",
        s.profile_service.url
    );
    let config = load(env_with(&[]), file).await;
    get_restapis(&config).await;
    assert_eq!(s.reached(), "profile_service");
    // MediaPackage v2 has no URL in that section (nor anywhere): its rules would decide.
    assert_eq!(config.endpoint_url_for(&mediapackage()), None);
}
