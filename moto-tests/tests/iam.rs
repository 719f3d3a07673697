//! IAM (awsQuery) against moto: users created with tags, read back, listed over several pages
//! (moto does not cut ListUsers into pages; ListPolicies shows the `Marker` / `IsTruncated`
//! paginator over several), and `NoSuchEntity` as the modelled error.
#![cfg(reference_data)]

use moto_tests::clients::iam::operation::get_user::GetUserError;
use moto_tests::clients::iam::types::{PolicyScopeType, Tag};
use moto_tests::clients::iam::Client;
use moto_tests::MotoServer;

const SUITE: &str = "iam";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("a complete tag")
}

#[tokio::test]
async fn users_are_created_read_and_listed_page_by_page() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let created = client
        .create_user()
        .user_name("alice")
        .path("/engineering/")
        .tags(tag("team", "storage"))
        .tags(tag("cost-center", "42"))
        .send()
        .await
        .expect("CreateUser");
    let user = created.user().expect("the user");
    assert_eq!(user.user_name(), "alice");
    assert_eq!(user.path(), "/engineering/");
    assert!(user.arn().ends_with(":user/engineering/alice"), "{user:?}");

    let read = client
        .get_user()
        .user_name("alice")
        .send()
        .await
        .expect("GetUser");
    let read = read.user().expect("the user");
    assert_eq!(read.user_id(), user.user_id());
    assert_eq!(read.create_date(), user.create_date());
    let tags = client
        .list_user_tags()
        .user_name("alice")
        .send()
        .await
        .expect("ListUserTags");
    let mut pairs: Vec<(&str, &str)> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    pairs.sort();
    assert_eq!(pairs, [("cost-center", "42"), ("team", "storage")]);

    for n in 0..6 {
        client
            .create_user()
            .user_name(format!("user-{n}"))
            .send()
            .await
            .expect("CreateUser");
    }
    // moto ignores `MaxItems` on ListUsers (README, "Behaviour against moto"): one page of all
    // seven, not truncated. The paginator still reads `IsTruncated` and stops.
    let pages = client
        .list_users()
        .max_items(3)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListUsers pages");
    assert_eq!(pages.len(), 1);
    assert!(!pages[0].is_truncated());
    let mut names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.users())
        .map(|u| u.user_name().to_string())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (0..6).map(|n| format!("user-{n}")).collect();
    expected.insert(0, "alice".into());
    assert_eq!(names, expected);
}

/// The `Marker` / `IsTruncated` paginator over pages moto does cut: ListPolicies.
#[tokio::test]
async fn policies_are_listed_over_several_pages() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    for n in 0..7 {
        client
            .create_policy()
            .policy_name(format!("policy-{n}"))
            .policy_document(document)
            .send()
            .await
            .expect("CreatePolicy");
    }
    let pages = client
        .list_policies()
        .scope(PolicyScopeType::Local)
        .max_items(3)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListPolicies pages");
    let sizes: Vec<usize> = pages.iter().map(|p| p.policies().len()).collect();
    assert_eq!(sizes, [3, 3, 1], "policies per page");
    assert!(pages[0].is_truncated() && pages[0].marker().is_some());
    assert!(!pages[2].is_truncated());
    let mut names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.policies())
        .filter_map(|p| p.policy_name())
        .collect();
    names.sort();
    let expected: Vec<String> = (0..7).map(|n| format!("policy-{n}")).collect();
    assert_eq!(
        names,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_missing_user_is_no_such_entity() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let error = client(&server)
        .get_user()
        .user_name("nobody")
        .send()
        .await
        .expect_err("no such user");
    let Some(GetUserError::NoSuchEntityException(missing)) = error.as_service_error() else {
        panic!("expected NoSuchEntity, got {error:?}");
    };
    assert_eq!(missing.meta().code.as_deref(), Some("NoSuchEntity"));
    assert_eq!(missing.meta().status, 404);
    assert!(
        missing.message().is_some_and(|m| m.contains("nobody")),
        "{missing:?}"
    );
}
