//! The response phase's own wire emitter: a random output value (in the protocol tests'
//! `params` convention, see [`crate::values`]) written as the HTTP response a service of the
//! protocol would send, following the Smithy protocol specifications (not our generated
//! code), for both parsers to read.
//!
//! - restJson1 and restXml ([`Response::rest`]): `@httpResponseCode` to the status (else the
//!   operation's `@http` code), `@httpHeader` and `@httpPrefixHeaders` members to headers, an
//!   `@httpPayload` member to the whole body, the other members to a JSON object ([`json`]) or
//!   an XML document named after the output structure ([`xml`]).
//! - awsJson1_0 / awsJson1_1: the whole output as a JSON object.
//! - awsQuery / ec2Query: the output's members inside `<OpResponse><OpResult>` (awsQuery) or
//!   directly inside `<OpResponse>` (ec2Query), with the response metadata.

pub mod json;
pub mod xml;

use serde_json::Value;
use smithy_gen::model::traits::TimestampFormat;
use smithy_gen::model::{Member, Model, ShapeId, ShapeKind, Traits};

/// A response as a transport would hand it over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// The protocol family a response is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// restJson1.
    RestJson,
    /// awsJson1_0 (`true`: 1.0) and awsJson1_1.
    AwsJson(bool),
    /// restXml.
    RestXml,
    /// awsQuery.
    Query,
    /// ec2Query.
    Ec2,
}

impl Family {
    /// The family of a protocol short name (`restJson1`, `awsQuery`, ...).
    pub fn of(protocol: &str) -> Option<Family> {
        Some(match protocol {
            "restJson1" => Family::RestJson,
            "awsJson1_0" => Family::AwsJson(true),
            "awsJson1_1" => Family::AwsJson(false),
            "restXml" => Family::RestXml,
            "awsQuery" => Family::Query,
            "ec2Query" => Family::Ec2,
            _ => return None,
        })
    }
}

/// What the emitter needs to know about the operation.
pub struct Operation<'a> {
    /// The model.
    pub model: &'a Model,
    /// The service shape (for `@xmlNamespace`).
    pub service: &'a ShapeId,
    /// The operation's name.
    pub name: &'a str,
    /// The output structure (possibly `smithy.api#Unit`).
    pub output: &'a ShapeId,
    /// The `@http` code of the operation (200 without the trait).
    pub http_code: u16,
}

/// The request id every response carries.
pub const REQUEST_ID: &str = "d1ff0000-0000-4000-8000-000000000001";

/// The response of `value` (the output) for `family`.
pub fn response(family: Family, op: &Operation<'_>, value: &Value) -> Response {
    match family {
        Family::RestJson | Family::RestXml => rest(family, op, value),
        Family::AwsJson(v10) => {
            let body = json::structure(op.model, op.output, value, false, &|_| true);
            Response {
                status: 200,
                headers: vec![
                    (
                        "content-type".into(),
                        if v10 {
                            "application/x-amz-json-1.0"
                        } else {
                            "application/x-amz-json-1.1"
                        }
                        .into(),
                    ),
                    ("x-amzn-requestid".into(), REQUEST_ID.into()),
                ],
                body: serde_json::to_vec(&body).unwrap_or_default(),
            }
        }
        Family::Query | Family::Ec2 => query(family, op, value),
    }
}

fn query(family: Family, op: &Operation<'_>, value: &Value) -> Response {
    let namespace = xml::service_namespace(op.model, op.service);
    let mut members = String::new();
    if !op.output.is_unit() {
        xml::members(op.model, op.output, value, &|_| true, &mut members);
    }
    let name = op.name;
    let ns = namespace
        .map(|uri| format!(" xmlns=\"{}\"", xml::escape(&uri, true)))
        .unwrap_or_default();
    let body = match family {
        Family::Ec2 => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{name}Response{ns}><requestId>{REQUEST_ID}</requestId>{members}</{name}Response>"
        ),
        _ => format!(
            "<{name}Response{ns}><{name}Result>{members}</{name}Result><ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata></{name}Response>"
        ),
    };
    Response {
        status: 200,
        headers: vec![
            ("content-type".into(), "text/xml".into()),
            ("x-amzn-requestid".into(), REQUEST_ID.into()),
        ],
        body: body.into_bytes(),
    }
}

/// Whether a top-level member of a REST output is bound to something other than the body.
fn bound(member: &Member) -> bool {
    member.traits.http_header().is_some()
        || member.traits.http_prefix_headers().is_some()
        || member.traits.http_response_code()
        || member.traits.http_payload()
}

/// The response of a modelled error (`error`, holding `value`), as a service of `family`
/// sends it (Smithy "Operation error serialization" of each protocol): the status from
/// `@awsQueryError` (awsQuery), else `@httpError`, else 400 for a client error and 500 for a
/// server error; the code is the error's shape name (its `@awsQueryError` code for awsQuery)
/// in the `X-Amzn-Errortype` header (restJson1), the `__type` member (awsJson), or the
/// `<Code>` of `<ErrorResponse><Error>` (restXml, awsQuery) or `<Response><Errors><Error>`
/// (ec2Query), beside the error's members.
pub fn error_response(
    family: Family,
    op: &Operation<'_>,
    error: &ShapeId,
    value: &Value,
) -> Response {
    let traits = op
        .model
        .get(error)
        .map(|s| s.traits.clone())
        .unwrap_or_default();
    let query_error = traits.get("aws.protocols#awsQueryError");
    let status = query_error
        .filter(|_| family == Family::Query)
        .and_then(|q| q.get("httpResponseCode"))
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .or_else(|| traits.http_error())
        .unwrap_or(
            if traits.get("smithy.api#error").and_then(Value::as_str) == Some("server") {
                500
            } else {
                400
            },
        );
    let code = query_error
        .filter(|_| family == Family::Query)
        .and_then(|q| q.get("code"))
        .and_then(Value::as_str)
        .unwrap_or(error.name())
        .to_string();
    let fault = if status >= 500 { "Receiver" } else { "Sender" };
    let error_op = Operation {
        output: error,
        http_code: status,
        ..*op
    };
    match family {
        Family::RestJson => {
            let mut response = rest(family, &error_op, value);
            response.headers.push(("x-amzn-errortype".into(), code));
            response
        }
        Family::AwsJson(_) => {
            let mut response = response(family, &error_op, value);
            let mut body = json::structure(op.model, error, value, false, &|_| true);
            if let Value::Object(map) = &mut body {
                map.insert("__type".into(), Value::from(code));
            }
            response.status = status;
            response.body = serde_json::to_vec(&body).unwrap_or_default();
            response
        }
        Family::RestXml | Family::Query | Family::Ec2 => {
            let mut response = if family == Family::RestXml {
                rest_headers(&error_op, value)
            } else {
                Response {
                    status,
                    headers: vec![("x-amzn-requestid".into(), REQUEST_ID.into())],
                    body: Vec::new(),
                }
            };
            let mut members = String::new();
            let keep = |m: &Member| family != Family::RestXml || !bound(m);
            xml::members(op.model, error, value, &keep, &mut members);
            let code = xml::escape(&code, false);
            response.body = match family {
                Family::Ec2 => format!(
                    "<Response><Errors><Error><Code>{code}</Code>{members}</Error></Errors><RequestID>{REQUEST_ID}</RequestID></Response>"
                ),
                _ => format!(
                    "<ErrorResponse><Error><Type>{fault}</Type><Code>{code}</Code>{members}</Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"
                ),
            }
            .into_bytes();
            response
                .headers
                .push(("content-type".into(), "text/xml".into()));
            response
        }
    }
}

fn rest(family: Family, op: &Operation<'_>, value: &Value) -> Response {
    let mut response = rest_headers(op, value);
    let members = match op.model.get(op.output).map(|s| &s.kind) {
        Some(ShapeKind::Structure(members)) => members.as_slice(),
        _ => &[],
    };
    let object = value.as_object();
    for member in members.iter().filter(|m| m.traits.http_payload()) {
        if let Some(v) = object.and_then(|o| o.get(&member.name)) {
            payload(family, op, member, v, &mut response);
        }
    }
    let has_payload = members.iter().any(|m| m.traits.http_payload());
    let has_body_members = members.iter().any(|m| !bound(m));
    if !has_payload && has_body_members {
        match family {
            Family::RestJson => {
                let body = json::structure(op.model, op.output, value, true, &|m| !bound(m));
                response.body = serde_json::to_vec(&body).unwrap_or_default();
                response
                    .headers
                    .push(("content-type".into(), "application/json".into()));
            }
            _ => {
                let root = xml::root_name(op.model, op.output);
                let ns = xml::service_namespace(op.model, op.service);
                let text = xml::document(op.model, op.output, &root, ns.as_deref(), value, &|m| {
                    !bound(m)
                });
                response.body = text.into_bytes();
                response
                    .headers
                    .push(("content-type".into(), "application/xml".into()));
            }
        }
    }
    response
}

/// The status and headers of a REST response: `@httpResponseCode` (else the operation's
/// code), `@httpHeader` and `@httpPrefixHeaders` members.
fn rest_headers(op: &Operation<'_>, value: &Value) -> Response {
    let mut response = Response {
        status: op.http_code,
        headers: vec![("x-amzn-requestid".into(), REQUEST_ID.into())],
        body: Vec::new(),
    };
    let members = match op.model.get(op.output).map(|s| &s.kind) {
        Some(ShapeKind::Structure(members)) => members.as_slice(),
        _ => &[],
    };
    let object = value.as_object();
    let get = |member: &Member| object.and_then(|o| o.get(&member.name));
    for member in members {
        let Some(v) = get(member) else { continue };
        let target = merged(op.model, member);
        if member.traits.http_response_code() {
            response.status = v
                .as_u64()
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200);
        } else if let Some(name) = member.traits.http_header() {
            if let Some(text) = header_value(op.model, &member.target, &target, v) {
                response.headers.push((name.to_ascii_lowercase(), text));
            }
        } else if let Some(prefix) = member.traits.http_prefix_headers() {
            let Some(map) = v.as_object() else { continue };
            for (key, item) in map {
                if let Some(text) = item.as_str() {
                    let name = format!("{prefix}{key}").to_ascii_lowercase();
                    response.headers.push((name, text.to_string()));
                }
            }
        }
    }
    response
}

/// The whole body from an `@httpPayload` member.
fn payload(family: Family, op: &Operation<'_>, member: &Member, v: &Value, out: &mut Response) {
    let model = op.model;
    let Some(shape) = model.get(&member.target) else {
        return;
    };
    let (body, media) = match &shape.kind {
        ShapeKind::Blob => (
            v.as_str().unwrap_or_default().as_bytes().to_vec(),
            "application/octet-stream",
        ),
        ShapeKind::String | ShapeKind::Enum(_) => (
            v.as_str().unwrap_or_default().as_bytes().to_vec(),
            "text/plain",
        ),
        ShapeKind::Document => (
            serde_json::to_vec(v).unwrap_or_default(),
            "application/json",
        ),
        _ if family == Family::RestJson => {
            let body = json::value(model, &member.target, &member.traits, v, true);
            (
                serde_json::to_vec(&body).unwrap_or_default(),
                "application/json",
            )
        }
        _ => {
            // The payload's root element: the member's @xmlName, else the target's, else the
            // target's shape name.
            let root = member
                .traits
                .get("smithy.api#xmlName")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| xml::root_name(model, &member.target));
            let ns = xml::namespace(&member.traits)
                .or_else(|| xml::namespace(&shape.traits))
                .or_else(|| xml::service_namespace(model, op.service));
            let text = xml::document(model, &member.target, &root, ns.as_deref(), v, &|_| true);
            (text.into_bytes(), "application/xml")
        }
    };
    let media = shape.traits.media_type().unwrap_or(media);
    // A member bound to Content-Type (S3's, MediaStore's) says what the payload is; unset,
    // the response has no Content-Type (else both parsers would read one the value lacks).
    let bound_content_type = match model.get(op.output).map(|s| &s.kind) {
        Some(ShapeKind::Structure(members)) => members.iter().any(|m| {
            m.traits
                .http_header()
                .is_some_and(|h| h.eq_ignore_ascii_case("content-type"))
        }),
        _ => false,
    };
    if !bound_content_type {
        out.headers.push(("content-type".into(), media.to_string()));
    }
    out.body = body;
}

/// A member's traits over its target's (the member's win), for formats and media types.
pub(crate) fn merged(model: &Model, member: &Member) -> Traits {
    let mut traits = model
        .get(&member.target)
        .map(|s| s.traits.clone())
        .unwrap_or_default();
    for (k, v) in &member.traits.0 {
        traits.insert(k, v.clone());
    }
    traits
}

/// The text of a header-bound value (`None` for an empty list: no header at all).
fn header_value(model: &Model, target: &ShapeId, traits: &Traits, v: &Value) -> Option<String> {
    let shape = model.get(target)?;
    if let ShapeKind::List(item) = &shape.kind {
        let items = v.as_array()?;
        if items.is_empty() {
            return None;
        }
        let item_traits = merged(model, item);
        let texts: Vec<String> = items
            .iter()
            .filter_map(|i| {
                let text = scalar_header(model, &item.target, &item_traits, i)?;
                let is_string = matches!(
                    model.get(&item.target).map(|s| &s.kind),
                    Some(ShapeKind::String | ShapeKind::Enum(_))
                );
                // A string item holding a comma or a quote is quoted (Smithy: "HTTP header
                // lists"); http-date items are not (their comma is part of the format).
                Some(if is_string && (text.contains(',') || text.contains('"')) {
                    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
                } else {
                    text
                })
            })
            .collect();
        return Some(texts.join(", "));
    }
    scalar_header(model, target, traits, v)
}

fn scalar_header(model: &Model, target: &ShapeId, traits: &Traits, v: &Value) -> Option<String> {
    let shape = model.get(target)?;
    Some(match &shape.kind {
        ShapeKind::String if traits.media_type().is_some() => {
            base64(v.as_str().unwrap_or_default().as_bytes())
        }
        ShapeKind::Blob => base64(v.as_str().unwrap_or_default().as_bytes()),
        ShapeKind::Timestamp => timestamp(
            v,
            traits
                .timestamp_format()
                .unwrap_or(TimestampFormat::HttpDate),
        )
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| timestamp(v, TimestampFormat::EpochSeconds).to_string()),
        _ => match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    })
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Milliseconds since the epoch of a params timestamp (epoch seconds, at most milliseconds).
pub fn millis(v: &Value) -> i64 {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|s| s * 1000)
            .unwrap_or_else(|| (n.as_f64().unwrap_or_default() * 1000.0).round() as i64),
        _ => 0,
    }
}

/// A timestamp in `format`: a number for epoch seconds, else text.
pub fn timestamp(v: &Value, format: TimestampFormat) -> Value {
    let ms = millis(v);
    let (secs, frac) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    match format {
        TimestampFormat::EpochSeconds => {
            if frac == 0 {
                Value::from(secs)
            } else {
                serde_json::from_str(&format!("{secs}.{frac:03}")).unwrap_or(Value::from(secs))
            }
        }
        TimestampFormat::DateTime => {
            let (y, mo, d, h, mi, s, _) = civil(secs);
            let fraction = if frac == 0 {
                String::new()
            } else {
                format!(".{frac:03}")
            };
            Value::from(format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}Z"
            ))
        }
        TimestampFormat::HttpDate => {
            let (y, mo, d, h, mi, s, weekday) = civil(secs);
            const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            Value::from(format!(
                "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
                DAYS[weekday],
                MONTHS[(mo - 1) as usize]
            ))
        }
    }
}

/// `(year, month, day, hour, minute, second, days since a Thursday mod 7)` of epoch seconds
/// (the days-to-civil algorithm over 400-year eras).
fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64, usize) {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        days.rem_euclid(7) as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_base64() {
        let t = serde_json::json!(1576540098.5);
        assert_eq!(
            timestamp(&t, TimestampFormat::DateTime),
            "2019-12-16T23:48:18.500Z"
        );
        assert_eq!(
            timestamp(&serde_json::json!(1576540098), TimestampFormat::HttpDate),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(
            timestamp(&t, TimestampFormat::EpochSeconds),
            serde_json::json!(1576540098.5)
        );
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
