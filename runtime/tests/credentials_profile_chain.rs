//! Profiles that assume roles: `source_profile` chains signed hop by hop against a local STS,
//! `credential_source`, cycles and other misconfigurations rejected with clear errors.

mod credentials_support;

use credentials_support::{Answer, Request, Server};
use smithy_runtime::credentials::{
    CredentialsError, Env, Fs, ProfileCredentialsProvider, ProvideCredentials,
};

/// A local STS answering AssumeRole with credentials named after the role
/// (`ASIA-<role name>`), recording who signed each call.
async fn sts() -> Server {
    Server::start(|request: &Request| {
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let field = |name: &str| {
            body.split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .map(percent_decode)
                .unwrap_or_default()
        };
        if field("Action") != "AssumeRole" {
            return Answer::new(400, "unexpected action");
        }
        let role = field("RoleArn");
        let name = role.rsplit('/').next().unwrap_or("").to_owned();
        let xml = format!(
            r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIA-{name}</AccessKeyId>
      <SecretAccessKey>secret-{name}</SecretAccessKey>
      <SessionToken>token-{name}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser><AssumedRoleId>AROA:{session}</AssumedRoleId><Arn>{role}</Arn></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#,
            session = field("RoleSessionName")
        );
        Answer::new(200, xml).header("content-type", "text/xml")
    })
    .await
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

fn provider(
    config: &str,
    profile: &str,
    vars: &[(&str, &str)],
    sts_url: Option<&str>,
) -> ProfileCredentialsProvider {
    let mut all = vec![
        ("HOME", "/h"),
        ("AWS_PROFILE", profile),
        ("AWS_REGION", "eu-west-1"),
    ];
    all.extend_from_slice(vars);
    let mut builder = ProfileCredentialsProvider::builder().env_and_fs(
        Env::from_vars(all),
        Fs::from_files([("/h/.aws/config", config.to_owned())]),
    );
    if let Some(url) = sts_url {
        builder = builder.sts_endpoint_url(url);
    }
    builder.build()
}

const CHAIN: &str = "\
[profile top]
role_arn = arn:aws:iam::111111111111:role/top
source_profile = middle
role_session_name = top-session
external_id = ext-123
duration_seconds = 1800

[profile middle]
role_arn = arn:aws:iam::111111111111:role/middle
source_profile = base

[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
";

#[tokio::test]
async fn a_source_profile_chain_is_assumed_hop_by_hop() {
    let server = sts().await;
    let credentials = provider(CHAIN, "top", &[], Some(&server.url))
        .provide_credentials()
        .await
        .expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIA-top");
    assert_eq!(credentials.session_token(), Some("token-top"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The first hop is signed with the base profile's keys, the second with the first hop's.
    let signer = |r: &Request| r.header("authorization").unwrap_or("").to_owned();
    assert!(
        signer(&requests[0]).contains("Credential=AKIDBASE/"),
        "{}",
        signer(&requests[0])
    );
    assert!(signer(&requests[0]).contains("/eu-west-1/sts/aws4_request"));
    assert!(
        signer(&requests[1]).contains("Credential=ASIA-middle/"),
        "{}",
        signer(&requests[1])
    );
    assert_eq!(
        requests[1].header("x-amz-security-token"),
        Some("token-middle")
    );
    let body = String::from_utf8_lossy(&requests[1].body).into_owned();
    for part in [
        "RoleSessionName=top-session",
        "ExternalId=ext-123",
        "DurationSeconds=1800",
        "Version=2011-06-15",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
}

#[tokio::test]
async fn a_profile_may_be_its_own_source_and_credential_source_works() {
    let server = sts().await;
    let config = "\
[profile self]
role_arn = arn:aws:iam::1:role/selfish
source_profile = self
aws_access_key_id = AKIDSELF
aws_secret_access_key = s

[profile fromenv]
role_arn = arn:aws:iam::1:role/envrole
credential_source = Environment
";
    let own = provider(config, "self", &[], Some(&server.url))
        .provide_credentials()
        .await
        .expect("self");
    assert_eq!(own.access_key_id(), "ASIA-selfish");
    let env_vars = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "e"),
    ];
    let from_env = provider(config, "fromenv", &env_vars, Some(&server.url))
        .provide_credentials()
        .await
        .expect("environment");
    assert_eq!(from_env.access_key_id(), "ASIA-envrole");
    let last = server.requests().pop().unwrap();
    assert!(last
        .header("authorization")
        .unwrap()
        .contains("Credential=AKIDENV/"));
}

async fn invalid(config: &str, profile: &str) -> String {
    let error = provider(config, profile, &[], None)
        .provide_credentials()
        .await
        .expect_err("misconfigured");
    assert!(
        matches!(error, CredentialsError::InvalidConfiguration { .. }),
        "{error:?}"
    );
    error.to_string()
}

#[tokio::test]
async fn cycles_and_misconfigurations_are_rejected_clearly() {
    let cycle = "\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = c
[profile c]
role_arn = arn:aws:iam::1:role/c
source_profile = a
";
    let message = invalid(cycle, "a").await;
    assert!(
        message.contains("the source_profile chain has a cycle: a -> b -> c -> a"),
        "{message}"
    );
    let self_without_keys = "[profile s]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = s\n";
    assert!(invalid(self_without_keys, "s")
        .await
        .contains("cycle: s -> s"));

    let missing = "[profile m]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = ghost\n";
    assert!(invalid(missing, "m")
        .await
        .contains("source_profile `ghost`, which does not exist"));

    let both = "[profile x]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = y\ncredential_source = Environment\n";
    assert!(invalid(both, "x")
        .await
        .contains("both source_profile and credential_source"));

    let neither = "[profile n]\nrole_arn = arn:aws:iam::1:role/n\n";
    assert!(invalid(neither, "n")
        .await
        .contains("neither source_profile nor credential_source"));

    let unknown = "[profile u]\nrole_arn = arn:aws:iam::1:role/u\ncredential_source = Somewhere\n";
    assert!(invalid(unknown, "u")
        .await
        .contains("credential_source `Somewhere` is not one of"));

    let duration = "[profile d]\nrole_arn = arn:aws:iam::1:role/d\ncredential_source = Environment\nduration_seconds = soon\n";
    assert!(invalid(duration, "d")
        .await
        .contains("duration_seconds `soon`"));

    let token_without_role = "[profile w]\nweb_identity_token_file = /t\n";
    assert!(invalid(token_without_role, "w")
        .await
        .contains("web_identity_token_file but not role_arn"));
}
