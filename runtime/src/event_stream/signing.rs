//! SigV4 chained event signatures for input event streams (Transcribe streaming, Lex, ...).
//!
//! The HTTP request is signed as usual with `x-amz-content-sha256:
//! STREAMING-AWS4-HMAC-SHA256-EVENTS`; its signature seeds a chain. Each event message is then
//! encoded and sent as the payload of an outer message with two headers, `:date` (timestamp)
//! and `:chunk-signature` (the 32 signature bytes), signed over
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! {date, YYYYMMDD'T'HHMMSS'Z'}
//! {credential scope}
//! {previous signature, hex}
//! {hex SHA-256 of the encoded `:date` header}
//! {hex SHA-256 of the payload}
//! ```
//!
//! The stream ends with one more signed message whose payload is empty.

use super::encoder::encode_message;
use super::error::FrameError;
use super::header::encode_headers;
use super::message::{Header, HeaderValue, Message};
use crate::credentials::Credentials;
use crate::sigv4::{amz_date, date_stamp, hex, hmac_sha256, sha256_hex, signing_key};
use crate::DateTime;
use bytes::Bytes;

/// The `x-amz-content-sha256` value of a request whose body is a signed event stream.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
/// The `:date` header of a signed message.
pub const DATE_HEADER: &str = ":date";
/// The `:chunk-signature` header of a signed message.
pub const SIGNATURE_HEADER: &str = ":chunk-signature";

/// Signs the messages of one input stream in order, each signature chained to the one before.
#[derive(Clone)]
pub struct EventSigner {
    credentials: Credentials,
    region: String,
    service_name: String,
    /// Hex signature of the previous message (the request's signature at first).
    previous: String,
}

impl std::fmt::Debug for EventSigner {
    // The credentials stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSigner")
            .field("region", &self.region)
            .field("service_name", &self.service_name)
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}

impl EventSigner {
    /// A chain seeded by `seed_signature`, the hex signature of the HTTP request that carries
    /// the stream, signing as `service_name` in `region`.
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        service_name: impl Into<String>,
        seed_signature: impl Into<String>,
    ) -> Self {
        Self {
            credentials,
            region: region.into(),
            service_name: service_name.into(),
            previous: seed_signature.into(),
        }
    }

    /// The hex signature of the last message signed (the seed before any).
    pub fn previous_signature(&self) -> &str {
        &self.previous
    }

    /// Wraps `message` (encoded) in a signed message at `time`.
    pub fn sign(&mut self, message: &Message, time: DateTime) -> Result<Message, FrameError> {
        let payload = encode_message(message)?;
        Ok(self.sign_payload(payload, time))
    }

    /// The signed message with an empty payload that ends the stream.
    pub fn sign_end(&mut self, time: DateTime) -> Message {
        self.sign_payload(Bytes::new(), time)
    }

    fn sign_payload(&mut self, payload: Bytes, time: DateTime) -> Message {
        let signature = self.signature_for(&payload, time);
        self.previous = hex(&signature);
        Message {
            headers: vec![
                date_header(time),
                Header::new(
                    SIGNATURE_HEADER,
                    HeaderValue::ByteArray(Bytes::copy_from_slice(&signature)),
                ),
            ],
            payload,
        }
    }

    /// The raw signature of `payload` sent at `time`, chained to the previous one.
    fn signature_for(&self, payload: &[u8], time: DateTime) -> [u8; 32] {
        let date = date_stamp(&time);
        let key = signing_key(
            self.credentials.secret_access_key(),
            &date,
            &self.region,
            &self.service_name,
        );
        let string = string_to_sign(
            &self.previous,
            time,
            &self.region,
            &self.service_name,
            payload,
        );
        hmac_sha256(&key, string.as_bytes())
    }
}

/// The `:date` header for `time`, with the second precision the string to sign has.
fn date_header(time: DateTime) -> Header {
    Header::new(
        DATE_HEADER,
        HeaderValue::Timestamp(DateTime::from_secs(time.secs())),
    )
}

/// The string to sign for a message with `payload` sent at `time` after `previous` (hex).
pub fn string_to_sign(
    previous: &str,
    time: DateTime,
    region: &str,
    service_name: &str,
    payload: &[u8],
) -> String {
    let mut date_bytes = Vec::new();
    // A `:date` header always encodes (a short name, a fixed-size value).
    let _ = encode_headers(&[date_header(time)], &mut date_bytes);
    format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}/{}/{}/aws4_request\n{}\n{}\n{}",
        amz_date(&time),
        date_stamp(&time),
        region,
        service_name,
        previous,
        sha256_hex(&date_bytes),
        sha256_hex(payload)
    )
}

/// Checks a signed message as a service would: its `:chunk-signature` must be what the chain
/// gives for its `:date` and payload. On success the chain moves on; returns whether it matched.
/// Used by tests (a local server verifying a client's stream) and by anyone debugging one.
pub fn verify(signer: &mut EventSigner, message: &Message) -> bool {
    let Some(HeaderValue::Timestamp(time)) = message.header(DATE_HEADER) else {
        return false;
    };
    let Some(HeaderValue::ByteArray(signature)) = message.header(SIGNATURE_HEADER) else {
        return false;
    };
    let expected = signer.signature_for(&message.payload, *time);
    if expected.as_slice() != signature.as_ref() {
        return false;
    }
    signer.previous = hex(&expected);
    true
}
