//! The standard-library functions of the rules language that need more than a line of code:
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel` and `split`.

use std::net::{Ipv4Addr, Ipv6Addr};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::value::Val;

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const URI_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `substring(input, start, stop, reverse)`: the ASCII characters `start..stop` (counted from
/// the end when `reverse`), or absent when the range does not fit or the input is not ASCII
/// (byte and character positions would disagree).
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    let len = input.len();
    if start >= stop || stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    input.get(range).map(str::to_owned)
}

/// `uriEncode(value)`: percent-encodes everything but `A-Za-z0-9-_.~`, with uppercase hex.
pub(crate) fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE_SET).to_string()
}

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 label (1 to 63 ASCII letters,
/// digits or `-`, not starting with `-`); with `allow_sub_domains`, dot-separated labels.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_single_host_label)
    } else {
        is_single_host_label(value)
    }
}

fn is_single_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `split(value, delimiter, limit)` (rules language 1.1): all parts when `limit` is 0,
/// otherwise at most `limit` parts with the remainder in the last. An empty delimiter or a
/// negative limit gives absent rather than guessing.
pub(crate) fn split(value: &str, delimiter: &str, limit: i64) -> Option<Val> {
    if delimiter.is_empty() {
        return None;
    }
    let parts: Vec<&str> = match usize::try_from(limit).ok()? {
        0 => value.split(delimiter).collect(),
        limit => value.splitn(limit, delimiter).collect(),
    };
    Some(Val::Array(
        parts.into_iter().map(|p| Val::Str(p.to_owned())).collect(),
    ))
}

/// `parseURL(url)`: `{scheme, authority, path, normalizedPath, isIp}` for an `http`/`https`
/// URL without query or fragment (endpoint overrides must not carry either), else absent.
pub(crate) fn parse_url(url: &str) -> Option<Val> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let is_ip = host_is_ip(authority)?;
    Some(Val::object([
        ("scheme", Val::Str(scheme)),
        ("authority", Val::Str(authority.to_owned())),
        ("path", Val::Str(path.to_owned())),
        ("normalizedPath", Val::Str(normalize_path(path))),
        ("isIp", Val::Bool(is_ip)),
    ]))
}

/// Whether the authority's host is an IP literal; `None` if the authority is malformed.
fn host_is_ip(authority: &str) -> Option<bool> {
    // User information is never part of an endpoint host; only the part after `@` counts.
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if let Some(bracketed) = host_port.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        valid_port_suffix(after)?;
        return address.parse::<Ipv6Addr>().is_ok().then_some(true);
    }
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) => {
            valid_port_suffix(&format!(":{port}"))?;
            host
        }
        None => host_port,
    };
    if host.is_empty() {
        return None;
    }
    Some(host.parse::<Ipv4Addr>().is_ok())
}

/// Accepts an empty string or `:` followed by a decimal port number.
fn valid_port_suffix(suffix: &str) -> Option<()> {
    if suffix.is_empty() {
        return Some(());
    }
    let port = suffix.strip_prefix(':')?;
    port.parse::<u16>().ok().map(|_| ())
}

/// The path with exactly one leading and one trailing `/` guaranteed, so that rules can
/// append to it (`{url#normalizedPath}{Bucket}`).
fn normalize_path(path: &str) -> String {
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(value: &Val, key: &str) -> Val {
        match value {
            Val::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap(),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("ab\u{e9}d", 0, 2, false), None);
    }

    #[test]
    fn encodes() {
        assert_eq!(uri_encode("a b/c~d%"), "a%20b%2Fc~d%25");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("-bad", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(
            field(&url, "authority"),
            Val::Str("example.com:8443".into())
        );
        assert_eq!(field(&url, "path"), Val::Str("/a/b".into()));
        assert_eq!(field(&url, "normalizedPath"), Val::Str("/a/b/".into()));
        assert_eq!(field(&url, "isIp"), Val::Bool(false));
        let ip = parse_url("http://127.0.0.1").unwrap();
        assert_eq!(field(&ip, "isIp"), Val::Bool(true));
        assert_eq!(field(&ip, "normalizedPath"), Val::Str("/".into()));
        assert_eq!(
            field(&parse_url("http://[::1]:80/").unwrap(), "isIp"),
            Val::Bool(true)
        );
        assert_eq!(parse_url("https://example.com/?q=1"), None);
        assert_eq!(parse_url("https://example.com#frag"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
    }

    #[test]
    fn splits() {
        let parts = |v: &str, d: &str, l: i64| split(v, d, l);
        assert_eq!(
            parts("a--b--c", "--", 2),
            Some(Val::Array(vec![
                Val::Str("a".into()),
                Val::Str("b--c".into())
            ]))
        );
        assert_eq!(parts("abc", "", 0), None);
    }
}
