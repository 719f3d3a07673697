//! Passes that turn a loaded model into a generation plan: operations found through the service
//! and its resources, operation selection, synthetic per-operation inputs and outputs, the shape
//! closure, and recursion boxing.

pub mod boxing;
pub mod closure;
pub mod paginated;
pub mod s3;
pub mod synthetic;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, ShapeId, ShapeKind};
use std::collections::BTreeSet;

/// One operation to generate.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    /// The operation shape.
    pub id: ShapeId,
    /// Synthetic input structure (unique to this operation, marked `@input`).
    pub input: ShapeId,
    /// Synthetic output structure (unique to this operation, marked `@output`).
    pub output: ShapeId,
    /// Operation errors followed by the service's common errors, without duplicates.
    pub errors: Vec<ShapeId>,
    /// The resolved `@paginated` trait, when the operation is paginated.
    pub paginated: Option<paginated::Paginated>,
    /// Whether the input or output has an event stream (`@streaming` union) member.
    pub event_stream: bool,
}

/// The service's protocol, as far as the generator is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: fully generated.
    RestJson1,
    /// `aws.protocols#awsJson1_0`: fully generated.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: fully generated.
    AwsJson1_1,
    /// `aws.protocols#restXml`: fully generated.
    RestXml,
    /// `aws.protocols#awsQuery`: fully generated.
    AwsQuery,
    /// `aws.protocols#ec2Query`: fully generated.
    Ec2Query,
    /// `smithy.protocols#rpcv2Cbor`: fully generated.
    RpcV2Cbor,
    /// `smithy.protocols#rpcv2Json`: fully generated.
    RpcV2Json,
    /// Any other protocol (its short name, e.g. `restXml`): types and a client are
    /// generated, and every operation fails with "protocol ... is not supported yet".
    Unsupported(String),
}

impl Protocol {
    /// The protocol of a service shape: restJson1 when present, else the first protocol trait.
    pub fn of(model: &Model, service: &ShapeId) -> Protocol {
        let Some(shape) = model.get(service) else {
            return Protocol::Unsupported("none".into());
        };
        if shape.traits.has("aws.protocols#restJson1") {
            return Protocol::RestJson1;
        }
        const KNOWN: [&str; 7] = [
            "aws.protocols#awsJson1_0",
            "aws.protocols#awsJson1_1",
            "aws.protocols#awsQuery",
            "aws.protocols#ec2Query",
            "aws.protocols#restXml",
            "smithy.protocols#rpcv2Cbor",
            "smithy.protocols#rpcv2Json",
        ];
        let id = KNOWN
            .iter()
            .find(|k| shape.traits.has(k))
            .map(|k| k.to_string())
            .or_else(|| {
                let mut protocols = shape.traits.0.keys().filter(|k| {
                    k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#")
                });
                protocols.next().cloned()
            })
            .unwrap_or_else(|| "#none".into());
        let name = id.split_once('#').map_or(id.as_str(), |(_, n)| n);
        match name {
            "awsJson1_0" => Protocol::AwsJson1_0,
            "awsJson1_1" => Protocol::AwsJson1_1,
            "restXml" => Protocol::RestXml,
            "awsQuery" => Protocol::AwsQuery,
            "ec2Query" => Protocol::Ec2Query,
            "rpcv2Cbor" => Protocol::RpcV2Cbor,
            "rpcv2Json" => Protocol::RpcV2Json,
            _ => Protocol::Unsupported(name.to_string()),
        }
    }

    /// The protocol trait's name without its namespace: `restJson1`, `awsJson1_0`, ...
    pub fn short_name(&self) -> &str {
        match self {
            Protocol::RestJson1 => "restJson1",
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestXml => "restXml",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
            Protocol::RpcV2Json => "rpcv2Json",
            Protocol::Unsupported(name) => name,
        }
    }
}

/// What to generate for one service.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The model, extended with synthetic inputs and outputs.
    pub model: Model,
    /// The service shape.
    pub service: ShapeId,
    /// Selected operations, ordered by shape ID.
    pub operations: Vec<OperationPlan>,
    /// Every non-prelude, non-synthetic shape the operations reach.
    pub shapes: BTreeSet<ShapeId>,
    /// Members that close a structure/union cycle and must be boxed: (container, member name).
    pub boxed: BTreeSet<(ShapeId, String)>,
    /// The service's protocol.
    pub protocol: Protocol,
}

/// Builds the plan for `service` (or the model's only service), keeping only `selection`
/// operations when given (names or shape IDs).
pub fn plan(model: &Model, service: Option<&str>, selection: Option<&[String]>) -> Result<Plan> {
    let service_id = pick_service(model, service)?;
    let operations = closure::service_operations(model, &service_id)?;
    let operations = closure::select(model, &service_id, operations, selection)?;
    let mut model = model.clone();
    let operations = synthetic::add_synthetic_shapes(&mut model, &service_id, &operations)?;
    s3::lenient_expires(&mut model, &service_id, &operations);
    let shapes = closure::shape_closure(&model, &operations);
    let boxed = boxing::find_boxed_members(&model, &shapes, &operations);
    let protocol = Protocol::of(&model, &service_id);
    Ok(Plan {
        model,
        service: service_id,
        operations,
        shapes,
        boxed,
        protocol,
    })
}

fn pick_service(model: &Model, wanted: Option<&str>) -> Result<ShapeId> {
    let services: Vec<&ShapeId> = model.services().map(|(s, _)| &s.id).collect();
    let matches: Vec<&ShapeId> = services
        .iter()
        .copied()
        .filter(|id| wanted.is_none_or(|w| id.as_str() == w || id.name() == w))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::file(
            "<model>",
            ErrorKind::Invalid(match wanted {
                Some(w) => format!("no service named `{w}` in the model"),
                None => "the model has no service shape".to_string(),
            }),
        )),
        many => Err(Error::file(
            "<model>",
            ErrorKind::Invalid(format!(
                "the model has {} services ({}); choose one",
                many.len(),
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        )),
    }
}

/// Whether a shape is a structure or union (the kinds that need boxing on cycles).
pub(crate) fn is_aggregate(model: &Model, id: &ShapeId) -> bool {
    model
        .get(id)
        .is_some_and(|s| matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)))
}
