//! The AWS library functions of the rules language: `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket` (`aws.partition` is [`super::PartitionTable::lookup`]).

use std::net::Ipv4Addr;

use super::stdlib::is_valid_host_label;
use super::value::Val;

/// `aws.parseArn(value)`: `{partition, service, region, accountId, resourceId}` for
/// `arn:partition:service:region:account:resource`, with the resource split on `:` and `/`.
/// Region and account may be empty (global services such as IAM and S3 use that); the other
/// parts may not.
pub(crate) fn parse_arn(value: &str) -> Option<Val> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|part| Val::Str(part.to_owned()))
        .collect();
    Some(Val::object([
        ("partition", Val::Str(partition.to_owned())),
        ("service", Val::Str(service.to_owned())),
        ("region", Val::Str(region.to_owned())),
        ("accountId", Val::Str(account_id.to_owned())),
        ("resourceId", Val::Array(resource_id)),
    ]))
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether the bucket name can be used
/// as a host label (`bucket.s3.amazonaws.com`): valid host label(s) (dots only with
/// `allow_sub_domains`), and the whole name is 3 to 63 lowercase letters, digits, `-` or `.`,
/// starts and ends with a letter or digit, is not shaped like an IPv4 address, and has no
/// `.-` or `-.`. The name is checked as a whole, not per label, because S3's length and
/// IP-address rules apply to the bucket name.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    is_valid_host_label(value, allow_sub_domains) && is_bucket_name(value)
}

fn is_bucket_name(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    (3..=63).contains(&bytes.len())
        && edge_ok(first)
        && edge_ok(last)
        && bytes.iter().all(|&b| edge_ok(b) || b == b'-' || b == b'.')
        && !segment.contains(".-")
        && !segment.contains("-.")
        && !looks_like_ipv4(segment)
}

/// Four dot-separated digit runs, whether or not each is at most 255: S3 rejects both.
fn looks_like_ipv4(segment: &str) -> bool {
    segment.parse::<Ipv4Addr>().is_ok()
        || (segment.split('.').count() == 4
            && segment
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:::bucket/key:v").unwrap();
        let Val::Object(fields) = arn else { panic!() };
        assert_eq!(fields[2].1, Val::Str(String::new()));
        assert_eq!(
            fields[4].1,
            Val::Array(vec![
                Val::Str("bucket".into()),
                Val::Str("key".into()),
                Val::Str("v".into())
            ])
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn:aws:s3"), None);
        assert_eq!(parse_arn("urn:aws:s3:::x"), None);
    }

    #[test]
    fn buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("a.bc", false));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("abc-.def", true));
    }
}
