//! The `application/vnd.amazon.eventstream` framing: a hand-checked vector, round trips of
//! every header type (proptest), every split point of a stream, each kind of malformed frame,
//! and byte-for-byte agreement with botocore's decoder (when the moto venv's python is there).

use bytes::Bytes;
use proptest::prelude::*;
use smithy_runtime::event_stream::decoder::decode_message;
use smithy_runtime::event_stream::frame::{MAX_HEADERS_LEN, MAX_MESSAGE_LEN};
use smithy_runtime::event_stream::{
    encode_message, FrameError, Header, HeaderValue, Message, MessageDecoder,
};
use smithy_runtime::DateTime;

/// Every message fed to `decoder` so far, failing on any error.
fn drain(decoder: &mut MessageDecoder) -> Vec<Message> {
    let mut out = Vec::new();
    while let Some(message) = decoder.next_message().expect("valid stream") {
        out.push(message);
    }
    out
}

fn all_types_message() -> Message {
    Message::new(&b"{\"hello\":true}"[..])
        .with_header("t", HeaderValue::Bool(true))
        .with_header("f", HeaderValue::Bool(false))
        .with_header("b", HeaderValue::Byte(-7))
        .with_header("s", HeaderValue::Int16(-300))
        .with_header("i", HeaderValue::Int32(2_000_000_000))
        .with_header("l", HeaderValue::Int64(-(1 << 62)))
        .with_header("a", HeaderValue::ByteArray(Bytes::from_static(b"\x00\xff")))
        .with_header(":event-type", HeaderValue::String("Chunk".into()))
        .with_header(
            "ts",
            HeaderValue::Timestamp(DateTime::from_millis(1_700_000_000_123)),
        )
        .with_header("u", HeaderValue::Uuid(*b"0123456789abcdef"))
}

fn sample_stream() -> (Vec<Message>, Vec<u8>) {
    let messages = vec![
        all_types_message(),
        Message::default(),
        Message::new(vec![7u8; 1000])
            .with_header(":message-type", HeaderValue::String("event".into())),
    ];
    let mut bytes = Vec::new();
    for message in &messages {
        bytes.extend_from_slice(&encode_message(message).unwrap());
    }
    (messages, bytes)
}

/// The empty message, checked by hand: total length 16, headers length 0, then the CRC32s
/// (IEEE, as zlib computes them) of the 8 prelude bytes and of the 12 bytes before the end.
#[test]
fn empty_message_matches_the_hand_checked_bytes() {
    let expected = [
        0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff,
    ];
    assert_eq!(&encode_message(&Message::default()).unwrap()[..], &expected);
    assert_eq!(decode_message(&expected).unwrap(), Message::default());
}

/// One string header, laid out by hand: name length, name, type 7, u16 length, value.
#[test]
fn string_header_layout() {
    let message = Message::new(&b"p"[..]).with_header("ab", HeaderValue::String("xyz".into()));
    let bytes = encode_message(&message).unwrap();
    let headers_len = 1 + 2 + 1 + 2 + 3;
    assert_eq!(&bytes[0..4], &(16u32 + headers_len + 1).to_be_bytes());
    assert_eq!(&bytes[4..8], &headers_len.to_be_bytes());
    assert_eq!(&bytes[12..21], b"\x02ab\x07\x00\x03xyz");
    assert_eq!(&bytes[21..22], b"p");
}

#[test]
fn every_header_type_round_trips() {
    let message = all_types_message();
    let decoded = decode_message(&encode_message(&message).unwrap()).unwrap();
    assert_eq!(decoded, message);
    assert_eq!(decoded.header_str(":event-type"), Some("Chunk"));
}

#[test]
fn every_split_point_gives_the_same_messages() {
    let (messages, bytes) = sample_stream();
    for split in 0..=bytes.len() {
        let mut decoder = MessageDecoder::new();
        decoder.push(&bytes[..split]);
        let mut got = drain(&mut decoder);
        decoder.push(&bytes[split..]);
        got.extend(drain(&mut decoder));
        assert_eq!(got, messages, "split at {split}");
        decoder.finish().unwrap();
    }
}

#[test]
fn byte_at_a_time_and_all_at_once() {
    let (messages, bytes) = sample_stream();
    let mut decoder = MessageDecoder::new();
    let mut got = Vec::new();
    for byte in &bytes {
        decoder.push(std::slice::from_ref(byte));
        got.extend(drain(&mut decoder));
    }
    assert_eq!(got, messages);
    let mut decoder = MessageDecoder::new();
    decoder.push(&bytes);
    assert_eq!(drain(&mut decoder), messages);
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn truncated_at_the_end_of_the_stream() {
    let (_, bytes) = sample_stream();
    let mut decoder = MessageDecoder::new();
    decoder.push(&bytes[..bytes.len() - 1]);
    assert_eq!(drain(&mut decoder).len(), 2);
    let buffered = decoder.buffered_len();
    assert!(buffered > 0);
    assert_eq!(decoder.finish(), Err(FrameError::Truncated { buffered }));
}

/// Rewrites the CRCs of a hand-edited message so that only the intended defect remains.
fn fix_crcs(bytes: &mut [u8]) {
    let prelude = crc32fast::hash(&bytes[..8]);
    bytes[8..12].copy_from_slice(&prelude.to_be_bytes());
    let end = bytes.len() - 4;
    let message = crc32fast::hash(&bytes[..end]);
    bytes[end..].copy_from_slice(&message.to_be_bytes());
}

fn decode_error(bytes: &[u8]) -> FrameError {
    let mut decoder = MessageDecoder::new();
    decoder.push(bytes);
    let error = decoder.next_message().expect_err("malformed");
    // The error sticks: the stream cannot be resynchronised.
    assert_eq!(decoder.next_message(), Err(error.clone()));
    assert_eq!(decoder.finish(), Err(error.clone()));
    error
}

#[test]
fn bad_prelude_crc() {
    let mut bytes = encode_message(&all_types_message()).unwrap().to_vec();
    bytes[9] ^= 1;
    assert!(matches!(
        decode_error(&bytes),
        FrameError::PreludeCrcMismatch { .. }
    ));
}

#[test]
fn bad_message_crc_in_payload_or_headers() {
    let clean = encode_message(&all_types_message()).unwrap().to_vec();
    for at in [14, clean.len() - 5, clean.len() - 1] {
        let mut bytes = clean.clone();
        bytes[at] ^= 0x40;
        assert!(
            matches!(decode_error(&bytes), FrameError::MessageCrcMismatch { .. }),
            "flipped byte {at}"
        );
    }
}

#[test]
fn oversized_message_is_rejected_from_its_prelude() {
    let mut prelude = Vec::new();
    prelude.extend_from_slice(&(MAX_MESSAGE_LEN as u32 + 1).to_be_bytes());
    prelude.extend_from_slice(&0u32.to_be_bytes());
    prelude.extend_from_slice(&crc32fast::hash(&prelude).to_be_bytes());
    // Only the 12 prelude bytes are needed to refuse it: nothing waits for 16 MiB.
    assert_eq!(
        decode_error(&prelude),
        FrameError::MessageTooLarge {
            length: MAX_MESSAGE_LEN as u64 + 1
        }
    );
}

#[test]
fn oversized_headers_are_rejected() {
    let mut prelude = Vec::new();
    prelude.extend_from_slice(&(MAX_HEADERS_LEN as u32 + 17).to_be_bytes());
    prelude.extend_from_slice(&(MAX_HEADERS_LEN as u32 + 1).to_be_bytes());
    prelude.extend_from_slice(&crc32fast::hash(&prelude).to_be_bytes());
    assert!(matches!(
        decode_error(&prelude),
        FrameError::HeadersTooLarge { .. }
    ));
    let big = "x".repeat(60_000);
    let mut message = Message::default();
    for _ in 0..3 {
        message = message.with_header("big", HeaderValue::String(big.clone()));
    }
    assert!(matches!(
        encode_message(&message),
        Err(FrameError::HeadersTooLarge { .. })
    ));
    let payload = vec![0u8; MAX_MESSAGE_LEN];
    assert!(matches!(
        encode_message(&Message::new(payload)),
        Err(FrameError::MessageTooLarge { .. })
    ));
}

#[test]
fn lengths_that_do_not_fit_together() {
    let mut bytes = encode_message(&Message::default()).unwrap().to_vec();
    // Headers length 1 in a 16-byte message: no room.
    bytes[7] = 1;
    fix_crcs(&mut bytes);
    assert_eq!(
        decode_error(&bytes),
        FrameError::InvalidLength {
            total: 16,
            headers: 1
        }
    );
    let mut short = vec![0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0];
    let crc = crc32fast::hash(&short[..8]);
    short[8..].copy_from_slice(&crc.to_be_bytes());
    assert!(matches!(
        decode_error(&short),
        FrameError::InvalidLength { .. }
    ));
}

#[test]
fn unknown_header_type_truncated_header_and_bad_utf8() {
    let message = Message::default().with_header("ab", HeaderValue::String("xyz".into()));
    let clean = encode_message(&message).unwrap().to_vec();
    let mut unknown = clean.clone();
    unknown[15] = 10;
    fix_crcs(&mut unknown);
    assert_eq!(decode_error(&unknown), FrameError::UnknownHeaderType(10));
    let mut truncated = clean.clone();
    truncated[17] = 4; // the string claims 4 bytes, 3 remain in the headers
    fix_crcs(&mut truncated);
    assert_eq!(decode_error(&truncated), FrameError::TruncatedHeader);
    let mut invalid = clean;
    invalid[18] = 0xff;
    fix_crcs(&mut invalid);
    assert_eq!(decode_error(&invalid), FrameError::InvalidUtf8);
}

#[test]
fn unencodable_headers() {
    let empty_name = Message::default().with_header("", HeaderValue::Bool(true));
    assert_eq!(
        encode_message(&empty_name),
        Err(FrameError::InvalidHeaderName { length: 0 })
    );
    let long_name = Message::default().with_header("n".repeat(256), HeaderValue::Bool(true));
    assert!(matches!(
        encode_message(&long_name),
        Err(FrameError::InvalidHeaderName { length: 256 })
    ));
    let long_value =
        Message::default().with_header("v", HeaderValue::ByteArray(Bytes::from(vec![0u8; 65_536])));
    assert!(matches!(
        encode_message(&long_value),
        Err(FrameError::HeaderValueTooLong { length: 65_536, .. })
    ));
}

fn header_value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        any::<bool>().prop_map(HeaderValue::Bool),
        any::<i8>().prop_map(HeaderValue::Byte),
        any::<i16>().prop_map(HeaderValue::Int16),
        any::<i32>().prop_map(HeaderValue::Int32),
        any::<i64>().prop_map(HeaderValue::Int64),
        proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|bytes| HeaderValue::ByteArray(bytes.into())),
        ".{0,20}".prop_map(HeaderValue::String),
        any::<i64>().prop_map(|ms| HeaderValue::Timestamp(DateTime::from_millis(ms))),
        any::<[u8; 16]>().prop_map(HeaderValue::Uuid),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    let header = (".{1,20}", header_value()).prop_map(|(name, value)| Header { name, value });
    (
        proptest::collection::vec(header, 0..8),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(headers, payload)| Message {
            headers,
            payload: payload.into(),
        })
}

proptest! {
    #[test]
    fn round_trip_in_random_pieces(
        messages in proptest::collection::vec(message(), 0..5),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let mut bytes = Vec::new();
        for message in &messages {
            // A header name of more than 255 bytes (multi-byte characters) cannot be encoded.
            match encode_message(message) {
                Ok(encoded) => bytes.extend_from_slice(&encoded),
                Err(FrameError::InvalidHeaderName { .. }) => return Ok(()),
                Err(other) => panic!("{other}"),
            }
        }
        let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
        points.push(0);
        points.push(bytes.len());
        points.sort_unstable();
        let mut decoder = MessageDecoder::new();
        let mut got = Vec::new();
        for pair in points.windows(2) {
            decoder.push(&bytes[pair[0]..pair[1]]);
            got.extend(drain(&mut decoder));
        }
        decoder.finish().unwrap();
        prop_assert_eq!(got, messages);
    }

    /// Arbitrary bytes: some result or a typed error, always in bounded steps.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut decoder = MessageDecoder::new();
        decoder.push(&bytes);
        for _ in 0..bytes.len() + 1 {
            match decoder.next_message() {
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => break,
            }
        }
        let _ = decoder.finish();
    }

    /// Corrupting any one byte of a valid message is always detected.
    #[test]
    fn any_single_byte_flip_is_an_error(index in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut bytes = encode_message(&all_types_message()).unwrap().to_vec();
        let at = index.index(bytes.len());
        bytes[at] ^= flip;
        let mut decoder = MessageDecoder::new();
        decoder.push(&bytes);
        let outcome = decoder.next_message().and_then(|m| decoder.finish().map(|()| m));
        prop_assert!(outcome.is_err(), "flip {flip:#x} at {at} accepted");
    }
}

mod botocore {
    //! Byte-for-byte agreement with botocore, through `tests/event_stream/cross_check.py`.

    use super::*;
    use serde_json::Value;
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};

    /// The virtualenv `.ci/install-moto` makes under the workspace's `target/` (moto brings
    /// botocore).
    const PYTHON: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/moto-venv/bin/python"
    );

    /// The venv's python, or `None` after printing the one skip line.
    fn python(test: &str) -> Option<&'static str> {
        let python = std::env::var("EVENT_STREAM_PYTHON").unwrap_or_else(|_| PYTHON.into());
        let ok = Path::new(&python).exists()
            && Command::new(&python)
                .args(["-c", "import botocore.eventstream"])
                .status()
                .is_ok_and(|status| status.success());
        if !ok {
            println!(
                "skipped {test}: no python with botocore at {python} (set EVENT_STREAM_PYTHON to one)"
            );
            return None;
        }
        Some(Box::leak(python.into_boxed_str()))
    }

    fn run(python: &str, mode: &str, input: &str) -> Value {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/event_stream/cross_check.py"
        );
        let mut child = Command::new(python)
            .args([script, mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "cross_check.py {mode} failed");
        serde_json::from_slice(&output.stdout).expect("JSON from cross_check.py")
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// How botocore shows a value (it does not keep the integer widths).
    fn described(value: &HeaderValue) -> String {
        match value {
            HeaderValue::Bool(b) => format!("bool:{b}"),
            HeaderValue::Byte(v) => format!("int:{v}"),
            HeaderValue::Int16(v) => format!("int:{v}"),
            HeaderValue::Int32(v) => format!("int:{v}"),
            HeaderValue::Int64(v) => format!("int:{v}"),
            HeaderValue::Timestamp(t) => format!("int:{}", t.as_millis()),
            HeaderValue::ByteArray(b) => format!("bytes:{}", hex(b)),
            HeaderValue::Uuid(b) => format!("bytes:{}", hex(b)),
            HeaderValue::String(s) => format!("str:{s}"),
        }
    }

    #[test]
    fn botocore_decodes_what_we_encode() {
        let Some(python) = python("botocore_decodes_what_we_encode") else {
            return;
        };
        let (messages, bytes) = sample_stream();
        let decoded = run(python, "decode", &hex(&bytes));
        let expected: Vec<Value> = messages
            .iter()
            .map(|message| {
                let headers: Vec<Value> = message
                    .headers
                    .iter()
                    .map(|h| serde_json::json!([h.name, described(&h.value)]))
                    .collect();
                serde_json::json!({"headers": headers, "payload": hex(&message.payload)})
            })
            .collect();
        assert_eq!(decoded, Value::Array(expected));
    }

    fn typed(kind: &str, value: &Value) -> HeaderValue {
        let int = || value.as_i64().unwrap();
        match kind {
            "bool" => HeaderValue::Bool(value.as_bool().unwrap()),
            "byte" => HeaderValue::Byte(int() as i8),
            "int16" => HeaderValue::Int16(int() as i16),
            "int32" => HeaderValue::Int32(int() as i32),
            "int64" => HeaderValue::Int64(int()),
            "timestamp" => HeaderValue::Timestamp(DateTime::from_millis(int())),
            "bytes" => HeaderValue::ByteArray(unhex(value.as_str().unwrap()).into()),
            "string" => HeaderValue::String(value.as_str().unwrap().into()),
            "uuid" => HeaderValue::Uuid(unhex(value.as_str().unwrap()).try_into().unwrap()),
            other => panic!("unknown kind {other}"),
        }
    }

    #[test]
    fn we_decode_what_an_independent_encoder_writes() {
        let Some(python) = python("we_decode_what_an_independent_encoder_writes") else {
            return;
        };
        let out = run(python, "encode", "");
        let stream = unhex(out["stream"].as_str().unwrap());
        let expected: Vec<Message> = out["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| Message {
                headers: m["headers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        Header::new(h[0].as_str().unwrap(), typed(h[1].as_str().unwrap(), &h[2]))
                    })
                    .collect(),
                payload: unhex(m["payload"].as_str().unwrap()).into(),
            })
            .collect();
        assert_eq!(expected.len(), 4);
        let mut decoder = MessageDecoder::new();
        decoder.push(&stream);
        assert_eq!(drain(&mut decoder), expected);
        decoder.finish().unwrap();
        // And our encoder writes exactly the same bytes.
        let ours: Vec<u8> = expected
            .iter()
            .flat_map(|m| encode_message(m).unwrap().to_vec())
            .collect();
        assert_eq!(ours, stream);
    }

    #[test]
    fn chained_signatures_match_an_independent_signer() {
        use smithy_runtime::credentials::Credentials;
        use smithy_runtime::event_stream::signing::{verify, EventSigner};
        let Some(python) = python("chained_signatures_match_an_independent_signer") else {
            return;
        };
        let credentials =
            Credentials::from_keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let seed = "e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b163ea19131e949b";
        let time = DateTime::from_secs(1_700_000_123);
        let mut signer = EventSigner::new(credentials.clone(), "us-west-2", "transcribe", seed);
        let events = [
            Message::new(vec![1u8; 100])
                .with_header(":event-type", HeaderValue::String("AudioEvent".into())),
            Message::new(&b""[..]),
        ];
        let mut signed: Vec<Message> = events
            .iter()
            .map(|e| signer.sign(e, time).unwrap())
            .collect();
        signed.push(signer.sign_end(time));
        let payloads: Vec<String> = signed.iter().map(|m| hex(&m.payload)).collect();
        let job = serde_json::json!({
            "secret": credentials.secret_access_key(), "region": "us-west-2",
            "service": "transcribe", "seed": seed, "time": 1_700_000_123, "payloads": payloads,
        });
        let expected = run(python, "sign", &job.to_string());
        let ours: Vec<Value> = signed
            .iter()
            .map(|m| match m.header(":chunk-signature") {
                Some(HeaderValue::ByteArray(sig)) => Value::String(hex(sig)),
                other => panic!("no signature: {other:?}"),
            })
            .collect();
        assert_eq!(Value::Array(ours), expected);
        assert_eq!(signer.previous_signature(), expected[2].as_str().unwrap());
        // The inner event is the payload, and a verifier with the same seed accepts the chain.
        assert_eq!(decode_message(&signed[0].payload).unwrap(), events[0]);
        let mut verifier = EventSigner::new(credentials, "us-west-2", "transcribe", seed);
        assert!(signed.iter().all(|m| verify(&mut verifier, m)));
        assert!(
            !verify(&mut verifier, &signed[0]),
            "a replayed message breaks the chain"
        );
    }
}
