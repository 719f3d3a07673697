//! CloudWatch Logs (awsJson1_1) against moto: events written with PutLogEvents, read back in
//! order with the GetLogEvents paginator.
#![cfg(reference_data)]

use moto_tests::clients::cloudwatch_logs::operation::create_log_group::CreateLogGroupError;
use moto_tests::clients::cloudwatch_logs::types::InputLogEvent;
use moto_tests::clients::cloudwatch_logs::Client;
use moto_tests::MotoServer;

const SUITE: &str = "cloudwatch_logs";
const GROUP: &str = "/moto-tests/app";
const STREAM: &str = "instance-1";
const EVENTS: i64 = 25;

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

/// Milliseconds since the epoch, now: CloudWatch Logs rejects events far in the past.
fn now_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_millis()).expect("milliseconds fit in i64")
}

#[tokio::test]
async fn events_written_are_read_back_in_pages() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    client
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .expect("CreateLogGroup");
    client
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .send()
        .await
        .expect("CreateLogStream");

    let start = now_millis();
    let mut put = client
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM);
    for i in 0..EVENTS {
        let event = InputLogEvent::builder()
            .timestamp(start + i)
            .message(format!("event {i:02}: \"quoted\" \u{e9}"))
            .build()
            .expect("a log event");
        put = put.log_events(event);
    }
    put.send().await.expect("PutLogEvents");

    // Real CloudWatch Logs makes events readable a moment after PutLogEvents; moto at once,
    // so this reads straight away. GetLogEvents's token never runs out: at the end it returns the token it was given, and
    // the paginator stops there.
    let pages = client
        .get_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .start_from_head(true)
        .limit(10)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("GetLogEvents pages");
    let sizes: Vec<usize> = pages.iter().map(|page| page.events().len()).collect();
    assert!(sizes.len() >= 3, "page sizes {sizes:?}");
    let events: Vec<_> = pages.iter().flat_map(|page| page.events()).collect();
    assert_eq!(events.len(), EVENTS as usize, "page sizes {sizes:?}");
    for (i, event) in (0..EVENTS).zip(&events) {
        assert_eq!(event.timestamp(), Some(start + i));
        assert_eq!(
            event.message(),
            Some(format!("event {i:02}: \"quoted\" \u{e9}").as_str())
        );
    }

    let error = client
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .expect_err("the group exists");
    assert!(
        matches!(
            error.as_service_error(),
            Some(CreateLogGroupError::ResourceAlreadyExistsException(_))
        ),
        "{error:?}"
    );
}
