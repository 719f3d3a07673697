//! STS (awsQuery) against moto: the caller's identity, and temporary credentials from
//! AssumeRole and AssumeRoleWithWebIdentity with their expiry parsed to the microsecond.
#![cfg(reference_data)]

use moto_tests::clients::sts::Client;
use moto_tests::MotoServer;
use smithy_runtime::DateTime;

const SUITE: &str = "sts";
/// moto's account.
const ACCOUNT: &str = "123456789012";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

#[tokio::test]
async fn the_caller_is_identified() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let identity = client(&server)
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(identity.account(), Some(ACCOUNT));
    let arn = identity.arn().expect("an ARN");
    assert!(
        arn.starts_with(&format!("arn:aws:sts::{ACCOUNT}:")),
        "{arn}"
    );
    assert!(identity.user_id().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn assumed_roles_give_credentials_that_expire_when_asked() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/moto-tests-reader");
    let before = DateTime::now().as_secs_f64();
    let assumed = client
        .assume_role()
        .role_arn(&role)
        .role_session_name("rust-session")
        .duration_seconds(1800)
        .send()
        .await
        .expect("AssumeRole");
    let credentials = assumed.credentials().expect("credentials");
    assert!(
        credentials.access_key_id().starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(credentials.secret_access_key().len() >= 20);
    assert!(!credentials.session_token().is_empty());
    // The expiry (moto writes microseconds, `2026-12-01T15:19:32.709542Z`) is 1800 s after
    // the call, to within the call's own duration.
    let expires = credentials.expiration();
    assert_ne!(
        expires.subsec_nanos(),
        0,
        "the fraction is kept: {expires:?}"
    );
    let lifetime = expires.as_secs_f64() - before;
    assert!(
        (1799.0..=1802.0).contains(&lifetime),
        "lifetime {lifetime} s"
    );
    let user = assumed.assumed_role_user().expect("the assumed role user");
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/moto-tests-reader/rust-session")
    );

    let web = client
        .assume_role_with_web_identity()
        .role_arn(&role)
        .role_session_name("web-session")
        .web_identity_token("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
        .duration_seconds(900)
        .send()
        .await
        .expect("AssumeRoleWithWebIdentity");
    let credentials = web.credentials().expect("credentials");
    assert!(!credentials.session_token().is_empty());
    let lifetime = credentials.expiration().as_secs_f64() - before;
    assert!((899.0..=902.0).contains(&lifetime), "lifetime {lifetime} s");
    assert!(web
        .assumed_role_user()
        .is_some_and(|u| u.arn().ends_with("/moto-tests-reader/web-session")));
}
