//! The CBOR decoder on untrusted input: any bytes give a value or a typed error, never a panic,
//! a hang or an allocation the input cannot pay for; every value the encoder writes decodes
//! back to itself; and every cut or corrupted encoding is handled.

use proptest::prelude::*;
use smithy_runtime::cbor::{decode, encode, Map, Value, MAX_DEPTH};
use smithy_runtime::protocol_test::cbor_eq;

/// Any value the encoder can write: every major type, nested a few levels.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| Value::Integer(i128::from(n))),
        any::<u64>().prop_map(|n| Value::Integer(i128::from(n))),
        (0..=u64::MAX).prop_map(|n| Value::Integer(-1 - i128::from(n))),
        any::<f64>().prop_map(Value::Float),
        any::<f32>().prop_map(|f| Value::Float(f64::from(f))),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        any::<String>().prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            // Distinct keys, as every map Smithy writes has.
            proptest::collection::btree_map(any::<String>(), inner.clone(), 0..8)
                .prop_map(|entries| Value::Map(entries.into_iter().collect::<Map>())),
            (0..=1000u64, inner).prop_map(|(tag, item)| Value::Tag(tag, Box::new(item))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn encoded_values_decode_to_themselves(value in value()) {
        let bytes = encode(&value);
        let decoded = decode(&bytes).expect("our own encoding decodes");
        prop_assert!(cbor_eq(&value, &decoded), "{value:?} came back as {decoded:?}");
    }

    #[test]
    fn every_cut_of_an_encoding_is_an_error(value in value()) {
        let bytes = encode(&value);
        for end in 0..bytes.len() {
            prop_assert!(decode(&bytes[..end]).is_err(), "{:02x?} decoded", &bytes[..end]);
        }
    }

    #[test]
    fn corrupted_encodings_never_panic(value in value(), at in any::<usize>(), byte in any::<u8>()) {
        let mut bytes = encode(&value);
        if !bytes.is_empty() {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        let _ = decode(&bytes);
    }
}

#[test]
fn a_forged_length_does_not_allocate_it() {
    // A byte string, an array and a map each claiming 2^64 - 1 entries, with none there.
    for header in [0x5b, 0x9b, 0xbb] {
        let mut bytes = vec![header];
        bytes.extend_from_slice(&u64::MAX.to_be_bytes());
        assert!(decode(&bytes).is_err(), "{header:02x}");
    }
}

#[test]
fn nesting_is_bounded() {
    for open in [0x81u8, 0x9f, 0xc1] {
        let bytes = vec![open; MAX_DEPTH * 4];
        let error = decode(&bytes).expect_err("too deep");
        assert!(
            error.to_string().contains("nested deeper"),
            "{open:02x}: {error}"
        );
    }
}
