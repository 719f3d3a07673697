//! awsQuery and ec2Query (`aws.protocols#awsQuery` / `ec2Query`) pieces shared by every generated
//! operation: the `application/x-www-form-urlencoded` request body, and finding the result and
//! the error in an XML response. Response members are read by the XML codecs (`crate::xml`).
//!
//! A request is `Action=<operation>&Version=<API version>` followed by the input's members as
//! flat key/value pairs, their keys the member path joined with `.`: nested structures as
//! `Outer.Inner`, lists as `Name.member.N` (flattened: `Name.N`; ec2Query always flattens), maps
//! as `Name.entry.N.key` / `.value` (flattened: `Name.N.key`). The generated `ToQuery` impls
//! decide the names (`@xmlName`, `@ec2QueryName`); the helpers here only join and number them.

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::primitives::{BigNumber, Blob, DateTime};
use crate::timestamp::{self, Format};
use crate::xml::XmlElement;
use base64::Engine as _;
use std::collections::HashMap;

/// A response error that keeps the whole response (the same as restJson1's).
pub use crate::rest_json::response_error;

/// Writes a shape's members as query parameters under a key prefix (`""` at the top level).
pub trait ToQuery {
    /// Appends this value's parameters, each key starting with `prefix` (and a `.`).
    fn to_query(&self, writer: &mut QueryWriter, prefix: &str);
}

/// The key/value pairs of a query request body, in the order they are written.
#[derive(Clone, Debug, Default)]
pub struct QueryWriter {
    pairs: Vec<(String, String)>,
}

impl QueryWriter {
    /// A body starting with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> QueryWriter {
        let mut writer = QueryWriter::default();
        writer.push("Action", action);
        writer.push("Version", version);
        writer
    }

    /// Appends one parameter.
    pub fn push(&mut self, key: &str, value: &str) {
        self.pairs.push((key.to_string(), value.to_string()));
    }

    /// Whether a parameter with this key was written.
    pub fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// The form-encoded body: `key=value` pairs joined by `&`, both sides percent-encoded
    /// (everything but RFC 3986's unreserved characters, so `:` in a timestamp is `%3A` and
    /// base64's `=` is `%3D`, as the protocol tests expect).
    pub fn finish(self) -> String {
        let mut body = String::new();
        for (key, value) in &self.pairs {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(&crate::http::percent_encode(key));
            body.push('=');
            body.push_str(&crate::http::percent_encode(value));
        }
        body
    }
}

/// `prefix.name`, or `name` at the top level.
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The names a list or map is written with.
#[derive(Clone, Copy, Debug)]
pub struct Collection {
    /// Items are `Name.N` rather than `Name.member.N` (`@xmlFlattened`, and always in ec2Query).
    pub flattened: bool,
    /// An empty list is sent as `Name=` (awsQuery) rather than not at all (ec2Query).
    pub empty_as_key: bool,
    /// The list item's name (`member`, or its `@xmlName`), or the map entry's (`entry`).
    pub item: &'static str,
}

/// Serialization helpers: each writes one value under the full `key`.
pub mod ser {
    use super::*;

    /// Applies a writer to a value (keeps generated code free of immediately-called closures).
    pub fn with<T: ?Sized>(
        writer: &mut QueryWriter,
        key: &str,
        value: &T,
        write: impl Fn(&mut QueryWriter, &str, &T),
    ) {
        write(writer, key, value);
    }

    /// A string.
    pub fn string<S: AsRef<str> + ?Sized>(writer: &mut QueryWriter, key: &str, value: &S) {
        writer.push(key, value.as_ref());
    }

    /// An enum (its wire string).
    pub fn enumeration<T: AsRef<str>>(writer: &mut QueryWriter, key: &str, value: &T) {
        writer.push(key, value.as_ref());
    }

    /// An int enum (its wire integer).
    pub fn int_enumeration<T: Copy + Into<i32>>(writer: &mut QueryWriter, key: &str, value: &T) {
        writer.push(key, &(*value).into().to_string());
    }

    /// A boolean.
    pub fn boolean(writer: &mut QueryWriter, key: &str, value: &bool) {
        writer.push(key, if *value { "true" } else { "false" });
    }

    /// Any integer.
    pub fn integer<T: Copy + Into<i64>>(writer: &mut QueryWriter, key: &str, value: &T) {
        writer.push(key, &(*value).into().to_string());
    }

    /// A double (`NaN`, `Infinity`, `-Infinity` for the non-finite ones).
    pub fn double(writer: &mut QueryWriter, key: &str, value: &f64) {
        writer.push(key, &crate::wire::float_text(*value));
    }

    /// A float, printed at `f32` precision (`10.8`, not `10.800000190734863`).
    pub fn float(writer: &mut QueryWriter, key: &str, value: &f32) {
        writer.push(key, &crate::wire::float32_text(*value));
    }

    /// An arbitrary-precision number.
    pub fn big_number(writer: &mut QueryWriter, key: &str, value: &BigNumber) {
        writer.push(key, value.as_str());
    }

    /// Base64 bytes.
    pub fn blob(writer: &mut QueryWriter, key: &str, value: &Blob) {
        let text = base64::engine::general_purpose::STANDARD.encode(value.as_bytes());
        writer.push(key, &text);
    }

    /// An epoch-seconds timestamp.
    pub fn epoch_seconds(writer: &mut QueryWriter, key: &str, value: &DateTime) {
        writer.push(key, &timestamp::epoch_seconds_text(value));
    }

    /// An RFC 3339 timestamp (the query default).
    pub fn date_time(writer: &mut QueryWriter, key: &str, value: &DateTime) {
        writer.push(key, &timestamp::format(value, Format::DateTime));
    }

    /// An HTTP-date timestamp.
    pub fn http_date(writer: &mut QueryWriter, key: &str, value: &DateTime) {
        writer.push(key, &timestamp::format(value, Format::HttpDate));
    }

    /// A generated shape.
    pub fn shape<T: ToQuery>(writer: &mut QueryWriter, key: &str, value: &T) {
        value.to_query(writer, key);
    }

    /// A boxed value (a member closing a recursive cycle).
    pub fn boxed<T: ?Sized>(
        writer: &mut QueryWriter,
        key: &str,
        value: &T,
        write: impl Fn(&mut QueryWriter, &str, &T),
    ) {
        write(writer, key, value);
    }

    /// A list: `key.member.1`, `key.member.2`, ... (flattened: `key.1`, ...), numbered from 1.
    pub fn list<T>(
        writer: &mut QueryWriter,
        key: &str,
        names: Collection,
        items: &[T],
        write: impl Fn(&mut QueryWriter, &str, &T),
    ) {
        if items.is_empty() {
            if names.empty_as_key {
                writer.push(key, "");
            }
            return;
        }
        let base = if names.flattened {
            key.to_string()
        } else {
            super::key(key, names.item)
        };
        for (n, item) in items.iter().enumerate() {
            write(writer, &format!("{base}.{}", n + 1), item);
        }
    }

    /// A map: `key.entry.N.<key name>` and `key.entry.N.<value name>` (flattened: `key.N.…`),
    /// entries in key order so that a request is the same every time (a `HashMap` has no order).
    pub fn map<K: AsRef<str>, V>(
        writer: &mut QueryWriter,
        key: &str,
        names: Collection,
        (key_name, value_name): (&str, &str),
        entries: &HashMap<K, V>,
        write: impl Fn(&mut QueryWriter, &str, &V),
    ) {
        let sorted = crate::key_order::sorted_entries(entries);
        let base = if names.flattened {
            key.to_string()
        } else {
            super::key(key, names.item)
        };
        for (n, (k, v)) in sorted.into_iter().enumerate() {
            let entry = format!("{base}.{}", n + 1);
            writer.push(&super::key(&entry, key_name), k);
            write(writer, &super::key(&entry, value_name), v);
        }
    }
}

/// The element holding an awsQuery operation's output: `<OpResult>` inside the
/// `<OpResponse>` root (the result element's name is not checked: the one child that is not
/// `ResponseMetadata`). An empty body, or a root without a result, is an empty output.
pub fn result_element(body: &[u8]) -> crate::xml::Result<XmlElement> {
    let Some(root) = crate::xml::parse_document(body)? else {
        return Ok(XmlElement::default());
    };
    Ok(root
        .children
        .into_iter()
        .find(|c| !c.is("ResponseMetadata"))
        .unwrap_or_default())
}

/// The root element of an ec2Query response, which holds the output's members itself (beside
/// a `requestId`, which no output models).
pub fn ec2_result_element(body: &[u8]) -> crate::xml::Result<XmlElement> {
    Ok(crate::xml::parse_document(body)?.unwrap_or_default())
}

/// The `<Error>` element of an awsQuery error response
/// (`<ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>`, shared with restXml) and its
/// request ID.
pub fn error_element(body: &[u8]) -> (XmlElement, Option<String>) {
    crate::rest_xml::error_element(body)
}

/// The first `<Error>` of an ec2Query error response
/// (`<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`) and its request ID;
/// an empty element when the body has none (a proxy's HTML page).
pub fn ec2_error_element(body: &[u8]) -> (XmlElement, Option<String>) {
    let Ok(Some(mut root)) = crate::xml::parse_document(body) else {
        return (XmlElement::default(), None);
    };
    let request_id = root.take_child("RequestID").map(|c| c.text);
    let error = root
        .take_child("Errors")
        .and_then(|mut errors| errors.take_child("Error"))
        .unwrap_or_default();
    (error, request_id)
}

/// Code, message, status and request ID of an error response (as restXml's).
pub fn error_metadata(
    response: &HttpResponse,
    error: &XmlElement,
    request_id: Option<String>,
) -> ErrorMetadata {
    crate::rest_xml::error_metadata(response, error, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_maps_and_nesting_form_the_documented_keys() {
        let mut writer = QueryWriter::new("Op", "2020-01-08");
        let wrapped = Collection {
            flattened: false,
            empty_as_key: true,
            item: "member",
        };
        ser::list(&mut writer, "Names", wrapped, &["a", "b"], |w, k, v| {
            ser::string(w, k, v)
        });
        ser::list::<&str>(&mut writer, "Empty", wrapped, &[], |w, k, v| {
            ser::string(w, k, v)
        });
        let mut map = HashMap::new();
        map.insert("z".to_string(), 1i32);
        map.insert("a".to_string(), 2i32);
        let entries = Collection {
            item: "entry",
            ..wrapped
        };
        ser::map(
            &mut writer,
            &key("Outer", "Tags"),
            entries,
            ("key", "value"),
            &map,
            ser::integer,
        );
        assert_eq!(
            writer.finish(),
            "Action=Op&Version=2020-01-08&Names.member.1=a&Names.member.2=b&Empty=\
             &Outer.Tags.entry.1.key=a&Outer.Tags.entry.1.value=2\
             &Outer.Tags.entry.2.key=z&Outer.Tags.entry.2.value=1"
        );
    }

    #[test]
    fn ec2_lists_are_flat_and_empty_ones_are_not_sent() {
        let mut writer = QueryWriter::default();
        let ec2 = Collection {
            flattened: true,
            empty_as_key: false,
            item: "member",
        };
        ser::list(&mut writer, "Ids", ec2, &["i-1"], |w, k, v| {
            ser::string(w, k, v)
        });
        ser::list::<&str>(&mut writer, "None", ec2, &[], |w, k, v| {
            ser::string(w, k, v)
        });
        assert_eq!(writer.finish(), "Ids.1=i-1");
    }

    #[test]
    fn values_are_percent_encoded() {
        let mut writer = QueryWriter::default();
        writer.push("When", "2015-01-25T08:00:00Z");
        writer.push("Text", "a b&c=d/é");
        assert_eq!(
            writer.finish(),
            "When=2015-01-25T08%3A00%3A00Z&Text=a%20b%26c%3Dd%2F%C3%A9"
        );
    }

    #[test]
    fn the_result_is_found_beside_the_response_metadata() {
        let body = b"<OpResponse xmlns=\"x\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata><OpResult><A>1</A></OpResult></OpResponse>";
        let result = result_element(body).expect("parses");
        assert!(result.is("OpResult"));
        assert_eq!(result.children[0].text, "1");
        assert_eq!(result_element(b"").expect("empty"), XmlElement::default());
    }

    #[test]
    fn ec2_errors_are_inside_errors() {
        let body = b"<Response><Errors><Error><Code>Bad</Code><Message>m</Message></Error></Errors><RequestID>id-1</RequestID></Response>";
        let (error, request_id) = ec2_error_element(body);
        assert_eq!(error.children[0].text, "Bad");
        assert_eq!(request_id.as_deref(), Some("id-1"));
        assert_eq!(ec2_error_element(b"<html>").0, XmlElement::default());
    }
}
