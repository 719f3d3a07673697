//! Request body transforms some operations require: `Content-MD5` (`@httpChecksumRequired`) and
//! gzip request compression (`@requestCompression`), on well-kept crates (`md-5`, and `flate2`
//! on its pure-Rust `miniz_oxide` backend, so no C zlib is built).

use std::io::Write as _;

/// The MD5 digest of `data` (RFC 1321).
pub fn md5(data: &[u8]) -> [u8; 16] {
    use md5::Digest as _;
    md5::Md5::digest(data).into()
}

/// `data` as a gzip stream (RFC 1952) at flate2's default compression level, the level the AWS
/// SDKs use.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 2 + 64),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail: the only errors are the sink's.
    encoder
        .write_all(data)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn md5_matches_rfc_1321_vectors() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(&md5(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            )),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn gzip_round_trips_and_really_compresses() {
        let data = b"MetricData.member.1.MetricName=Latency&".repeat(500);
        let z = gzip(&data);
        assert_eq!(&z[..3], &[0x1f, 0x8b, 8], "gzip magic and deflate method");
        assert!(
            z.len() * 10 < data.len(),
            "{} bytes from {}",
            z.len(),
            data.len()
        );
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&z[..])
            .read_to_end(&mut back)
            .expect("a valid gzip stream");
        assert_eq!(back, data);
    }

    #[test]
    fn gzip_of_nothing_is_a_valid_empty_stream() {
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gzip(b"")[..])
            .read_to_end(&mut back)
            .expect("a valid gzip stream");
        assert!(back.is_empty());
    }
}
