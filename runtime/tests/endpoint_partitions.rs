//! The built-in partition table must equal `endpoints/partitions.json` of the reference data, the
//! data the corpus's endpoint tests were generated with, field by field.

use serde_json::{Map, Value as Json};
use smithy_runtime::endpoint::{Partition, PartitionOutputs, PartitionTable};

/// The reference `partitions.json`, or `None` (and the skip line).
fn reference_text() -> Option<String> {
    let path = reference_data::require(
        "smithy-runtime endpoint_partitions",
        "the comparison of the built-in partition table with AWS's partitions.json",
        "endpoints/partitions.json",
    )?;
    Some(
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
    )
}

fn reference_json() -> Option<Json> {
    Some(serde_json::from_str(&reference_text()?).expect("partitions.json is JSON"))
}

fn str_field<'j>(object: &'j Map<String, Json>, key: &str) -> Option<&'j str> {
    object.get(key).and_then(Json::as_str)
}

fn bool_field(object: &Map<String, Json>, key: &str) -> Option<bool> {
    object.get(key).and_then(Json::as_bool)
}

fn check_outputs(id: &str, ours: &PartitionOutputs, theirs: &Map<String, Json>) {
    assert_eq!(
        Some(ours.name.as_str()),
        str_field(theirs, "name"),
        "{id} name"
    );
    assert_eq!(
        Some(ours.dns_suffix.as_str()),
        str_field(theirs, "dnsSuffix"),
        "{id} dnsSuffix"
    );
    assert_eq!(
        Some(ours.dual_stack_dns_suffix.as_str()),
        str_field(theirs, "dualStackDnsSuffix"),
        "{id} dualStackDnsSuffix"
    );
    assert_eq!(
        Some(ours.supports_fips),
        bool_field(theirs, "supportsFIPS"),
        "{id} supportsFIPS"
    );
    assert_eq!(
        Some(ours.supports_dual_stack),
        bool_field(theirs, "supportsDualStack"),
        "{id} supportsDualStack"
    );
    assert_eq!(
        ours.implicit_global_region.as_deref(),
        str_field(theirs, "implicitGlobalRegion"),
        "{id} implicitGlobalRegion"
    );
    let known = [
        "name",
        "dnsSuffix",
        "dualStackDnsSuffix",
        "supportsFIPS",
        "supportsDualStack",
        "implicitGlobalRegion",
    ];
    for key in theirs.keys() {
        assert!(
            known.contains(&key.as_str()),
            "{id}: output `{key}` is not modelled"
        );
    }
}

fn check_regions(ours: &Partition, theirs: &Map<String, Json>) {
    let id = &ours.id;
    let our_names: Vec<&str> = ours.regions.iter().map(|r| r.name.as_str()).collect();
    let their_names: Vec<&str> = theirs.keys().map(String::as_str).collect();
    assert_eq!(our_names, their_names, "{id} regions (names and order)");
    for region in &ours.regions {
        let reference = theirs[&region.name]
            .as_object()
            .expect("region is an object");
        let name = format!("{id}/{}", region.name);
        assert_eq!(
            region.description.as_deref(),
            str_field(reference, "description"),
            "{name} description"
        );
        let o = &region.overrides;
        assert_eq!(
            o.name.as_deref(),
            str_field(reference, "name"),
            "{name} name"
        );
        assert_eq!(
            o.dns_suffix.as_deref(),
            str_field(reference, "dnsSuffix"),
            "{name} dnsSuffix"
        );
        assert_eq!(
            o.dual_stack_dns_suffix.as_deref(),
            str_field(reference, "dualStackDnsSuffix"),
            "{name} dualStackDnsSuffix"
        );
        assert_eq!(
            o.supports_fips,
            bool_field(reference, "supportsFIPS"),
            "{name} supportsFIPS"
        );
        assert_eq!(
            o.supports_dual_stack,
            bool_field(reference, "supportsDualStack"),
            "{name} supportsDualStack"
        );
        assert_eq!(
            o.implicit_global_region.as_deref(),
            str_field(reference, "implicitGlobalRegion"),
            "{name} implicitGlobalRegion"
        );
    }
}

#[test]
fn builtin_table_matches_partitions_json_field_by_field() {
    let Some(reference) = reference_json() else {
        return;
    };
    let table = PartitionTable::builtin();
    assert_eq!(
        table.version.as_deref(),
        reference["version"].as_str(),
        "version"
    );
    let partitions = reference["partitions"]
        .as_array()
        .expect("partitions array");
    let our_ids: Vec<&str> = table.partitions.iter().map(|p| p.id.as_str()).collect();
    let their_ids: Vec<&str> = partitions.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(our_ids, their_ids, "partition ids and order");
    for (ours, theirs) in table.partitions.iter().zip(partitions) {
        let theirs = theirs.as_object().expect("partition is an object");
        assert_eq!(
            Some(ours.region_regex.as_str()),
            str_field(theirs, "regionRegex"),
            "{} regionRegex",
            ours.id
        );
        check_regions(ours, theirs["regions"].as_object().expect("regions object"));
        check_outputs(
            &ours.id,
            &ours.outputs,
            theirs["outputs"].as_object().expect("outputs object"),
        );
    }
}

#[test]
fn loading_the_same_file_gives_the_same_table() {
    let Some(text) = reference_text() else { return };
    let loaded = PartitionTable::from_json(&text).expect("partitions.json loads");
    assert_eq!(&loaded, PartitionTable::builtin());
}

#[test]
fn lookup_prefers_listed_regions_then_patterns_then_aws() {
    let table = PartitionTable::builtin();
    let lookup = |region: &str| table.lookup(region).expect("some partition");
    assert_eq!(lookup("us-iso-east-1").dns_suffix, "c2s.ic.gov");
    assert!(!lookup("us-iso-east-1").supports_dual_stack);
    assert_eq!(lookup("us-isob-west-9").name, "aws-iso-b");
    assert_eq!(lookup("eu-isoe-west-1").dns_suffix, "cloud.adc-e.uk");
    assert_eq!(lookup("eusc-de-east-1").name, "aws-eusc");
    assert_eq!(
        lookup("cn-north-1").dual_stack_dns_suffix,
        "api.amazonwebservices.com.cn"
    );
    assert_eq!(lookup("not-a-region").name, "aws");
}

#[test]
fn replacement_data_with_overrides() {
    let json = r#"{"version":"1.1","partitions":[{"id":"aws","regionRegex":"^x-\\w+$",
        "regions":{"x-one":{"dnsSuffix":"one.example"}},
        "outputs":{"name":"aws","dnsSuffix":"example","dualStackDnsSuffix":"ds.example",
                   "supportsFIPS":false,"supportsDualStack":true}}]}"#;
    let table = PartitionTable::from_json(json).expect("valid table");
    assert_eq!(
        table.lookup("x-one").expect("listed").dns_suffix,
        "one.example"
    );
    assert_eq!(
        table.lookup("x-two").expect("pattern").dns_suffix,
        "example"
    );
    assert_eq!(
        table
            .lookup("x-two")
            .expect("pattern")
            .implicit_global_region,
        None
    );
}
