//! Known differences (`differential/deviations.json`): each names the protocol, the request
//! field, optionally the service and operation and substrings of either side's value, and why
//! the difference is not ours to fix (botocore's deviation from the Smithy specification, or
//! botocore's definition of the service against the Smithy model).

use serde_json::Value;

/// One known difference.
#[derive(Clone, Debug)]
pub struct Deviation {
    /// Short name, printed in the summary.
    pub id: String,
    /// Protocol (`*` for any).
    pub protocol: String,
    /// `method`, `host`, `path`, `query`, `body`, `error`, `header:<name>`; a trailing `*`
    /// matches a prefix.
    pub field: String,
    /// Only this service.
    pub service: Option<String>,
    /// Only this operation.
    pub operation: Option<String>,
    /// Our value, as JSON text, contains this.
    pub ours: Option<String>,
    /// botocore's value, as JSON text, contains this.
    pub theirs: Option<String>,
}

/// Reads the list (a JSON array of objects with the fields of [`Deviation`] and a `reason`).
pub fn parse(text: &str) -> Result<Vec<Deviation>, String> {
    let list: Value = serde_json::from_str(text).map_err(|e| format!("deviations: {e}"))?;
    let entries = list.as_array().ok_or("deviations: expected an array")?;
    entries
        .iter()
        .map(|entry| {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
            if text("reason").is_none_or(|r| r.trim().is_empty()) {
                return Err(format!("deviation {entry}: every entry needs a reason"));
            }
            Ok(Deviation {
                id: text("id").ok_or_else(|| format!("deviation {entry}: no id"))?,
                protocol: text("protocol").unwrap_or_else(|| "*".into()),
                field: text("field").ok_or_else(|| format!("deviation {entry}: no field"))?,
                service: text("service"),
                operation: text("operation"),
                ours: text("ours"),
                theirs: text("theirs"),
            })
        })
        .collect()
}

/// Where a difference was seen.
pub struct Scope<'a> {
    /// Protocol short name.
    pub protocol: &'a str,
    /// Service (model file name without date).
    pub service: &'a str,
    /// Operation name.
    pub operation: &'a str,
}

impl Deviation {
    /// Whether this entry explains the difference of `field` (`ours` against `theirs`).
    pub fn explains(&self, scope: &Scope<'_>, field: &str, ours: &Value, theirs: &Value) -> bool {
        let field_matches = match self.field.strip_suffix('*') {
            Some(prefix) => field.starts_with(prefix),
            None => field == self.field,
        };
        let contains = |wanted: &Option<String>, value: &Value| {
            wanted.as_ref().is_none_or(|w| value.to_string().contains(w.as_str()))
        };
        field_matches
            && (self.protocol == "*" || self.protocol == scope.protocol)
            && self.service.as_ref().is_none_or(|s| s == scope.service)
            && self.operation.as_ref().is_none_or(|o| o == scope.operation)
            && contains(&self.ours, ours)
            && contains(&self.theirs, theirs)
    }
}

/// The entry explaining each difference, or `None` when one is unexplained.
pub fn classify<'a>(
    deviations: &'a [Deviation],
    scope: &Scope<'_>,
    differences: &[(String, Value, Value)],
) -> Option<Vec<&'a str>> {
    differences
        .iter()
        .map(|(field, ours, theirs)| {
            deviations
                .iter()
                .find(|d| d.explains(scope, field, ours, theirs))
                .map(|d| d.id.as_str())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_explains_only_its_field_protocol_and_values() {
        let list = parse(
            r#"[{"id": "ct", "protocol": "restJson1", "field": "header:content-type",
                 "theirs": "x-amz-json", "reason": "r"}]"#,
        )
        .expect("parses");
        let scope = Scope { protocol: "restJson1", service: "s", operation: "o" };
        let diff = |field: &str, theirs: Value| vec![(field.to_string(), Value::Null, theirs)];
        assert_eq!(
            classify(&list, &scope, &diff("header:content-type", json!("application/x-amz-json-1.1"))),
            Some(vec!["ct"])
        );
        assert_eq!(classify(&list, &scope, &diff("header:content-type", json!("text/plain"))), None);
        assert_eq!(classify(&list, &scope, &diff("body", json!("x-amz-json"))), None);
        let other = Scope { protocol: "restXml", ..scope };
        assert_eq!(classify(&list, &other, &diff("header:content-type", json!("x-amz-json"))), None);
    }

    #[test]
    fn an_entry_without_a_reason_is_refused() {
        assert!(parse(r#"[{"id": "x", "field": "body"}]"#).is_err());
    }
}
