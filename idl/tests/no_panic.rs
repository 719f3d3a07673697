//! Property-style robustness test: arbitrary bytes and mutated fixtures must
//! produce `Ok` or `Err`, never a panic or a stack overflow.

use smithy_idl::conformance::files_with_extension;
use smithy_idl::{load_files, parse_file};

/// A small deterministic PRNG (xorshift64*), so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments that are likely to reach deep parser states when spliced in.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "@",
    "$",
    ":",
    ":=",
    "=",
    "#",
    ".",
    ",",
    "\"",
    "\"\"\"",
    "\"\"\"\n",
    "\\",
    "\\u",
    "\n",
    " ",
    "//",
    "///",
    "structure",
    "with",
    "for",
    "apply",
    "operation",
    "input",
    "namespace",
    "metadata",
    "use",
    "enum",
    "-",
    "1e",
    "0.5",
    "null",
    "true",
    "smithy.api#String",
    "$version: \"1.0\"\n",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                if at < bytes.len() {
                    bytes[at] = (rng.next() & 0xFF) as u8;
                }
            }
            1 => {
                let end = (at + rng.below(20)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.bytes());
            }
            3 => bytes.truncate(at),
            _ => {
                let from = rng.below(bytes.len() + 1);
                let end = (from + rng.below(40)).min(bytes.len());
                let chunk: Vec<u8> = bytes[from..end].to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xFF) as u8).collect();
        let _ = parse_file("fuzz.smithy", &String::from_utf8_lossy(&bytes));
        let text: String = (0..rng.below(30))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        let _ = parse_file("fuzz.smithy", &text);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let Some(root) = reference_data::require(
        "smithy-idl no_panic",
        "mutations of Smithy's IDL loader fixtures",
        "idl-loader-tests",
    ) else {
        return;
    };
    let fixtures: Vec<String> = files_with_extension(&root, ".smithy")
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(fixtures.len() > 100);
    let mut rng = Rng(42);
    for round in 0..4 {
        for (i, text) in fixtures.iter().enumerate() {
            let mutated = mutate(&mut rng, text);
            let _ = parse_file("mutated.smithy", &mutated);
            if (i + round) % 7 == 0 {
                let other = &fixtures[rng.below(fixtures.len())];
                let files = vec![
                    ("a.smithy".to_string(), mutated),
                    ("b.smithy".to_string(), other.clone()),
                ];
                let _ = load_files(&files);
            }
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{a: ", "{\"a\": "] {
        let text = format!("$version: \"2\"\nmetadata x = {}\n", open.repeat(100_000));
        let err = parse_file("deep.smithy", &text).unwrap_err();
        assert!(err.message.contains("nest"), "{err}");
    }
    let traits = format!("namespace a\n@foo({}\nstring S\n", "[".repeat(50_000));
    assert!(parse_file("deep.smithy", &traits).is_err());
}
