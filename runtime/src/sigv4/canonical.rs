//! Building the parts of the canonical request: URI, query string and headers.
//!
//! Rules (AWS "Create a canonical request"; checked against the official test suite):
//! * URI: optionally normalised (`.`/`..` removed, empty segments collapsed), then encoded with
//!   the strict unreserved set, either of every byte of the path as sent ("double" encoding,
//!   because the path on the wire is already encoded once) or leaving existing `%XX` escapes
//!   alone (S3-style single encoding).
//! * Query: every name and value decoded and re-encoded with the strict set, sorted by name
//!   then value.
//! * Headers: names lower-cased, values trimmed with whitespace runs (line folds included)
//!   collapsed to one space, repeated names joined with `,` in their original order, sorted.

use std::borrow::Cow;
use std::collections::BTreeMap;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except the SigV4 unreserved characters `A-Za-z0-9-_.~` gets percent-encoded.
pub(crate) const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Like [`STRICT`], but `/` separates path segments and stays as is.
const PATH: &AsciiSet = &STRICT.remove(b'/');

/// Percent-encodes `bytes` with the strict set (used for query names and values).
pub(crate) fn encode_bytes(bytes: &[u8]) -> String {
    percent_encoding::percent_encode(bytes, STRICT).to_string()
}

/// The canonical URI of `path` (the request path as sent, without the query).
pub(crate) fn canonical_uri(path: &str, normalize: bool, double_encode: bool) -> String {
    let path: Cow<'_, str> = match (normalize, path.starts_with('/')) {
        (true, _) => Cow::Owned(normalize_path(path)),
        (false, true) => Cow::Borrowed(path),
        (false, false) => Cow::Owned(format!("/{path}")),
    };
    if double_encode {
        utf8_percent_encode(&path, PATH).to_string()
    } else {
        encode_keeping_escapes(&path)
    }
}

/// RFC 3986 dot-segment removal plus collapsing of empty segments (`//`). Always starts with
/// `/`; keeps a trailing `/` when the input has one (or ends in a dot segment) and the result
/// is not the root.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut normalized = String::with_capacity(path.len() + 1);
    normalized.push('/');
    normalized.push_str(&segments.join("/"));
    if trailing && !segments.is_empty() {
        normalized.push('/');
    }
    normalized
}

/// Encodes like [`PATH`] but leaves valid `%XX` escapes untouched, so an already encoded path
/// is used as is and a raw one is encoded once.
fn encode_keeping_escapes(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut encoded = String::with_capacity(path.len());
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        if is_escape(&bytes[index..]) {
            encoded.extend(utf8_percent_encode(&path[start..index], PATH));
            encoded.push_str(&path[index..index + 3]);
            index += 3;
            start = index;
        } else {
            index += 1;
        }
    }
    encoded.extend(utf8_percent_encode(&path[start..], PATH));
    encoded
}

fn is_escape(bytes: &[u8]) -> bool {
    matches!(bytes, [b'%', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit())
}

/// Splits a raw query string into decoded `(name, value)` byte pairs; empty pieces (`a=1&&b=2`)
/// are dropped and a piece without `=` has an empty value.
pub(crate) fn decode_query(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let decode = |text: &str| percent_decode_str(text).collect::<Vec<u8>>();
            (decode(name), decode(value))
        })
        .collect()
}

/// The canonical query string of the request's own parameters (minus any whose decoded name
/// `skip` rejects) plus `extra` (unencoded signing parameters).
pub(crate) fn canonical_query(
    query: Option<&str>,
    skip: impl Fn(&[u8]) -> bool,
    extra: &[(&str, String)],
) -> String {
    let own = decode_query(query.unwrap_or(""))
        .into_iter()
        .filter(|(name, _)| !skip(name))
        .map(|(name, value)| (encode_bytes(&name), encode_bytes(&value)));
    let extra = extra.iter().map(|(name, value)| {
        (
            encode_bytes(name.as_bytes()),
            encode_bytes(value.as_bytes()),
        )
    });
    let mut pairs: Vec<(String, String)> = own.chain(extra).collect();
    // Sorting the (name, value) pairs, not the joined `name=value` strings: `Param` must come
    // before `Param-3` although `=` sorts after `-`.
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Canonical headers block and signed-headers list.
pub(crate) struct CanonicalHeaders {
    /// `name:value\n` lines, sorted by name.
    pub(crate) block: String,
    /// Names joined with `;`.
    pub(crate) signed: String,
}

/// Builds the canonical headers from `(name, value)` pairs, keeping only names `include`
/// accepts (names are given to it lower-cased).
pub(crate) fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    include: impl Fn(&str) -> bool,
) -> CanonicalHeaders {
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || !include(&name) {
            continue;
        }
        grouped
            .entry(name)
            .or_default()
            .push(normalize_value(value));
    }
    let block = grouped
        .iter()
        .map(|(name, values)| format!("{name}:{}\n", values.join(",")))
        .collect();
    let signed = grouped
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    CanonicalHeaders { block, signed }
}

/// Trims a header value and collapses every whitespace run (including the line breaks of
/// folded multi-line values) into a single space.
fn normalize_value(value: &str) -> String {
    value.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        for (input, expected) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/example/..", "/"),
            ("/a/b/..", "/a/"),
            ("/a/./b/../../c", "/c"),
            ("//example//", "/example/"),
            ("/../..", "/"),
            ("a/b", "/a/b"),
        ] {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
    }

    #[test]
    fn path_encoding_modes() {
        assert_eq!(canonical_uri("/a%3Ab c", true, true), "/a%253Ab%20c");
        assert_eq!(
            canonical_uri("/a%3Ab c%zz%4", true, false),
            "/a%3Ab%20c%25zz%254"
        );
        assert_eq!(canonical_uri("x/../", false, true), "/x/../");
    }

    #[test]
    fn query_decoding_and_sorting() {
        let query = canonical_query(Some("b=2&a&&a=%41+&c=%zz"), |_| false, &[]);
        assert_eq!(query, "a=&a=A%2B&b=2&c=%25zz");
    }

    #[test]
    fn header_values_collapse() {
        let headers = canonical_headers([("A", " x \t y\n  z "), ("a", "w"), ("B", "")], |_| true);
        assert_eq!(headers.block, "a:x y z,w\nb:\n");
        assert_eq!(headers.signed, "a;b");
    }
}
