//! SNS (awsQuery) against moto: a topic, a subscription, a message published with attributes
//! (a map of structures on the wire), and the ListTopics paginator over several pages.
#![cfg(reference_data)]

use moto_tests::clients::sns::operation::publish::PublishError;
use moto_tests::clients::sns::types::MessageAttributeValue;
use moto_tests::clients::sns::Client;
use moto_tests::MotoServer;
use smithy_runtime::Blob;

const SUITE: &str = "sns";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

fn attribute(data_type: &str, value: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type(data_type)
        .string_value(value)
        .build()
        .expect("a complete attribute")
}

#[tokio::test]
async fn a_message_is_published_with_attributes_to_a_subscribed_topic() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let topic = client
        .create_topic()
        .name("moto-tests-orders")
        .attributes("DisplayName", "Orders")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn
        .expect("a topic ARN");
    assert!(topic.ends_with(":moto-tests-orders"), "{topic}");
    let subscription = client
        .subscribe()
        .topic_arn(&topic)
        .protocol("email")
        .endpoint("orders@example.com")
        .return_subscription_arn(true)
        .send()
        .await
        .expect("Subscribe")
        .subscription_arn
        .expect("a subscription ARN");
    assert!(subscription.starts_with(&topic), "{subscription}");
    let listed = client
        .list_subscriptions_by_topic()
        .topic_arn(&topic)
        .send()
        .await
        .expect("ListSubscriptionsByTopic");
    let endpoints: Vec<&str> = listed
        .subscriptions()
        .iter()
        .filter_map(|s| s.endpoint())
        .collect();
    assert_eq!(endpoints, ["orders@example.com"]);

    let binary = MessageAttributeValue::builder()
        .data_type("Binary")
        .binary_value(Blob::new(vec![0u8, 1, 254, 255]))
        .build()
        .expect("a binary attribute");
    let published = client
        .publish()
        .topic_arn(&topic)
        .subject("New order")
        .message("order 17: caf\u{e9} & cr\u{e8}me")
        .message_attributes("customer", attribute("String", "ACME & Sons"))
        .message_attributes("quantity", attribute("Number", "3"))
        .message_attributes("signature", binary)
        .send()
        .await
        .expect("Publish");
    assert!(published.message_id().is_some_and(|id| !id.is_empty()));

    // An attribute moto must reject proves the map reached it: a Number that is no number.
    let rejected = client
        .publish()
        .topic_arn(&topic)
        .message("bad")
        .message_attributes("quantity", attribute("Number", "three"))
        .send()
        .await
        .expect_err("a Number attribute that is not a number");
    // SNS says `ParameterValueInvalid` (InvalidParameterValueException); moto sends the code
    // `InvalidParameter`, the modelled InvalidParameterException, with SNS's text inside its
    // message (README, "Behaviour against moto").
    let Some(PublishError::InvalidParameterException(invalid)) = rejected.as_service_error() else {
        panic!("expected InvalidParameter, got {rejected:?}");
    };
    assert_eq!(invalid.meta().status, 400);
    assert!(
        invalid
            .message()
            .is_some_and(|m| m.contains("Could not cast message attribute 'quantity'")),
        "{invalid:?}"
    );
}

#[tokio::test]
async fn topics_are_listed_over_several_pages() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    // SNS (and moto) return 100 topics a page.
    for n in 0..120 {
        client
            .create_topic()
            .name(format!("topic-{n:03}"))
            .send()
            .await
            .expect("CreateTopic");
    }
    let pages = client
        .list_topics()
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("ListTopics pages");
    let sizes: Vec<usize> = pages.iter().map(|p| p.topics().len()).collect();
    assert_eq!(sizes, [100, 20], "topics per page");
    let mut names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.topics())
        .filter_map(|t| t.topic_arn())
        .map(|arn| arn.rsplit(':').next().unwrap_or(arn).to_string())
        .collect();
    names.sort();
    let expected: Vec<String> = (0..120).map(|n| format!("topic-{n:03}")).collect();
    assert_eq!(names, expected);
}
