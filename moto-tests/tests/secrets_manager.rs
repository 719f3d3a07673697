//! Secrets Manager (awsJson1_1) against moto: a secret's versions, a paginated listing, and a
//! deleted secret's modelled error.
#![cfg(reference_data)]

use moto_tests::clients::secrets_manager::operation::get_secret_value::GetSecretValueError;
use moto_tests::clients::secrets_manager::Client;
use moto_tests::MotoServer;
use smithy_runtime::Blob;

const SUITE: &str = "secrets_manager";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

#[tokio::test]
async fn a_secret_from_creation_to_deletion() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let created = client
        .create_secret()
        .name("moto-tests/db-password")
        .description("the database password")
        .secret_string("hunter2 \u{1f511}")
        .send()
        .await
        .expect("CreateSecret");
    assert_eq!(created.name(), Some("moto-tests/db-password"));
    let first_version = created.version_id().expect("a version ID").to_owned();

    let current = client
        .get_secret_value()
        .secret_id("moto-tests/db-password")
        .send()
        .await
        .expect("GetSecretValue");
    assert_eq!(current.secret_string(), Some("hunter2 \u{1f511}"));
    assert_eq!(current.version_id(), Some(first_version.as_str()));
    assert_eq!(current.version_stages(), ["AWSCURRENT"]);
    assert!(current.created_date().is_some(), "{current:?}");

    let put = client
        .put_secret_value()
        .secret_id("moto-tests/db-password")
        .secret_binary(Blob::new(vec![0u8, 1, 2, 3, 255]))
        .send()
        .await
        .expect("PutSecretValue");
    assert_ne!(put.version_id(), Some(first_version.as_str()));
    let binary = client
        .get_secret_value()
        .secret_id("moto-tests/db-password")
        .send()
        .await
        .expect("GetSecretValue of the new version");
    assert_eq!(
        binary.secret_binary().map(Blob::as_bytes),
        Some(&[0u8, 1, 2, 3, 255][..])
    );
    let previous = client
        .get_secret_value()
        .secret_id("moto-tests/db-password")
        .version_stage("AWSPREVIOUS")
        .send()
        .await
        .expect("GetSecretValue of AWSPREVIOUS");
    assert_eq!(previous.secret_string(), Some("hunter2 \u{1f511}"));

    client
        .delete_secret()
        .secret_id("moto-tests/db-password")
        .force_delete_without_recovery(true)
        .send()
        .await
        .expect("DeleteSecret");
    let error = client
        .get_secret_value()
        .secret_id("moto-tests/db-password")
        .send()
        .await
        .expect_err("the secret is gone");
    assert!(
        matches!(
            error.as_service_error(),
            Some(GetSecretValueError::ResourceNotFoundException(_))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn listing_secrets_pages_through_all_of_them() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    for i in 0..7 {
        client
            .create_secret()
            .name(format!("moto-tests/list/{i}"))
            .secret_string(format!("value {i}"))
            .send()
            .await
            .expect("CreateSecret");
    }
    let pages = client
        .list_secrets()
        .max_results(3)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListSecrets pages");
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let mut names: Vec<String> = pages
        .iter()
        .flat_map(|page| page.secret_list())
        .filter_map(|entry| entry.name().map(str::to_owned))
        .collect();
    names.sort();
    let expected: Vec<String> = (0..7).map(|i| format!("moto-tests/list/{i}")).collect();
    assert_eq!(names, expected);
}
