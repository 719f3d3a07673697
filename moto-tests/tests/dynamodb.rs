//! DynamoDB (awsJson1_0) against moto: a table's whole life, items with every kind of
//! attribute value, a paginated Query, expressions, and a modelled conditional-check error.
#![cfg(reference_data)]

use moto_tests::clients::dynamodb::operation::describe_table::DescribeTableError;
use moto_tests::clients::dynamodb::operation::put_item::PutItemError;
use moto_tests::clients::dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ReturnValue,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableStatus,
};
use moto_tests::clients::dynamodb::{Client, SdkError};
use moto_tests::MotoServer;
use smithy_runtime::Blob;
use std::collections::HashMap;
use std::time::Duration;

const SUITE: &str = "dynamodb";
const TABLE: &str = "moto-tests-music";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn n(number: &str) -> AttributeValue {
    AttributeValue::N(number.to_owned())
}

/// A table keyed by `artist` (hash) and `song` (range).
async fn create_table(client: &Client) {
    let key = |name: &str, key_type| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(key_type)
            .build()
            .expect("key schema element")
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("attribute definition")
    };
    let created = client
        .create_table()
        .table_name(TABLE)
        .key_schema(key("artist", KeyType::Hash))
        .key_schema(key("song", KeyType::Range))
        .attribute_definitions(attribute("artist"))
        .attribute_definitions(attribute("song"))
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");
    let description = created.table_description().expect("a table description");
    assert_eq!(description.table_name(), Some(TABLE));
    assert_eq!(description.key_schema().len(), 2);
}

/// One item holding every kind of attribute value the union has.
fn item_of_every_kind() -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("artist".to_owned(), s("No One You Know")),
        ("song".to_owned(), s("Call Me Today")),
        ("plays".to_owned(), n("1234567890123456789")),
        ("rating".to_owned(), n("-4.75")),
        (
            "cover".to_owned(),
            AttributeValue::B(Blob::new(vec![0u8, 1, 2, 254, 255, b'{', b'"'])),
        ),
        (
            "genres".to_owned(),
            AttributeValue::Ss(vec!["jazz".to_owned(), "rock".to_owned()]),
        ),
        (
            "years".to_owned(),
            AttributeValue::Ns(vec!["1999".to_owned(), "2024".to_owned()]),
        ),
        (
            "thumbnails".to_owned(),
            AttributeValue::Bs(vec![Blob::new(vec![7u8; 3]), Blob::new(vec![9u8])]),
        ),
        (
            "tracks".to_owned(),
            AttributeValue::L(vec![s("intro"), n("2"), AttributeValue::Bool(false)]),
        ),
        (
            "details".to_owned(),
            AttributeValue::M(HashMap::from([
                ("label".to_owned(), s("Indie \u{e9}\u{1f3b5}")),
                (
                    "nested".to_owned(),
                    AttributeValue::L(vec![AttributeValue::Null(true)]),
                ),
            ])),
        ),
        ("explicit".to_owned(), AttributeValue::Bool(true)),
        ("removed".to_owned(), AttributeValue::Null(true)),
        ("tags".to_owned(), AttributeValue::L(vec![s("first")])),
    ])
}

/// Sets come back in any order; everything else must be identical.
fn sorted_sets(mut item: HashMap<String, AttributeValue>) -> HashMap<String, AttributeValue> {
    for value in item.values_mut() {
        match value {
            AttributeValue::Ss(values) | AttributeValue::Ns(values) => values.sort(),
            AttributeValue::Bs(values) => values.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes())),
            _ => {}
        }
    }
    item
}

fn key(artist: &str, song: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("artist".to_owned(), s(artist)),
        ("song".to_owned(), s(song)),
    ])
}

#[tokio::test]
async fn a_table_from_creation_to_deletion() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    create_table(&client).await;

    // Real DynamoDB creates tables asynchronously (CREATING, then ACTIVE); moto makes them
    // ACTIVE at once. The model's TableExists waiter covers both: with moto its first poll
    // (sent at once) already matches.
    let ready = client
        .wait_until_table_exists()
        .table_name(TABLE)
        .wait(Duration::from_secs(120))
        .await
        .expect("TableExists");
    assert_eq!(ready.attempts(), 1);
    let described = client
        .describe_table()
        .table_name(TABLE)
        .send()
        .await
        .expect("DescribeTable");
    let table = described.table().expect("a table");
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(table.item_count(), Some(0));

    put_and_get_every_kind_of_value(&client).await;
    query_pages_through_many_items(&client).await;
    update_with_expressions(&client).await;
    conditional_put_fails_with_the_modelled_error(&client).await;

    client
        .delete_table()
        .table_name(TABLE)
        .send()
        .await
        .expect("DeleteTable");
    client
        .wait_until_table_not_exists()
        .table_name(TABLE)
        .wait(Duration::from_secs(120))
        .await
        .expect("TableNotExists");
    let error = client
        .describe_table()
        .table_name(TABLE)
        .send()
        .await
        .expect_err("the table is gone");
    assert!(
        matches!(
            &error,
            SdkError::Service(DescribeTableError::ResourceNotFoundException(_))
        ),
        "{error:?}"
    );
}

async fn put_and_get_every_kind_of_value(client: &Client) {
    let item = item_of_every_kind();
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(item.clone()))
        .send()
        .await
        .expect("PutItem");
    let got = client
        .get_item()
        .table_name(TABLE)
        .set_key(Some(key("No One You Know", "Call Me Today")))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    let got = got.item.expect("the item");
    assert_eq!(sorted_sets(got), sorted_sets(item));
}

/// 25 songs of one artist, read 10 per page: three pages, every song once, in key order.
async fn query_pages_through_many_items(client: &Client) {
    for i in 0..25 {
        client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(key("Paging Band", &format!("song {i:02}"))))
            .item("index", n(&i.to_string()))
            .send()
            .await
            .expect("PutItem");
    }
    let query = client
        .query()
        .table_name(TABLE)
        .key_condition_expression("artist = :artist")
        .expression_attribute_values(":artist", s("Paging Band"))
        .limit(10);
    let pages = query
        .clone()
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("Query pages");
    let sizes: Vec<usize> = pages.iter().map(|page| page.items().len()).collect();
    assert!(sizes.len() >= 3, "page sizes {sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 25, "page sizes {sizes:?}");
    let items = query
        .into_paginator()
        .send()
        .items()
        .collect()
        .await
        .expect("Query items");
    let songs: Vec<&AttributeValue> = items.iter().map(|item| &item["song"]).collect();
    let expected: Vec<AttributeValue> = (0..25).map(|i| s(&format!("song {i:02}"))).collect();
    assert_eq!(songs, expected.iter().collect::<Vec<_>>());
}

async fn update_with_expressions(client: &Client) {
    let updated = client
        .update_item()
        .table_name(TABLE)
        .set_key(Some(key("No One You Know", "Call Me Today")))
        .update_expression(
            "SET #plays = #plays + :more, tags = list_append(tags, :new) REMOVE removed",
        )
        .expression_attribute_names("#plays", "plays")
        .expression_attribute_values(":more", n("10"))
        .expression_attribute_values(":new", AttributeValue::L(vec![s("second")]))
        .return_values(ReturnValue::AllNew)
        .send()
        .await
        .expect("UpdateItem");
    let attributes = updated.attributes.expect("the new item");
    assert_eq!(attributes["plays"], n("1234567890123456799"));
    assert_eq!(
        attributes["tags"],
        AttributeValue::L(vec![s("first"), s("second")])
    );
    assert!(!attributes.contains_key("removed"));
}

async fn conditional_put_fails_with_the_modelled_error(client: &Client) {
    let error = client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(key("No One You Know", "Call Me Today")))
        .condition_expression("attribute_not_exists(artist)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .expect_err("the item exists");
    let Some(PutItemError::ConditionalCheckFailedException(failed)) = error.as_service_error()
    else {
        panic!("expected ConditionalCheckFailedException, got {error:?}");
    };
    assert_eq!(failed.meta().status, 400);
    assert!(
        failed.message().is_some_and(|m| !m.is_empty()),
        "{failed:?}"
    );
    // The error carries the item that failed the condition, as asked.
    let item = failed.item().expect("the item that failed the condition");
    assert_eq!(item["explicit"], AttributeValue::Bool(true));
}
