//! S3's `Expires` response header, as the AWS SDKs treat it: S3 returns whatever the uploader
//! set, which is often not an HTTP date, so a value that does not parse must not fail the
//! whole GetObject / HeadObject. The timestamp member becomes lenient (an unparseable value
//! reads as `None`, `smithy.synthetic#lenientHeader`) and each output with it gains an
//! `ExpiresString` member holding the header's raw text, as in the AWS SDK for Rust.

use super::OperationPlan;
use crate::model::{Member, Model, ShapeId, ShapeKind};
use serde_json::json;

/// The trait marking a header member whose unparseable value reads as unset.
pub const LENIENT_HEADER: &str = "smithy.synthetic#lenientHeader";

/// Applies the customization to the outputs of `operations` when `service` is S3.
pub fn lenient_expires(model: &mut Model, service: &ShapeId, operations: &[OperationPlan]) {
    let is_s3 = model
        .get(service)
        .and_then(|s| s.traits.get("aws.api#service"))
        .and_then(|t| t.get("sdkId"))
        .and_then(serde_json::Value::as_str)
        == Some("S3");
    if !is_s3 {
        return;
    }
    for op in operations {
        let Some(shape) = model.shapes.get_mut(&op.output) else {
            continue;
        };
        let ShapeKind::Structure(members) = &mut shape.kind else {
            continue;
        };
        let Some(expires) = members
            .iter_mut()
            .find(|m| m.name == "Expires" && m.traits.http_header() == Some("Expires"))
        else {
            continue;
        };
        expires.traits.insert(LENIENT_HEADER, json!({}));
        if members.iter().any(|m| m.name == "ExpiresString") {
            continue;
        }
        let mut raw = Member {
            name: "ExpiresString".into(),
            target: ShapeId::from_parts("smithy.api", "String"),
            traits: Default::default(),
        };
        raw.traits.insert("smithy.api#httpHeader", json!("Expires"));
        raw.traits.insert(
            "smithy.api#documentation",
            json!("The raw `Expires` header, which `Expires` holds only when it is a valid HTTP date."),
        );
        members.push(raw);
    }
}
