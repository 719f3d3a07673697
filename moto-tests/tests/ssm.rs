//! SSM Parameter Store (awsJson1_1) against moto: parameters of each type, versions, a
//! paginated path listing, and a missing parameter's modelled error.
#![cfg(reference_data)]

use moto_tests::clients::ssm::operation::get_parameter::GetParameterError;
use moto_tests::clients::ssm::types::ParameterType;
use moto_tests::clients::ssm::Client;
use moto_tests::MotoServer;

const SUITE: &str = "ssm";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

async fn put(client: &Client, name: &str, value: &str, kind: ParameterType) -> i64 {
    client
        .put_parameter()
        .name(name)
        .value(value)
        .r#type(kind)
        .overwrite(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutParameter {name}: {e:?}"))
        .version
}

#[tokio::test]
async fn parameters_are_stored_versioned_listed_and_deleted() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    assert_eq!(
        put(
            &client,
            "/moto-tests/app/url",
            "https://example.com",
            ParameterType::String
        )
        .await,
        1
    );
    assert_eq!(
        put(
            &client,
            "/moto-tests/app/url",
            "https://example.org",
            ParameterType::String
        )
        .await,
        2
    );
    put(
        &client,
        "/moto-tests/app/hosts",
        "a,b,c",
        ParameterType::StringList,
    )
    .await;
    put(
        &client,
        "/moto-tests/app/token",
        "s3cr\u{e9}t",
        ParameterType::SecureString,
    )
    .await;
    for i in 0..6 {
        put(
            &client,
            &format!("/moto-tests/app/n/{i}"),
            &i.to_string(),
            ParameterType::String,
        )
        .await;
    }

    let got = client
        .get_parameter()
        .name("/moto-tests/app/url")
        .send()
        .await
        .expect("GetParameter");
    let parameter = got.parameter().expect("a parameter");
    assert_eq!(parameter.value(), Some("https://example.org"));
    assert_eq!(parameter.version, 2);
    assert_eq!(parameter.r#type(), Some(&ParameterType::String));

    let secret = client
        .get_parameter()
        .name("/moto-tests/app/token")
        .with_decryption(true)
        .send()
        .await
        .expect("GetParameter with decryption");
    assert_eq!(
        secret.parameter().and_then(|p| p.value()),
        Some("s3cr\u{e9}t")
    );

    let pages = client
        .get_parameters_by_path()
        .path("/moto-tests/app")
        .recursive(true)
        .max_results(4)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("GetParametersByPath pages");
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let mut names: Vec<&str> = pages
        .iter()
        .flat_map(|page| page.parameters())
        .filter_map(|p| p.name())
        .collect();
    names.sort_unstable();
    let mut expected = vec![
        "/moto-tests/app/hosts".to_owned(),
        "/moto-tests/app/token".to_owned(),
        "/moto-tests/app/url".to_owned(),
    ];
    expected.extend((0..6).map(|i| format!("/moto-tests/app/n/{i}")));
    expected.sort_unstable();
    assert_eq!(names, expected);

    client
        .delete_parameter()
        .name("/moto-tests/app/url")
        .send()
        .await
        .expect("DeleteParameter");
    let error = client
        .get_parameter()
        .name("/moto-tests/app/url")
        .send()
        .await
        .expect_err("the parameter is gone");
    assert!(
        matches!(
            error.as_service_error(),
            Some(GetParameterError::ParameterNotFound(_))
        ),
        "{error:?}"
    );
}
