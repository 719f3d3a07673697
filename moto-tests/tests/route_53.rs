//! Route 53 (restXml, `/2013-04-01/...` paths) against moto: a hosted zone created with a
//! caller reference, A and TXT records created and then upserted, the records listed page by
//! page (the model has no `@paginated` on ListResourceRecordSets, so by hand with
//! `StartRecordName`/`StartRecordType`), the zone's own NS and SOA records, and the modelled
//! `NoSuchHostedZone` of a deleted and of a made-up zone. Zone IDs are passed back as Route 53 returns them
//! (`/hostedzone/Z...`): the generated client trims the prefix as the AWS SDKs do.
#![cfg(reference_data)]

use moto_tests::clients::route_53::operation::get_hosted_zone::GetHostedZoneError;
use moto_tests::clients::route_53::types::{
    Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
};
use moto_tests::clients::route_53::Client;
use moto_tests::MotoServer;

const SUITE: &str = "route_53";
const ZONE: &str = "moto-tests.example.com.";

fn record(name: &str, kind: RrType, ttl: i64, values: &[&str]) -> ResourceRecordSet {
    let mut set = ResourceRecordSet::builder()
        .name(name)
        .r#type(kind)
        .ttl(ttl);
    for value in values {
        set = set.resource_records(ResourceRecord::builder().value(*value).build().unwrap());
    }
    set.build().expect("a record set")
}

fn change(action: ChangeAction, set: ResourceRecordSet) -> Change {
    Change::builder()
        .action(action)
        .resource_record_set(set)
        .build()
        .expect("a change")
}

/// Every record set of the zone, one per page (`MaxItems` 1), so the paging is exercised.
async fn all_records(client: &Client, zone_id: &str) -> Vec<ResourceRecordSet> {
    let mut records = Vec::new();
    let mut start: Option<(String, RrType)> = None;
    for _ in 0..50 {
        let mut request = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .max_items(1);
        if let Some((name, kind)) = start.take() {
            request = request.start_record_name(name).start_record_type(kind);
        }
        let page = request.send().await.expect("ListResourceRecordSets");
        records.extend(page.resource_record_sets().iter().cloned());
        if !page.is_truncated() {
            return records;
        }
        start = Some((
            page.next_record_name().expect("NextRecordName").to_owned(),
            page.next_record_type().expect("NextRecordType").clone(),
        ));
    }
    panic!("more than 50 pages");
}

fn values(set: &ResourceRecordSet) -> Vec<&str> {
    set.resource_records().iter().map(|r| r.value()).collect()
}

#[tokio::test]
async fn hosted_zone_records_are_created_upserted_and_listed() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = Client::from_conf(moto_tests::config(&server));

    let created = client
        .create_hosted_zone()
        .name(ZONE)
        .caller_reference("moto-tests-1")
        .send()
        .await
        .expect("CreateHostedZone");
    let zone = created.hosted_zone().expect("a hosted zone");
    let zone_id = zone.id().to_owned();
    assert!(zone_id.starts_with("/hostedzone/"), "{zone_id}");
    assert_eq!(zone.name(), ZONE);
    assert_eq!(zone.caller_reference(), "moto-tests-1");
    assert!(
        created.location.contains("hostedzone"),
        "{}",
        created.location
    );
    let name_servers = created
        .delegation_set()
        .expect("a delegation set")
        .name_servers()
        .clone();
    assert!(!name_servers.is_empty());

    // The ID exactly as returned, `/hostedzone/` prefix included.
    let got = client
        .get_hosted_zone()
        .id(&zone_id)
        .send()
        .await
        .expect("GetHostedZone with the returned ID");
    assert_eq!(got.hosted_zone().map(|z| z.id()), Some(zone_id.as_str()));
    // And bare, as the console shows it.
    let bare = zone_id.trim_start_matches("/hostedzone/");
    client
        .get_hosted_zone()
        .id(bare)
        .send()
        .await
        .expect("GetHostedZone with the bare ID");

    let www = format!("www.{ZONE}");
    let txt = format!("_info.{ZONE}");
    client
        .change_resource_record_sets()
        .hosted_zone_id(&zone_id)
        .change_batch(
            ChangeBatch::builder()
                .comment("two records")
                .changes(change(
                    ChangeAction::Create,
                    record(&www, RrType::A, 300, &["192.0.2.1"]),
                ))
                .changes(change(
                    ChangeAction::Create,
                    record(&txt, RrType::Txt, 60, &["\"hello from moto-tests\""]),
                ))
                .build()
                .expect("a change batch"),
        )
        .send()
        .await
        .expect("ChangeResourceRecordSets CREATE");

    client
        .change_resource_record_sets()
        .hosted_zone_id(&zone_id)
        .change_batch(
            ChangeBatch::builder()
                .changes(change(
                    ChangeAction::Upsert,
                    record(&www, RrType::A, 120, &["192.0.2.2", "192.0.2.3"]),
                ))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("ChangeResourceRecordSets UPSERT");

    let records = all_records(&client, &zone_id).await;
    let find = |name: &str, kind: RrType| {
        records
            .iter()
            .find(|r| r.name() == name && *r.r#type() == kind)
            .unwrap_or_else(|| panic!("{name} {kind:?} in {records:?}"))
    };
    let a = find(&www, RrType::A);
    assert_eq!(a.ttl(), Some(120));
    assert_eq!(values(a), ["192.0.2.2", "192.0.2.3"]);
    assert_eq!(
        values(find(&txt, RrType::Txt)),
        ["\"hello from moto-tests\""]
    );
    let ns = find(ZONE, RrType::Ns);
    assert_eq!(values(ns).len(), name_servers.len());
    assert_eq!(values(find(ZONE, RrType::Soa)).len(), 1);
    assert_eq!(records.len(), 4, "{records:?}");
}

#[tokio::test]
async fn deleted_and_unknown_zones_are_no_such_hosted_zone() {
    let Some(server) = MotoServer::start(SUITE) else {
        return;
    };
    let client = Client::from_conf(moto_tests::config(&server));
    let created = client
        .create_hosted_zone()
        .name("deleted.example.org.")
        .caller_reference("moto-tests-2")
        .send()
        .await
        .expect("CreateHostedZone");
    let zone_id = created.hosted_zone().expect("a zone").id().to_owned();
    client
        .delete_hosted_zone()
        .id(&zone_id)
        .send()
        .await
        .expect("DeleteHostedZone");
    for id in [zone_id.as_str(), "/hostedzone/Z0000000000000000MADEUP"] {
        let error = client
            .get_hosted_zone()
            .id(id)
            .send()
            .await
            .expect_err("no such zone");
        let service = error.as_service_error().expect("a service error");
        assert!(
            matches!(service, GetHostedZoneError::NoSuchHostedZone(_)),
            "{id}: {service:?}"
        );
    }
}
