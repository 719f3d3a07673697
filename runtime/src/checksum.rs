//! Request body transforms some operations require: `Content-MD5` (`@httpChecksumRequired`),
//! gzip request compression (`@requestCompression`), and the flexible checksums of
//! `aws.protocols#httpChecksum` (CRC32, CRC32C, SHA-1, SHA-256) on requests and responses, on
//! well-kept crates (`md-5`; `flate2` on its pure-Rust `miniz_oxide` backend, so no C zlib is
//! built; `crc32fast`, which flate2 already builds; `crc32c`; `crc64fast-nvme`; SHA-1 and
//! SHA-256 from `ring`, which the signer and rustls already use).

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::fmt;
use std::io::Write as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::body::{Body, BoxError};

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

/// A flexible checksum algorithm of `aws.protocols#httpChecksum`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (ISO-HDLC, the zlib one): the default of the AWS SDKs.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME (S3's full-object checksum for multipart uploads too).
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl ChecksumAlgorithm {
    /// The order in which response checksums are preferred for validation: the CRCs (cheap)
    /// before the SHAs, CRC32C and CRC32 first as in the AWS SDKs.
    pub const VALIDATION_ORDER: [ChecksumAlgorithm; 5] = [
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
    ];

    /// The algorithm of a model's name for it (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`,
    /// `SHA256`; any case).
    pub fn from_name(name: &str) -> Option<ChecksumAlgorithm> {
        Self::VALIDATION_ORDER
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The model's name (`CRC32`, ...), the value of `x-amz-sdk-checksum-algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// The header that carries the checksum: `x-amz-checksum-<name in lower case>`.
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// A fresh incremental hasher.
    pub fn hasher(self) -> ChecksumHasher {
        ChecksumHasher(match self {
            ChecksumAlgorithm::Crc32 => HasherKind::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => HasherKind::Crc32c(0),
            ChecksumAlgorithm::Crc64Nvme => HasherKind::Crc64(crc64fast_nvme::Digest::new()),
            ChecksumAlgorithm::Sha1 => HasherKind::Sha(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            ChecksumAlgorithm::Sha256 => {
                HasherKind::Sha(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
        })
    }

    /// The checksum of `data` as the header carries it: base64 of the big-endian digest.
    pub fn checksum_base64(self, data: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finish_base64()
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An incremental checksum (see [`ChecksumAlgorithm::hasher`]), fed chunk by chunk so a
/// streamed body is checksummed in bounded memory.
#[derive(Clone)]
pub struct ChecksumHasher(HasherKind);

#[derive(Clone)]
enum HasherKind {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64(crc64fast_nvme::Digest),
    // Boxed: a SHA context is 224 bytes, the CRCs' state a few (one allocation per body).
    Sha(Box<ring::digest::Context>),
}

impl ChecksumHasher {
    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            HasherKind::Crc32(hasher) => hasher.update(data),
            HasherKind::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, data),
            HasherKind::Crc64(digest) => digest.write(data),
            HasherKind::Sha(context) => context.update(data),
        }
    }

    /// The digest, big-endian for the CRCs.
    pub fn finish(self) -> Vec<u8> {
        match self.0 {
            HasherKind::Crc32(hasher) => hasher.finalize().to_be_bytes().to_vec(),
            HasherKind::Crc32c(crc) => crc.to_be_bytes().to_vec(),
            HasherKind::Crc64(digest) => digest.sum64().to_be_bytes().to_vec(),
            HasherKind::Sha(context) => context.finish().as_ref().to_vec(),
        }
    }

    /// The digest in base64, as the `x-amz-checksum-*` headers carry it.
    pub fn finish_base64(self) -> String {
        crate::wire::base64_text(&self.finish())
    }
}

/// When requests carry a flexible checksum (`request_checksum_calculation` of the AWS SDKs,
/// env `AWS_REQUEST_CHECKSUM_CALCULATION`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequestChecksumCalculation {
    /// Every operation with `@httpChecksum` sends one: the algorithm chosen in the input, else
    /// CRC32 (the default, as in the AWS SDKs).
    #[default]
    WhenSupported,
    /// Only when the operation requires one (`requestChecksumRequired`) or the input chose an
    /// algorithm.
    WhenRequired,
}

/// When response checksums are validated (`response_checksum_validation` of the AWS SDKs, env
/// `AWS_RESPONSE_CHECKSUM_VALIDATION`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseChecksumValidation {
    /// Every operation with a `requestValidationModeMember` asks for (sets the mode member to
    /// `ENABLED` unless the input set it) and validates a checksum (the default).
    #[default]
    WhenSupported,
    /// Only when the input set the mode member to `ENABLED`.
    WhenRequired,
}

/// Parses the value of `AWS_REQUEST_CHECKSUM_CALCULATION` / `AWS_RESPONSE_CHECKSUM_VALIDATION`
/// (`when_supported` or `when_required`, any case): `Some(true)` for when_supported.
pub(crate) fn parse_when_setting(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("when_supported") {
        Some(true)
    } else if value.eq_ignore_ascii_case("when_required") {
        Some(false)
    } else {
        None
    }
}

/// A response body whose flexible checksum does not match its header: the body was damaged on
/// the way (or the service is wrong), so its bytes must not be trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// The checksum the response header announced (base64).
    pub expected: String,
    /// The checksum of the bytes received (base64).
    pub actual: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response {} checksum mismatch: expected {}, computed {} over the body received",
            self.algorithm, self.expected, self.actual
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// The checksum to validate a response against: the first of `algorithms` (the operation's
/// `responseAlgorithms`) in [`ChecksumAlgorithm::VALIDATION_ORDER`] whose header the response
/// has. `None` when there is none, or when it is a composite checksum of a multipart upload
/// (`<base64>-<part count>`), which is not a checksum of the body's bytes.
pub fn response_checksum(
    headers: &http::HeaderMap,
    algorithms: &[ChecksumAlgorithm],
) -> Option<(ChecksumAlgorithm, String)> {
    let (algorithm, value) = ChecksumAlgorithm::VALIDATION_ORDER
        .into_iter()
        .filter(|a| algorithms.contains(a))
        .find_map(|a| {
            let value = headers.get(a.header_name())?.to_str().ok()?.trim();
            Some((a, value.to_string()))
        })?;
    let composite = value
        .rsplit_once('-')
        .is_some_and(|(_, parts)| !parts.is_empty() && parts.bytes().all(|b| b.is_ascii_digit()));
    (!composite).then_some((algorithm, value))
}

/// A response body that checksums what passes through it and, at its end, fails with a
/// [`ChecksumMismatch`] instead of ending when the checksum is not the one expected: a reader
/// sees the error before the end of the stream, so it never takes damaged bytes for good ones.
pub(crate) struct ValidatingBody {
    inner: Body,
    hasher: Option<ChecksumHasher>,
    algorithm: ChecksumAlgorithm,
    expected: String,
}

impl ValidatingBody {
    pub(crate) fn new(inner: Body, algorithm: ChecksumAlgorithm, expected: String) -> Self {
        ValidatingBody {
            inner,
            hasher: Some(algorithm.hasher()),
            algorithm,
            expected,
        }
    }
}

impl http_body::Body for ValidatingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.hasher.is_none() {
            return Poll::Ready(None);
        }
        match http_body::Body::poll_frame(Pin::new(&mut this.inner), cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(hasher)) = (frame.data_ref(), this.hasher.as_mut()) {
                    hasher.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                let actual = this
                    .hasher
                    .take()
                    .map(ChecksumHasher::finish_base64)
                    .unwrap_or_default();
                if actual == this.expected {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Err(Box::new(ChecksumMismatch {
                        algorithm: this.algorithm,
                        expected: this.expected.clone(),
                        actual,
                    }))))
                }
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        // Only once the checksum has been compared: the end is where a mismatch is reported.
        self.hasher.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        http_body::Body::size_hint(&self.inner)
    }
}

/// The value of `x-amz-content-sha256` (and the signed payload hash) of an `aws-chunked` body
/// whose checksum is a trailer.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

impl ChecksumAlgorithm {
    /// The length of the digest in bytes.
    fn digest_len(self) -> usize {
        match self {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => 4,
            ChecksumAlgorithm::Crc64Nvme => 8,
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
        }
    }
}

/// A one-shot request body sent as `aws-chunked` with its checksum as a trailer, so it is
/// checksummed as it is sent, in bounded memory: the whole payload is one chunk (its length is
/// known), then the final empty chunk and the trailer:
/// `<hex length>\r\n<payload>\r\n0\r\nx-amz-checksum-<alg>:<base64>\r\n\r\n`.
pub(crate) struct AwsChunkedBody {
    inner: Body,
    prefix: Option<Bytes>,
    hasher: Option<ChecksumHasher>,
    algorithm: ChecksumAlgorithm,
    payload_len: u64,
    encoded_len: u64,
}

impl AwsChunkedBody {
    pub(crate) fn new(inner: Body, algorithm: ChecksumAlgorithm, payload_len: u64) -> Self {
        let prefix = if payload_len > 0 {
            format!("{payload_len:x}\r\n")
        } else {
            String::new()
        };
        let encoded_len =
            prefix.len() as u64 + payload_len + Self::suffix_len(algorithm, payload_len);
        AwsChunkedBody {
            inner,
            prefix: Some(Bytes::from(prefix)),
            hasher: Some(algorithm.hasher()),
            algorithm,
            payload_len,
            encoded_len,
        }
    }

    /// The bytes sent: the `Content-Length` of the request.
    pub(crate) fn encoded_len(&self) -> u64 {
        self.encoded_len
    }

    fn suffix_len(algorithm: ChecksumAlgorithm, payload_len: u64) -> u64 {
        let base64 = algorithm.digest_len().div_ceil(3) * 4;
        let close = if payload_len > 0 { 2 } else { 0 };
        (close + "0\r\n".len() + algorithm.header_name().len() + 1 + base64 + 4) as u64
    }
}

impl http_body::Body for AwsChunkedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if let Some(prefix) = this.prefix.take() {
            if !prefix.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(prefix))));
            }
        }
        let Some(hasher) = this.hasher.as_mut() else {
            return Poll::Ready(None);
        };
        match http_body::Body::poll_frame(Pin::new(&mut this.inner), cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    hasher.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                let value = this
                    .hasher
                    .take()
                    .map(ChecksumHasher::finish_base64)
                    .unwrap_or_default();
                let close = if this.payload_len > 0 { "\r\n" } else { "" };
                let suffix = format!(
                    "{close}0\r\n{}:{value}\r\n\r\n",
                    this.algorithm.header_name()
                );
                Poll::Ready(Some(Ok(Frame::data(Bytes::from(suffix)))))
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.hasher.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.encoded_len)
    }
}

/// The [`ChecksumMismatch`] somewhere in `error`'s chain of sources, if any.
pub fn find_mismatch<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a ChecksumMismatch> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(mismatch) = error.downcast_ref::<ChecksumMismatch>() {
            return Some(mismatch);
        }
        current = error.source();
    }
    None
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

    /// The CRC catalogue's check values (the checksum of `123456789`), and the `Hello world`
    /// checksums of S3's and the AWS SDKs' flexible-checksum documentation and tests.
    #[test]
    fn flexible_checksums_match_known_vectors() {
        let crc = |a: ChecksumAlgorithm, d: &[u8]| hex(&a.hasher().tap(d).finish());
        assert_eq!(crc(ChecksumAlgorithm::Crc32, b"123456789"), "cbf43926");
        assert_eq!(crc(ChecksumAlgorithm::Crc32c, b"123456789"), "e3069283");
        assert_eq!(
            crc(ChecksumAlgorithm::Crc64Nvme, b"123456789"),
            "ae8b14860a799888"
        );
        assert_eq!(
            crc(ChecksumAlgorithm::Sha1, b"abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            crc(ChecksumAlgorithm::Sha256, b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let b64 = |a: ChecksumAlgorithm| a.checksum_base64(b"Hello world");
        assert_eq!(b64(ChecksumAlgorithm::Crc32), "i9aeUg==");
        assert_eq!(b64(ChecksumAlgorithm::Crc32c), "crUfeA==");
        assert_eq!(b64(ChecksumAlgorithm::Sha1), "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
        assert_eq!(
            b64(ChecksumAlgorithm::Sha256),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        // Of nothing: CRCs are 0, the SHAs their empty-input digests.
        assert_eq!(ChecksumAlgorithm::Crc32.checksum_base64(b""), "AAAAAA==");
        assert_eq!(ChecksumAlgorithm::Crc32c.checksum_base64(b""), "AAAAAA==");
    }

    #[test]
    fn incremental_equals_one_shot() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        for a in ChecksumAlgorithm::VALIDATION_ORDER {
            let mut hasher = a.hasher();
            for chunk in data.chunks(7777) {
                hasher.update(chunk);
            }
            assert_eq!(hasher.finish_base64(), a.checksum_base64(&data), "{a}");
        }
    }

    #[test]
    fn names_and_headers() {
        for a in ChecksumAlgorithm::VALIDATION_ORDER {
            assert_eq!(ChecksumAlgorithm::from_name(a.name()), Some(a));
            assert_eq!(
                a.header_name(),
                format!("x-amz-checksum-{}", a.name().to_lowercase())
            );
        }
        assert_eq!(
            ChecksumAlgorithm::from_name("crc32c"),
            Some(ChecksumAlgorithm::Crc32c)
        );
        assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
    }

    #[test]
    fn response_checksum_prefers_crc32c_and_skips_composites() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amz-checksum-sha256", "abc=".parse().unwrap());
        headers.insert("x-amz-checksum-crc32", "i9aeUg==".parse().unwrap());
        let all = ChecksumAlgorithm::VALIDATION_ORDER;
        assert_eq!(
            response_checksum(&headers, &all),
            Some((ChecksumAlgorithm::Crc32, "i9aeUg==".into()))
        );
        assert_eq!(
            response_checksum(&headers, &[ChecksumAlgorithm::Sha256]),
            Some((ChecksumAlgorithm::Sha256, "abc=".into()))
        );
        headers.insert("x-amz-checksum-crc32c", "crUfeA==-3".parse().unwrap());
        assert_eq!(
            response_checksum(&headers, &all),
            None,
            "composite: not validated"
        );
        assert_eq!(response_checksum(&http::HeaderMap::new(), &all), None);
    }

    #[tokio::test]
    async fn validating_body_passes_good_bytes_and_fails_bad_ones_at_the_end() {
        let good = ValidatingBody::new(
            Body::from("Hello world"),
            ChecksumAlgorithm::Crc32,
            "i9aeUg==".into(),
        );
        let bytes = http_body_util::BodyExt::collect(good)
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(bytes, Bytes::from("Hello world"));
        let bad = ValidatingBody::new(
            Body::from("Hello world"),
            ChecksumAlgorithm::Crc32,
            "AAAAAA==".into(),
        );
        let error = http_body_util::BodyExt::collect(bad).await.unwrap_err();
        let mismatch = find_mismatch(error.as_ref()).expect("a ChecksumMismatch");
        assert_eq!(mismatch.expected, "AAAAAA==");
        assert_eq!(mismatch.actual, "i9aeUg==");
    }

    trait Tap {
        fn tap(self, data: &[u8]) -> Self;
    }
    impl Tap for ChecksumHasher {
        fn tap(mut self, data: &[u8]) -> Self {
            self.update(data);
            self
        }
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
