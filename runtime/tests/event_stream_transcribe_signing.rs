//! A fixed, hand-built vector for Transcribe streaming's chained event signatures.
//!
//! The Transcribe developer guide ("Setting up a streaming transcription", HTTP/2 section,
//! <https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html>, and "Event
//! stream encoding") documents the procedure: each audio event is wrapped in a message with `:date` and `:chunk-signature`
//! headers, signed with the SigV4 signing key over
//! `AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n previous signature \n hex(sha256(encoded :date
//! header)) \n hex(sha256(payload))`. The pages seen give the procedure, not concrete values to check against, so the
//! values below were derived by hand from that formula, independently of this crate: the
//! encoded `:date` header written out byte by byte (name length 5, `:date`, type 8, the
//! milliseconds as a big-endian i64) and every hash and HMAC computed with Python's `hashlib`
//! and `hmac` (the payload hash also with `sha256sum`). The previous signature is an arbitrary
//! 64-hex-digit seed, the secret is the AWS documentation's example key.

use smithy_runtime::credentials::Credentials;
use smithy_runtime::event_stream::signing::{string_to_sign, verify, EventSigner};
use smithy_runtime::event_stream::HeaderValue;
use smithy_runtime::DateTime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SEED: &str = "e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b163ea19131e949b";
/// 2020-07-24T18:35:00Z.
const MILLIS: i64 = 1_595_615_700_000;

#[test]
fn string_to_sign_matches_the_documented_formula() {
    let expected = "AWS4-HMAC-SHA256-PAYLOAD\n\
        20200724T183500Z\n\
        20200724/us-west-2/transcribe/aws4_request\n\
        e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b163ea19131e949b\n\
        d887b9ac16df82e794f172b1a6582e33c44003df1dd904016937ff1088719489\n\
        ef71589075ccf9332917b0d8d711d1a8d205560f96842f9221de70e6c29454e0";
    // d887...: sha256 of 05 3a646174 65 08 00000173821b6420 (the encoded `:date` header);
    // ef71...: sha256 of b"audio bytes".
    let got = string_to_sign(
        SEED,
        DateTime::from_millis(MILLIS),
        "us-west-2",
        "transcribe",
        b"audio bytes",
    );
    assert_eq!(got, expected);
}

#[test]
fn the_end_message_signature_matches_the_hand_computed_one() {
    let mut signer = EventSigner::new(
        Credentials::from_keys("AKIDEXAMPLE", SECRET),
        "us-west-2",
        "transcribe",
        SEED,
    );
    let end = signer.sign_end(DateTime::from_millis(MILLIS));
    assert!(end.payload.is_empty());
    let Some(HeaderValue::ByteArray(signature)) = end.header(":chunk-signature") else {
        panic!("no :chunk-signature header: {end:?}");
    };
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "01d9d800cc14fe74a56fae2548c816034ce05ce7fa024bd4446db475ff511094"
    );
    assert_eq!(signer.previous_signature(), hex);
    // A service holding the same seed accepts it, and rejects it once the chain moved on.
    let mut service = EventSigner::new(
        Credentials::from_keys("AKIDEXAMPLE", SECRET),
        "us-west-2",
        "transcribe",
        SEED,
    );
    assert!(verify(&mut service, &end));
    assert!(!verify(&mut service, &end));
}
