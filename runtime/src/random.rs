//! Random identifiers: UUID v4 strings for invocation ids and idempotency tokens, and random
//! bits for retry jitter, from the operating system through `getrandom` (which the TLS stack
//! already compiles), rather than a UUID crate.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Sixteen random bytes from the operating system.
///
/// Should the OS source fail (it practically never does), falls back to std's per-process
/// randomly seeded hasher mixed with the clock: these values identify requests, they are not
/// secrets, so a weaker source beats failing the call.
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        for (chunk, salt) in bytes.chunks_mut(8).zip(1u64..) {
            let mut hasher = RandomState::new().build_hasher();
            hasher.write_u64(salt);
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default(),
            );
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes
}

/// A random 64-bit number.
pub(crate) fn random_u64() -> u64 {
    let bytes = random_bytes();
    u64::from_le_bytes([
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
    ])
}

/// A random (version 4, RFC 9562) UUID in its hyphenated lower-case form.
pub(crate) fn uuid_v4() -> String {
    let mut bytes = random_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_v4_shape_and_differ() {
        let first = uuid_v4();
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&first[14..15], "4");
        assert!(matches!(&first[19..20], "8" | "9" | "a" | "b"), "{first}");
        assert!(first.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_ne!(first, uuid_v4());
    }

    #[test]
    fn random_numbers_differ() {
        assert_ne!(random_u64(), random_u64());
    }
}
