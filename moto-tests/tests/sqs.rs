//! SQS (awsJson1_0 with `@awsQueryCompatible`) against moto: a message's round trip with its
//! attributes, and a missing queue giving the modelled `QueueDoesNotExist` error.
#![cfg(reference_data)]

use moto_tests::clients::sqs::operation::get_queue_url::GetQueueUrlError;
use moto_tests::clients::sqs::types::{
    MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName,
};
use moto_tests::clients::sqs::Client;
use moto_tests::MotoServer;
use smithy_runtime::Blob;

const SUITE: &str = "sqs";
/// The body sent, and its MD5 (`hashlib.md5(b"Hello from Rust").hexdigest()`), which SQS
/// computes on its side and returns.
const BODY: &str = "Hello from Rust";
const BODY_MD5: &str = "10c4b34721f44f4db3ee50fdd452d0c7";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

#[tokio::test]
async fn a_message_goes_round_trip_with_its_attributes() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let created = client
        .create_queue()
        .queue_name("moto-tests-orders")
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .expect("CreateQueue");
    let created_url = created.queue_url().expect("a queue URL").to_owned();
    let queue_url = client
        .get_queue_url()
        .queue_name("moto-tests-orders")
        .send()
        .await
        .expect("GetQueueUrl")
        .queue_url
        .expect("a queue URL");
    assert_eq!(queue_url, created_url);
    assert!(queue_url.ends_with("/moto-tests-orders"), "{queue_url}");

    let text = MessageAttributeValue::builder()
        .data_type("String")
        .string_value("caf\u{e9} \u{2615}")
        .build()
        .expect("a string attribute");
    let number = MessageAttributeValue::builder()
        .data_type("Number")
        .string_value("42")
        .build()
        .expect("a number attribute");
    let binary = MessageAttributeValue::builder()
        .data_type("Binary")
        .binary_value(Blob::new(vec![0u8, 159, 255]))
        .build()
        .expect("a binary attribute");
    let sent = client
        .send_message()
        .queue_url(&queue_url)
        .message_body(BODY)
        .message_attributes("text", text.clone())
        .message_attributes("count", number.clone())
        .message_attributes("raw", binary.clone())
        .send()
        .await
        .expect("SendMessage");
    assert_eq!(sent.md5_of_message_body(), Some(BODY_MD5));
    let message_id = sent.message_id().expect("a message ID").to_owned();

    let received = client
        .receive_message()
        .queue_url(&queue_url)
        .max_number_of_messages(10)
        // Long polling, as a real consumer does (SQS may answer an instant poll empty); moto
        // has the message at once and answers immediately.
        .wait_time_seconds(5)
        .message_attribute_names("All")
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .expect("ReceiveMessage");
    let [message] = received.messages() else {
        panic!("expected one message: {received:?}");
    };
    assert_eq!(message.message_id(), Some(message_id.as_str()));
    assert_eq!(message.body(), Some(BODY));
    assert_eq!(message.md5_of_body(), Some(BODY_MD5));
    let attributes = message.message_attributes().expect("message attributes");
    assert_eq!(attributes.get("text"), Some(&text));
    assert_eq!(attributes.get("count"), Some(&number));
    assert_eq!(attributes.get("raw"), Some(&binary));
    let system = message.attributes().expect("system attributes");
    assert_eq!(
        system
            .get(&MessageSystemAttributeName::ApproximateReceiveCount)
            .map(String::as_str),
        Some("1")
    );

    client
        .delete_message()
        .queue_url(&queue_url)
        .receipt_handle(message.receipt_handle().expect("a receipt handle"))
        .send()
        .await
        .expect("DeleteMessage");
    let after = client
        .receive_message()
        .queue_url(&queue_url)
        .send()
        .await
        .expect("ReceiveMessage after delete");
    assert!(after.messages().is_empty(), "{after:?}");
}

#[tokio::test]
async fn a_missing_queue_is_the_modelled_query_compatible_error() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let error = client(&server)
        .get_queue_url()
        .queue_name("moto-tests-no-such-queue")
        .send()
        .await
        .expect_err("no such queue");
    let Some(GetQueueUrlError::QueueDoesNotExist(missing)) = error.as_service_error() else {
        panic!("expected QueueDoesNotExist, got {error:?}");
    };
    // `@awsQueryCompatible`: the awsQuery code from `x-amzn-query-error` is the error's code,
    // so code written against the query protocol's codes keeps working.
    assert_eq!(
        missing.meta().code.as_deref(),
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );
    assert_eq!(missing.meta().status, 400);
}
