//! CloudFormation (awsQuery) against moto: a stack created from a template with a parameter,
//! described with its parameters, outputs and tags, then deleted.
#![cfg(reference_data)]

use moto_tests::clients::cloudformation::types::{Parameter, StackStatus, Tag};
use moto_tests::clients::cloudformation::Client;
use moto_tests::MotoServer;

const SUITE: &str = "cloudformation";
const STACK: &str = "moto-tests-stack";

/// One SNS topic named by a parameter, and its ARN as an output.
const TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "TopicName": { "Type": "String" } },
  "Resources": {
    "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": { "Ref": "TopicName" } } }
  },
  "Outputs": { "TopicArn": { "Value": { "Ref": "Topic" } } }
}"#;

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

#[tokio::test]
async fn a_stack_is_created_described_and_deleted() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let created = client
        .create_stack()
        .stack_name(STACK)
        .template_body(TEMPLATE)
        .parameters(
            Parameter::builder()
                .parameter_key("TopicName")
                .parameter_value("stack-topic")
                .build(),
        )
        .tags(Tag::builder().key("team").value("platform").build())
        .send()
        .await
        .expect("CreateStack");
    let stack_id = created.stack_id().expect("a stack ID").to_string();
    assert!(stack_id.contains(&format!(":stack/{STACK}/")), "{stack_id}");

    let described = client
        .describe_stacks()
        .stack_name(STACK)
        .send()
        .await
        .expect("DescribeStacks");
    let stack = &described.stacks()[0];
    assert_eq!(stack.stack_id(), Some(stack_id.as_str()));
    assert_eq!(stack.stack_name(), Some(STACK));
    assert_eq!(stack.stack_status(), Some(&StackStatus::CreateComplete));
    assert_eq!(stack.parameters()[0].parameter_value(), Some("stack-topic"));
    assert_eq!(stack.tags()[0].key(), Some("team"));
    let output = &stack.outputs()[0];
    assert_eq!(output.output_key(), Some("TopicArn"));
    assert!(
        output
            .output_value()
            .is_some_and(|arn| arn.ends_with(":stack-topic")),
        "{output:?}"
    );
    assert!(stack
        .creation_time()
        .is_some_and(|t| t.secs() > 1_600_000_000));

    client
        .delete_stack()
        .stack_name(STACK)
        .send()
        .await
        .expect("DeleteStack");
    // A deleted stack is still described by its ID, as DELETE_COMPLETE.
    let deleted = client
        .describe_stacks()
        .stack_name(&stack_id)
        .send()
        .await
        .expect("DescribeStacks by ID after deletion");
    assert_eq!(
        deleted.stacks()[0].stack_status(),
        Some(&StackStatus::DeleteComplete)
    );
}
