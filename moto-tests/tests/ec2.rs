//! EC2 (ec2Query, on our own model `tests/models/ec2.smithy`) against moto: instances launched
//! with tags, found again by a filter and by the paginator, tagged, waited for, terminated and
//! waited for again; Regions listed. Needs `moto_server`, not the reference data.

use moto_tests::ec2::types::{Filter, InstanceStateName, Tag, TagSpecification};
use moto_tests::ec2::Client;
use moto_tests::MotoServer;
use std::time::Duration;

const SUITE: &str = "ec2";
/// An image ID from moto's built-in AMI list (`moto/ec2/resources/amis.json`).
const IMAGE: &str = "ami-12c6146b";

fn client(server: &MotoServer) -> Client {
    Client::from_conf(moto_tests::config(server))
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

#[tokio::test]
async fn instances_are_launched_found_tagged_and_terminated() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let launched = client
        .run_instances()
        .image_id(IMAGE)
        .instance_type("t3.micro")
        .min_count(3)
        .max_count(3)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type("instance")
                .tags(tag("team", "storage"))
                .build(),
        )
        .send()
        .await
        .expect("RunInstances");
    let ids: Vec<String> = launched
        .instances()
        .iter()
        .map(|i| i.instance_id().expect("an instance ID").to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{launched:?}");
    assert!(ids.iter().all(|id| id.starts_with("i-")), "{ids:?}");
    let first = &launched.instances()[0];
    assert_eq!(first.image_id(), Some(IMAGE));
    assert_eq!(first.instance_type(), Some("t3.micro"));
    assert!(
        first.launch_time().is_some(),
        "launch time parsed: {first:?}"
    );
    assert_eq!(first.tags(), &[tag("team", "storage")][..]);

    // Six more reservations of one untagged instance each, which the filter must leave out
    // and which make the listing below longer than a page.
    for _ in 0..6 {
        client
            .run_instances()
            .image_id(IMAGE)
            .min_count(1)
            .max_count(1)
            .send()
            .await
            .expect("RunInstances (untagged)");
    }

    let running = client
        .wait_until_instance_running()
        .set_instance_ids(Some(ids.clone()))
        .wait(Duration::from_secs(60))
        .await
        .expect("InstanceRunning");
    let described = running.result().as_ref().expect("the matched output");
    assert_eq!(instance_ids(described).len(), 3);

    let tagged = client
        .describe_instances()
        .filters(filter("tag:team", "storage"))
        .send()
        .await
        .expect("DescribeInstances with a tag filter");
    let mut found = instance_ids(&tagged);
    found.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(found, expected, "only the tagged instances");

    // Every instance, at most five reservations a page (EC2's smallest page): the paginator
    // follows `NextToken` to the end.
    let pages = client
        .describe_instances()
        .max_results(5)
        .into_paginator()
        .send()
        .collect()
        .await
        .expect("DescribeInstances pages");
    let sizes: Vec<usize> = pages.iter().map(|p| p.reservations().len()).collect();
    assert_eq!(sizes, [5, 2], "reservations per page");
    let all: usize = pages.iter().map(|p| instance_ids(p).len()).sum();
    assert_eq!(all, 9);

    client
        .create_tags()
        .resources(ids[0].clone())
        .tags(tag("owner", "rust"))
        .send()
        .await
        .expect("CreateTags");
    let owned = client
        .describe_instances()
        .filters(filter("tag:owner", "rust"))
        .send()
        .await
        .expect("DescribeInstances by the new tag");
    assert_eq!(instance_ids(&owned), vec![ids[0].clone()]);

    let terminated = client
        .terminate_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .expect("TerminateInstances");
    assert_eq!(terminated.terminating_instances().len(), 3);
    let change = &terminated.terminating_instances()[0];
    assert_eq!(
        change.previous_state().and_then(|s| s.name()),
        Some(&InstanceStateName::Running)
    );
    client
        .wait_until_instance_terminated()
        .set_instance_ids(Some(ids.clone()))
        .wait(Duration::from_secs(60))
        .await
        .expect("InstanceTerminated");
}

#[tokio::test]
async fn regions_are_listed_and_a_missing_instance_is_an_error() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = client(&server);
    let regions = client
        .describe_regions()
        .region_names("us-east-1")
        .region_names("eu-west-1")
        .send()
        .await
        .expect("DescribeRegions");
    let mut names: Vec<&str> = regions
        .regions()
        .iter()
        .filter_map(|r| r.region_name())
        .collect();
    names.sort();
    assert_eq!(names, ["eu-west-1", "us-east-1"]);
    assert!(regions.regions()[0]
        .endpoint()
        .is_some_and(|e| e.contains("amazonaws.com")));

    // EC2 models no errors: a missing instance is an unhandled error carrying EC2's code.
    let missing = client
        .describe_instances()
        .instance_ids("i-0123456789abcdef0")
        .send()
        .await
        .expect_err("no such instance");
    let service = missing.as_service_error().expect("a service error");
    assert_eq!(
        service.meta().code.as_deref(),
        Some("InvalidInstanceID.NotFound")
    );
    assert_eq!(service.meta().status, 400);
}

fn instance_ids(
    output: &moto_tests::ec2::operation::describe_instances::DescribeInstancesOutput,
) -> Vec<String> {
    output
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect()
}
