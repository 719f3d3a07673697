//! `smithy.api#paginated`: the operation's trait merged over the service's defaults.

use crate::model::{Model, ShapeId};
use serde_json::Value;

/// A resolved `@paginated` trait: member names in the input, dotted paths in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paginated {
    /// Input member carrying the token of the page to fetch.
    pub input_token: String,
    /// Output path (`a.b`) of the next page's token.
    pub output_token: Vec<String>,
    /// Output path of the page's items, when the model names it.
    pub items: Option<Vec<String>>,
    /// Input member limiting the page size, when the model names it.
    pub page_size: Option<String>,
}

/// The operation's `@paginated` merged with the service's, when it has one and the merged
/// trait names both tokens (an operation without tokens cannot be paginated).
pub fn resolve(model: &Model, service: &ShapeId, operation: &ShapeId) -> Option<Paginated> {
    let op_trait = model.get(operation)?.traits.get("smithy.api#paginated")?;
    let service_trait = model
        .get(service)
        .and_then(|s| s.traits.get("smithy.api#paginated"));
    let field = |name: &str| {
        op_trait
            .get(name)
            .or_else(|| service_trait.and_then(|s| s.get(name)))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let path = |text: String| text.split('.').map(str::to_string).collect::<Vec<_>>();
    Some(Paginated {
        input_token: field("inputToken")?,
        output_token: path(field("outputToken")?),
        items: field("items").map(path),
        page_size: field("pageSize"),
    })
}
