//! `NO_PROXY`: the hosts reached directly even when a proxy is configured.
//!
//! A comma-separated list (spaces around entries are ignored), as curl and the AWS SDKs read
//! it. Each entry is one of:
//!
//! * `*`: every host;
//! * a host name, with or without a leading dot: `example.com` and `.example.com` both match
//!   `example.com` and every name under it (`api.example.com`), not `notexample.com`;
//! * an IP address (`127.0.0.1`, `::1`, `[::1]`) or a network in CIDR form (`10.0.0.0/8`,
//!   `fd00::/8`), matching hosts written as such an address (names are not resolved);
//! * any of those with a port (`example.com:8080`, `127.0.0.1:8443`, `[::1]:8080`): the entry
//!   then matches only that port.

use std::net::IpAddr;

/// A parsed `NO_PROXY` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NoProxy {
    entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    host: HostPattern,
    port: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HostPattern {
    Any,
    /// A lower-case name without a leading dot.
    Name(String),
    Network {
        address: IpAddr,
        prefix: u8,
    },
}

impl NoProxy {
    /// Parses a `NO_PROXY` value; entries that are empty are skipped.
    pub(crate) fn parse(list: &str) -> NoProxy {
        let entries = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(Entry::parse)
            .collect();
        NoProxy { entries }
    }

    /// Whether a request to `host` (a name or an address, IPv6 possibly in brackets) on `port`
    /// goes direct.
    pub(crate) fn matches(&self, host: &str, port: u16) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let address = host.parse::<IpAddr>().ok();
        self.entries
            .iter()
            .any(|entry| entry.port.is_none_or(|p| p == port) && entry.host.matches(&host, address))
    }
}

impl Entry {
    fn parse(entry: &str) -> Entry {
        let (host, port) = split_port(entry);
        Entry {
            host: HostPattern::parse(host),
            port,
        }
    }
}

/// Splits `host:port`, `[v6]:port`; a bare IPv6 address (several colons) has no port.
fn split_port(entry: &str) -> (&str, Option<u16>) {
    if let Some(rest) = entry.strip_prefix('[') {
        if let Some((address, after)) = rest.split_once(']') {
            let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
            return (address, port);
        }
    }
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(port) => (host, Some(port)),
            Err(_) => (entry, None),
        },
        _ => (entry, None),
    }
}

impl HostPattern {
    fn parse(host: &str) -> HostPattern {
        if host == "*" {
            return HostPattern::Any;
        }
        if let Some((address, prefix)) = host.split_once('/') {
            if let (Ok(address), Ok(prefix)) = (address.parse::<IpAddr>(), prefix.parse::<u8>()) {
                let max = if address.is_ipv4() { 32 } else { 128 };
                return HostPattern::Network {
                    address,
                    prefix: prefix.min(max),
                };
            }
        }
        if let Ok(address) = host.parse::<IpAddr>() {
            let prefix = if address.is_ipv4() { 32 } else { 128 };
            return HostPattern::Network { address, prefix };
        }
        let name = host.trim_start_matches("*.").trim_start_matches('.');
        HostPattern::Name(name.trim_end_matches('.').to_ascii_lowercase())
    }

    fn matches(&self, host: &str, address: Option<IpAddr>) -> bool {
        match self {
            HostPattern::Any => true,
            HostPattern::Name(name) => {
                host == name
                    || host
                        .strip_suffix(name.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
            HostPattern::Network {
                address: network,
                prefix,
            } => address.is_some_and(|address| in_network(address, *network, *prefix)),
        }
    }
}

/// Whether `address` is in `network/prefix` (same family only).
fn in_network(address: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_themselves_and_their_subdomains() {
        let list = NoProxy::parse(" example.com , .internal,Local.Test ");
        assert!(list.matches("example.com", 443));
        assert!(list.matches("api.example.com", 443));
        assert!(list.matches("API.EXAMPLE.COM.", 80));
        assert!(!list.matches("notexample.com", 443));
        assert!(list.matches("internal", 443));
        assert!(list.matches("db.internal", 443));
        assert!(list.matches("local.test", 443));
        assert!(!list.matches("test", 443));
        assert!(!NoProxy::parse("").matches("example.com", 443));
    }

    #[test]
    fn star_matches_everything() {
        assert!(NoProxy::parse("*").matches("anything.example", 1));
        assert!(NoProxy::parse("a.b, *").matches("127.0.0.1", 1));
    }

    #[test]
    fn ports_narrow_an_entry() {
        let list = NoProxy::parse("example.com:8080,127.0.0.1:8443,[::1]:9000");
        assert!(list.matches("example.com", 8080));
        assert!(!list.matches("example.com", 443));
        assert!(list.matches("127.0.0.1", 8443));
        assert!(!list.matches("127.0.0.1", 443));
        assert!(list.matches("[::1]", 9000));
        assert!(!list.matches("::1", 9001));
    }

    #[test]
    fn addresses_and_networks() {
        let list = NoProxy::parse("10.0.0.0/8, 192.168.1.7, ::1, fd00::/8, [fe80::1]");
        assert!(list.matches("10.200.3.4", 443));
        assert!(!list.matches("11.0.0.1", 443));
        assert!(list.matches("192.168.1.7", 443));
        assert!(!list.matches("192.168.1.8", 443));
        assert!(list.matches("[::1]", 443));
        assert!(list.matches("fd12:3456::1", 443));
        assert!(!list.matches("fe00::1", 443));
        assert!(list.matches("fe80::1", 443));
        // A name is not resolved: `localhost` is not 127.0.0.1.
        assert!(!NoProxy::parse("127.0.0.0/8").matches("localhost", 443));
        assert!(NoProxy::parse("0.0.0.0/0").matches("8.8.8.8", 443));
    }
}
