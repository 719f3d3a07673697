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
    /// `request` (the default) or `response`: the phase whose differences it explains.
    pub phase: String,
    /// Protocol (`*` for any).
    pub protocol: String,
    /// `method`, `host`, `path`, `query`, `body`, `error`, `header:<name>` (requests);
    /// `output.<member>...`, `sent:output.<member>...`, `error` (responses); a trailing `*`
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
    /// How the two values must relate (see [`Relation`]); without one, any values match.
    pub relation: Option<Relation>,
}

/// A relation between our value and botocore's that a deviation requires, so an entry
/// explains exactly the difference it describes and not any other in the same field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relation {
    /// `same-list`: equal as comma-separated lists, whitespace around the commas aside.
    SameList,
    /// `leading-segment`: botocore's path is ours with one more segment in front.
    LeadingSegment,
    /// `trailing-slash`: botocore's path is ours with an empty last segment.
    TrailingSlash,
    /// `extra-query:<name>`: equal once our `<name>` pairs are dropped.
    ExtraQuery(String),
    /// `whole-seconds`: the same date-time, botocore's without the fraction of a second.
    WholeSeconds,
    /// `cr-as-lf`: equal once each CR (or CR LF) in our strings is read as LF.
    CrAsLf,
    /// `empty-document`: our body is an XML root element with nothing inside, botocore's is
    /// empty.
    EmptyDocument,
    /// `extra-defaults`: botocore's body is ours without some members holding their model
    /// `@default` (the scope's [`Scope::defaults`]), which botocore does not know.
    ExtraDefaults,
    /// `same-instant`: equal once RFC 3339 fractions are written without trailing zeros
    /// (`.652000Z` and `.652Z`, `.000Z` and `Z` are one instant).
    SameInstant,
    /// `number-as-text` (response phase): our value is a number, botocore's the same number
    /// as a string (botocore's service definition types the member as a string).
    NumberAsText,
    /// `empty-as-absent` (response phase): one value is absent (`null`), the other empty
    /// (`""`, `[]` or `{}`).
    EmptyAsAbsent,
    /// `same-number`: equal once every string that reads as a finite number is written one
    /// way (`1000000` and `1000000.0`, `0.0000001` and `1e-07`).
    SameNumber,
    /// `same-float32`: equal once every string that reads as a finite number is written as
    /// the nearest `f32` (a Smithy `float` written as the shortest text that reads back as
    /// that `f32`, `-648124.4`, and as the `f64` it widens to, `-648124.375`).
    SameFloat32,
    /// `json-encoded-base64`: both are base64; botocore's decodes to a JSON string whose
    /// value is what ours decodes to (botocore JSON-encodes a `jsonvalue` header's value).
    JsonEncodedBase64,
    /// botocore's `X-Amz-Target` is ours behind a dotted prefix (a fully qualified target).
    QualifiedTarget,
    /// botocore's JSON body is ours plus one top-level member holding the fixed idempotency
    /// token (a member botocore's definitions mark as a token and the Smithy model does not).
    ExtraToken,
    /// We send no body, botocore an empty JSON object.
    EmptyJsonObject,
}

impl Relation {
    fn parse(text: &str) -> Result<Relation, String> {
        Ok(match text {
            "same-list" => Relation::SameList,
            "leading-segment" => Relation::LeadingSegment,
            "trailing-slash" => Relation::TrailingSlash,
            "whole-seconds" => Relation::WholeSeconds,
            "cr-as-lf" => Relation::CrAsLf,
            "empty-document" => Relation::EmptyDocument,
            "extra-defaults" => Relation::ExtraDefaults,
            "same-instant" => Relation::SameInstant,
            "number-as-text" => Relation::NumberAsText,
            "empty-as-absent" => Relation::EmptyAsAbsent,
            "same-number" => Relation::SameNumber,
            "same-float32" => Relation::SameFloat32,
            "json-encoded-base64" => Relation::JsonEncodedBase64,
            "qualified-target" => Relation::QualifiedTarget,
            "extra-token" => Relation::ExtraToken,
            "empty-json-object" => Relation::EmptyJsonObject,
            other => match other.strip_prefix("extra-query:") {
                Some(name) => Relation::ExtraQuery(name.to_string()),
                None => return Err(format!("unknown relation `{other}`")),
            },
        })
    }

    fn holds(&self, ours: &Value, theirs: &Value, defaults: &Defaults) -> bool {
        match self {
            Relation::SameList => {
                let items = |v: &Value| {
                    v.as_str().map(|s| {
                        s.split(',')
                            .map(str::trim)
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                };
                items(ours).is_some() && items(ours) == items(theirs)
            }
            // `/` is the one segment `""`: `/{Bucket}` against `/` has no more segments.
            Relation::LeadingSegment => match (ours.as_array(), theirs.as_array()) {
                (Some(a), Some(b)) if a.len() == 1 && a[0] == "" => b.len() == 1 && b[0] != "",
                (Some(a), Some(b)) => b.len() == a.len() + 1 && b[1..] == a[..],
                _ => false,
            },
            Relation::TrailingSlash => match (ours.as_array(), theirs.as_array()) {
                (Some(a), Some(b)) => {
                    b.len() == a.len() + 1 && b[..a.len()] == a[..] && b[a.len()] == ""
                }
                _ => false,
            },
            Relation::ExtraQuery(name) => match (ours.as_array(), theirs.as_array()) {
                (Some(a), Some(b)) => {
                    let kept: Vec<&Value> = a.iter().filter(|p| p[0] != name.as_str()).collect();
                    kept.len() < a.len() && kept == b.iter().collect::<Vec<_>>()
                }
                _ => false,
            },
            Relation::WholeSeconds => match (ours.as_str(), theirs.as_str()) {
                (Some(a), Some(b)) => a
                    .split_once('.')
                    .is_some_and(|(whole, _)| b.strip_suffix('Z') == Some(whole)),
                _ => false,
            },
            Relation::CrAsLf => ours != theirs && &lf(ours) == theirs,
            Relation::ExtraDefaults => ours != theirs && without_defaults(ours, theirs, defaults),
            Relation::SameInstant => ours != theirs && instants(ours) == instants(theirs),
            Relation::SameNumber => ours != theirs && numbers(ours) == numbers(theirs),
            Relation::SameFloat32 => ours != theirs && floats(ours) == floats(theirs),
            Relation::JsonEncodedBase64 => json_encoded_base64(ours, theirs),
            Relation::QualifiedTarget => match (ours.as_str(), theirs.as_str()) {
                (Some(a), Some(b)) => {
                    !a.is_empty()
                        && b.strip_suffix(a)
                            .is_some_and(|p| p.len() > 1 && p.ends_with('.'))
                }
                _ => false,
            },
            Relation::ExtraToken => extra_token(ours, theirs),
            Relation::EmptyJsonObject => ours == "" && *theirs == serde_json::json!({"json": {}}),
            Relation::EmptyAsAbsent => {
                let empty = |v: &Value| match v {
                    Value::String(s) => s.is_empty(),
                    Value::Array(a) => a.is_empty(),
                    Value::Object(o) => o.is_empty(),
                    _ => false,
                };
                (ours.is_null() && empty(theirs)) || (theirs.is_null() && empty(ours))
            }
            Relation::NumberAsText => {
                ours.is_number() && theirs.as_str() == Some(ours.to_string().as_str())
            }
            Relation::EmptyDocument => {
                theirs == "" && ours["xml"]["text"] == "" && ours["xml"].get("children").is_none()
            }
        }
    }
}

/// Whether `theirs` is `ours` less members (JSON keys, XML child elements) holding their
/// model default (`defaults`: member name and default as text), recursively.
fn without_defaults(ours: &Value, theirs: &Value, defaults: &Defaults) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // Numbers by value: a default of `0` is the member's `0.0`.
    let number = |t: &str| t.parse::<f64>().ok();
    let is_default = |name: &str, v: &Value| {
        let t = text(v);
        defaults.iter().any(|(n, d)| {
            n == name && (*d == t || (number(d).is_some() && number(d) == number(&t)))
        })
    };
    let leaf_default = |v: &Value| {
        v.get("children").is_none()
            && match (v.get("name").and_then(Value::as_str), v.get("text")) {
                (Some(name), Some(t)) => is_default(name, t),
                _ => false,
            }
    };
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b))
            if a.contains_key("name") && a.contains_key("attrs") =>
        {
            // An XML element: same name and attributes, children compared in order.
            let empty = Vec::new();
            let kids = |m: &serde_json::Map<String, Value>| {
                m.get("children")
                    .and_then(Value::as_array)
                    .unwrap_or(&empty)
                    .clone()
            };
            if a.get("name") != b.get("name") || a.get("attrs") != b.get("attrs") {
                return false;
            }
            let (ka, kb) = (kids(a), kids(b));
            if ka.is_empty() && kb.is_empty() {
                return a.get("text") == b.get("text");
            }
            let mut rest = kb.iter().peekable();
            for child in &ka {
                match rest.peek() {
                    Some(next) if without_defaults(child, next, defaults) => {
                        rest.next();
                    }
                    _ if leaf_default(child) => {}
                    _ => return false,
                }
            }
            rest.next().is_none()
        }
        (Value::Object(a), Value::Object(b)) if a.contains_key("form") => {
            form_without_defaults(&a["form"], b.get("form"), &is_default)
        }
        (Value::Object(a), Value::Object(b)) => {
            b.keys().all(|k| a.contains_key(k))
                && a.iter().all(|(k, v)| match b.get(k) {
                    Some(w) => without_defaults(v, w, defaults),
                    None => is_default(k, v),
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| without_defaults(x, y, defaults))
        }
        _ => ours == theirs,
    }
}

/// Form bodies (`[[name, value], ...]`): every pair of ours that botocore's lacks is a
/// member holding its default (its name's last segment: `Rule.ScanEnabled` is `ScanEnabled`),
/// and botocore's has nothing ours lacks.
fn form_without_defaults(
    ours: &Value,
    theirs: Option<&Value>,
    is_default: &dyn Fn(&str, &Value) -> bool,
) -> bool {
    let (Some(ours), Some(theirs)) = (ours.as_array(), theirs.and_then(Value::as_array)) else {
        return false;
    };
    let mut rest: Vec<&Value> = theirs.iter().collect();
    for pair in ours {
        if let Some(at) = rest.iter().position(|p| *p == pair) {
            rest.remove(at);
            continue;
        }
        let name = pair[0].as_str().unwrap_or_default();
        let member = name.rsplit('.').next().unwrap_or(name);
        if !is_default(member, &pair[1]) {
            return false;
        }
    }
    rest.is_empty()
}

/// `value` with every string that reads as a finite number written as Rust writes that `f64`
/// (form values are text, so `1000000` and `1000000.0` are one number to a server).
fn numbers(value: &Value) -> Value {
    respell(value, &|s| match s.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n.to_string()),
        _ => None,
    })
}

/// `value` with every string that reads as a finite number written as its nearest `f32`.
fn floats(value: &Value) -> Value {
    respell(value, &|s| match s.parse::<f32>() {
        Ok(n) if n.is_finite() => Some(n.to_string()),
        _ => None,
    })
}

/// `value` with each string `spell` rewrites rewritten, through arrays and objects.
fn respell(value: &Value, spell: &dyn Fn(&str) -> Option<String>) -> Value {
    match value {
        Value::String(s) => spell(s).map_or_else(|| value.clone(), Value::String),
        Value::Array(a) => Value::Array(a.iter().map(|v| respell(v, spell)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), respell(v, spell)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether `theirs` is base64 of the JSON encoding of the string `ours` is base64 of.
fn json_encoded_base64(ours: &Value, theirs: &Value) -> bool {
    use base64::Engine as _;
    let decode = |v: &Value| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.as_str()?)
            .ok()?;
        String::from_utf8(bytes).ok()
    };
    match (decode(ours), decode(theirs)) {
        (Some(ours), Some(theirs)) => {
            serde_json::from_str::<String>(&theirs).is_ok_and(|inner| inner == ours)
        }
        _ => false,
    }
}

/// The idempotency token both sides use in place of a random one (`botocore_side.py`'s
/// `FIXED_TOKEN`, the runtime's `TEST_IDEMPOTENCY_TOKEN`).
const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// Whether `theirs` (`{"json": {...}}`) is `ours` plus exactly one top-level member whose value
/// is [`FIXED_TOKEN`].
fn extra_token(ours: &Value, theirs: &Value) -> bool {
    let (Some(a), Some(b)) = (
        ours.get("json").and_then(Value::as_object),
        theirs.get("json").and_then(Value::as_object),
    ) else {
        return false;
    };
    let extra: Vec<(&String, &Value)> = b.iter().filter(|(k, _)| !a.contains_key(*k)).collect();
    extra.len() == 1
        && extra[0].1 == FIXED_TOKEN
        && b.len() == a.len() + 1
        && a.iter().all(|(k, v)| b.get(k) == Some(v))
}

/// `value` with RFC 3339 fractions in its strings written without trailing zeros.
fn instants(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(short_fraction(s)),
        Value::Array(a) => Value::Array(a.iter().map(instants).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), instants(v))).collect())
        }
        other => other.clone(),
    }
}

/// `2015-04-24T12:35:15.652000Z` -> `2015-04-24T12:35:15.652Z`; other text unchanged.
fn short_fraction(text: &str) -> String {
    let is_date_time = text.len() >= 20
        && text.ends_with('Z')
        && text.as_bytes().get(10) == Some(&b'T')
        && text.as_bytes().get(19) == Some(&b'.');
    if !is_date_time {
        return text.to_string();
    }
    let digits = text[20..text.len() - 1].trim_end_matches('0');
    if digits.is_empty() {
        format!("{}Z", &text[..19])
    } else {
        format!("{}.{digits}Z", &text[..19])
    }
}

/// `value` with every CR LF and lone CR in its strings read as LF (XML 1.0 section 2.11).
fn lf(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace("\r\n", "\n").replace('\r', "\n")),
        Value::Array(a) => Value::Array(a.iter().map(lf).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), lf(v))).collect()),
        other => other.clone(),
    }
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
                phase: text("phase").unwrap_or_else(|| "request".into()),
                protocol: text("protocol").unwrap_or_else(|| "*".into()),
                field: text("field").ok_or_else(|| format!("deviation {entry}: no field"))?,
                service: text("service"),
                operation: text("operation"),
                ours: text("ours"),
                theirs: text("theirs"),
                relation: text("relation").map(|r| Relation::parse(&r)).transpose()?,
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
    /// The `@default`s of the members the operation's input reaches.
    pub defaults: &'a Defaults,
}

/// Member names (as written on the wire: the member name, its `@jsonName` or `@xmlName`) with
/// their `@default` as text (`false`, `0`, `standard`).
pub type Defaults = std::collections::BTreeSet<(String, String)>;

impl Deviation {
    /// Whether this entry is about `field` where `scope` is.
    fn explains_scope(&self, scope: &Scope<'_>, field: &str) -> bool {
        let field_matches = match self.field.strip_suffix('*') {
            Some(prefix) => field.starts_with(prefix),
            None => field == self.field,
        };
        field_matches
            && (self.protocol == "*" || self.protocol == scope.protocol)
            && self.service.as_ref().is_none_or(|s| s == scope.service)
            && self.operation.as_ref().is_none_or(|o| o == scope.operation)
    }

    /// Whether this entry explains the difference of `field` (`ours` against `theirs`).
    pub fn explains(&self, scope: &Scope<'_>, field: &str, ours: &Value, theirs: &Value) -> bool {
        let contains = |wanted: &Option<String>, value: &Value| {
            wanted
                .as_ref()
                .is_none_or(|w| value.to_string().contains(w.as_str()))
        };
        self.explains_scope(scope, field)
            && contains(&self.ours, ours)
            && contains(&self.theirs, theirs)
            && self
                .relation
                .as_ref()
                .is_none_or(|r| r.holds(ours, theirs, scope.defaults))
    }
}

/// The entries explaining each difference (`None` where one is unexplained), in order: one
/// entry whose relation holds, or else the transforming ones in scope (`cr-as-lf`,
/// `same-instant`) applied together, then equality or `extra-defaults`.
pub fn classify(
    deviations: &[Deviation],
    scope: &Scope<'_>,
    differences: &[(String, Value, Value)],
) -> Vec<Option<String>> {
    differences
        .iter()
        .map(|(field, ours, theirs)| {
            if let Some(d) = deviations
                .iter()
                .find(|d| d.explains(scope, field, ours, theirs))
            {
                return Some(d.id.clone());
            }
            combined(deviations, scope, field, ours, theirs)
        })
        .collect()
}

/// The transforming deviations of `field` applied together (see [`classify`]).
fn combined(
    deviations: &[Deviation],
    scope: &Scope<'_>,
    field: &str,
    ours: &Value,
    theirs: &Value,
) -> Option<String> {
    let in_scope: Vec<&Deviation> = deviations
        .iter()
        .filter(|d| d.explains_scope(scope, field))
        .collect();
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let mut used = Vec::new();
    for d in &in_scope {
        let (x, y) = match d.relation {
            Some(Relation::CrAsLf) => (lf(&a), b.clone()),
            Some(Relation::SameInstant) => (instants(&a), instants(&b)),
            Some(Relation::SameNumber) => (numbers(&a), numbers(&b)),
            Some(Relation::SameFloat32) => (floats(&a), floats(&b)),
            _ => continue,
        };
        if (&x, &y) != (&a, &b) {
            used.push(d.id.clone());
            (a, b) = (x, y);
        }
    }
    if a != b {
        let defaults = in_scope.iter().find(|d| {
            d.relation == Some(Relation::ExtraDefaults) && without_defaults(&a, &b, scope.defaults)
        })?;
        used.push(defaults.id.clone());
    }
    (used.len() > 1).then(|| used.join("+"))
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
        let scope = Scope {
            protocol: "restJson1",
            service: "s",
            operation: "o",
            defaults: &Defaults::new(),
        };
        let diff = |field: &str, theirs: Value| vec![(field.to_string(), Value::Null, theirs)];
        assert_eq!(
            classify(
                &list,
                &scope,
                &diff("header:content-type", json!("application/x-amz-json-1.1"))
            ),
            vec![Some("ct".to_string())]
        );
        let unexplained = vec![None];
        assert_eq!(
            classify(
                &list,
                &scope,
                &diff("header:content-type", json!("text/plain"))
            ),
            unexplained
        );
        assert_eq!(
            classify(&list, &scope, &diff("body", json!("x-amz-json"))),
            unexplained
        );
        let other = Scope {
            protocol: "restXml",
            ..scope
        };
        assert_eq!(
            classify(
                &list,
                &other,
                &diff("header:content-type", json!("x-amz-json"))
            ),
            unexplained
        );
    }

    #[test]
    fn relations_hold_only_for_the_difference_they_name() {
        let defaults: Defaults = [("B", "false"), ("b", "0"), ("latency", "standard")]
            .iter()
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect();
        let holds = |r: &str, a: Value, b: Value| {
            Relation::parse(r).expect("known").holds(&a, &b, &defaults)
        };
        assert!(holds("same-list", json!("a, b"), json!("a,b")));
        assert!(!holds("same-list", json!("a, b"), json!("a,c")));
        assert!(holds(
            "leading-segment",
            json!(["k"]),
            json!(["bucket", "k"])
        ));
        assert!(!holds(
            "leading-segment",
            json!(["k"]),
            json!(["bucket", "j"])
        ));
        assert!(holds("leading-segment", json!([""]), json!(["bucket"])));
        let empty_root = json!({"xml": {"name": "R", "attrs": [], "text": ""}});
        assert!(holds("empty-document", empty_root, json!("")));
        let full = json!({"xml": {"name": "R", "attrs": [], "children": [{"name": "a"}]}});
        assert!(!holds("empty-document", full, json!("")));
        assert!(holds("trailing-slash", json!(["a"]), json!(["a", ""])));
        assert!(holds(
            "extra-query:x-id",
            json!([["a", "1"], ["x-id", "Op"]]),
            json!([["a", "1"]])
        ));
        assert!(!holds(
            "extra-query:x-id",
            json!([["a", "2"], ["x-id", "Op"]]),
            json!([["a", "1"]])
        ));
        assert!(holds(
            "whole-seconds",
            json!("2022-08-05T15:41:08.283Z"),
            json!("2022-08-05T15:41:08Z")
        ));
        assert!(!holds(
            "whole-seconds",
            json!("2022-08-05T15:41:09.283Z"),
            json!("2022-08-05T15:41:08Z")
        ));
        assert!(holds(
            "cr-as-lf",
            json!({"t": "a\r\nb\r"}),
            json!({"t": "a\nb\n"})
        ));
        assert!(!holds(
            "cr-as-lf",
            json!({"t": "a\rb"}),
            json!({"t": "a b"})
        ));
        assert!(holds(
            "same-instant",
            json!({"t": "2015-04-24T12:35:15.652Z"}),
            json!({"t": "2015-04-24T12:35:15.652000Z"})
        ));
        assert!(!holds(
            "same-instant",
            json!({"t": "2015-04-24T12:35:15.652Z"}),
            json!({"t": "2015-04-24T12:35:15.653000Z"})
        ));
        let leaf = |n: &str, t: &str| json!({"name": n, "attrs": [], "text": t});
        let el = |kids: Vec<Value>| json!({"name": "C", "attrs": [], "children": kids});
        assert!(holds(
            "extra-defaults",
            el(vec![leaf("A", "true"), leaf("B", "false")]),
            el(vec![leaf("A", "true")])
        ));
        assert!(!holds(
            "extra-defaults",
            el(vec![leaf("A", "true"), leaf("B", "true")]),
            el(vec![leaf("A", "true")])
        ));
        assert!(holds(
            "extra-defaults",
            json!({"a": 1, "b": 0}),
            json!({"a": 1})
        ));
        assert!(!holds(
            "extra-defaults",
            json!({"a": 1, "b": 2}),
            json!({"a": 1})
        ));
        assert!(Relation::parse("nonsense").is_err());
    }

    #[test]
    fn transforming_entries_combine_on_one_field() {
        let list = parse(
            r#"[{"id": "cr", "field": "body", "relation": "cr-as-lf", "reason": "r"},
                {"id": "def", "field": "body", "relation": "extra-defaults", "reason": "r"}]"#,
        )
        .expect("parses");
        let defaults: Defaults = [("b".to_string(), "false".to_string())]
            .into_iter()
            .collect();
        let scope = Scope {
            protocol: "restXml",
            service: "s",
            operation: "o",
            defaults: &defaults,
        };
        let ours = json!({"a": "x\r", "b": false});
        let theirs = json!({"a": "x\n"});
        let found = vec![("body".to_string(), ours, theirs)];
        assert_eq!(
            classify(&list, &scope, &found),
            vec![Some("cr+def".to_string())]
        );
        let other = vec![(
            "body".to_string(),
            json!({"a": "x\r", "b": true}),
            json!({"a": "x\n"}),
        )];
        assert_eq!(classify(&list, &scope, &other), vec![None]);
    }

    #[test]
    fn form_numbers_defaults_and_json_headers_are_related_exactly() {
        let defaults: Defaults = [("ScanEnabled".to_string(), "false".to_string())]
            .into_iter()
            .collect();
        let holds = |r: &str, a: Value, b: Value| {
            Relation::parse(r).expect("known").holds(&a, &b, &defaults)
        };
        let form = |pairs: &[(&str, &str)]| json!({ "form": pairs });
        assert!(holds(
            "same-number",
            form(&[("T", "1000000"), ("V", "0.0000001")]),
            form(&[("T", "1000000.0"), ("V", "1e-07")])
        ));
        assert!(!holds(
            "same-number",
            form(&[("T", "1000001")]),
            form(&[("T", "1000000.0")])
        ));
        assert!(holds(
            "extra-defaults",
            form(&[("A", "x"), ("Rule.ScanEnabled", "false")]),
            form(&[("A", "x")])
        ));
        assert!(!holds(
            "extra-defaults",
            form(&[("A", "x"), ("Rule.ScanEnabled", "true")]),
            form(&[("A", "x")])
        ));
        // base64("z") against base64("\"z\"") and base64("\"y\"").
        assert!(holds(
            "same-float32",
            json!({"xml": {"text": "-648124.4"}}),
            json!({"xml": {"text": "-648124.375"}})
        ));
        assert!(!holds(
            "same-float32",
            json!({"xml": {"text": "-648124.4"}}),
            json!({"xml": {"text": "-648124.5"}})
        ));
        assert!(holds("json-encoded-base64", json!("eg=="), json!("Inoi")));
        assert!(!holds("json-encoded-base64", json!("eg=="), json!("Inki")));
        assert!(!holds("json-encoded-base64", json!("eg=="), json!("eg==")));
    }

    #[test]
    fn an_entry_without_a_reason_is_refused() {
        assert!(parse(r#"[{"id": "x", "field": "body"}]"#).is_err());
    }

    #[test]
    fn a_qualified_target_is_ours_behind_a_dotted_prefix() {
        let holds = |ours: &str, theirs: &str| {
            Relation::QualifiedTarget.holds(&json!(ours), &json!(theirs), &Defaults::new())
        };
        assert!(holds(
            "CloudTrail_20131101.AddTags",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.AddTags"
        ));
        assert!(!holds(
            "CloudTrail_20131101.AddTags",
            "CloudTrail_20131101.AddTags"
        ));
        assert!(!holds(
            "Trail_20131101.AddTags",
            "com.CloudTrail_20131101.AddTags"
        ));
        assert!(!holds(
            "CloudTrail_20131101.AddTags",
            "x.CloudTrail_20131101.RemoveTags"
        ));
        assert!(!holds("", "x."));
    }

    #[test]
    fn an_extra_token_is_one_more_member_holding_the_fixed_token() {
        let holds = |ours: Value, theirs: Value| {
            Relation::ExtraToken.holds(&ours, &theirs, &Defaults::new())
        };
        let ours = json!({"json": {"Name": "n"}});
        assert!(holds(
            ours.clone(),
            json!({"json": {"Name": "n", "ClientToken": FIXED_TOKEN}})
        ));
        assert!(!holds(
            ours.clone(),
            json!({"json": {"Name": "n", "ClientToken": "another"}})
        ));
        assert!(!holds(
            ours.clone(),
            json!({"json": {"Name": "m", "ClientToken": FIXED_TOKEN}})
        ));
        assert!(!holds(
            ours.clone(),
            json!({"json": {"Name": "n", "A": FIXED_TOKEN, "B": FIXED_TOKEN}})
        ));
        assert!(!holds(ours.clone(), ours));
    }

    #[test]
    fn an_empty_json_object_is_only_against_no_body() {
        let holds = |ours: Value, theirs: Value| {
            Relation::EmptyJsonObject.holds(&ours, &theirs, &Defaults::new())
        };
        assert!(holds(json!(""), json!({"json": {}})));
        assert!(!holds(json!(""), json!({"json": {"a": 1}})));
        assert!(!holds(json!({"json": {}}), json!({"json": {}})));
        assert!(!holds(json!("x"), json!({"json": {}})));
    }
}
