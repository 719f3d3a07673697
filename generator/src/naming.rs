//! The one naming module: Smithy names to Rust identifiers.
//!
//! heck alone splits AWS names badly (`ACLs` -> `ac_ls`), so words are split here first, with the
//! rules the AWS SDK for Rust uses (so generated names match it and migration is easy):
//! plural acronyms keep their `s` (`ACLs` -> `acls`), a few mixed-case units are whole words
//! (`MiB`, `IpV4`, `SigV4`), and in an all-lowercase name a digit ends a word (`s3key` -> `s3_key`).
//! heck then joins the words. Keywords are escaped, and member names that would clash with the
//! generated API get a suffix.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Mixed-case units that are one word despite their inner capital (compared case-insensitively).
const WHOLE_WORDS: [&str; 9] = [
    "ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "tib", "ttl", "ip_v4",
];

/// Rust keywords (strict and reserved, 2021 edition) that can be written as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers; they get a `_value` suffix instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "crate", "super", "Self"];

/// Member names that clash with methods the generated builders and clients define.
const RESERVED_MEMBER_NAMES: &[&str] = &[
    "build",
    "builder",
    "default",
    "send",
    "meta",
    "customize",
    "presigned",
    "make_operation",
    "into_future",
    "config",
    "set_config",
    // Fluent builder methods.
    "input",
    "as_input",
    "set_input",
    "into_paginator",
    "new",
    // Error structures define `from_response` (and `meta`, above).
    "from_response",
];

/// Names an operation's module and `Client` method must not take: `Client`'s own methods, and
/// `operation`, which as `operation::operation` trips clippy's `module_inception`.
const RESERVED_OPERATION_NAMES: &[&str] = &["config", "from_conf", "operation"];

/// Splits a Smithy name into lowercase words, the AWS SDK for Rust way.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let all_lower = !chars.iter().any(|c| c.is_ascii_uppercase());
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            flush(&mut words, &mut current);
            i += 1;
            continue;
        }
        if let Some(len) = whole_word_at(&chars, i, current.is_empty()) {
            flush(&mut words, &mut current);
            words.push(chars[i..i + len].iter().collect::<String>().to_lowercase());
            i += len;
            continue;
        }
        if !current.is_empty() && is_boundary(&chars, i, all_lower, &current) {
            flush(&mut words, &mut current);
        }
        current.push(c);
        i += 1;
    }
    flush(&mut words, &mut current);
    words
}

fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(current.to_lowercase());
        current.clear();
    }
}

/// Length of a whole word (`MiB`, `IpV4`) starting at `i`, if one starts a word there.
fn whole_word_at(chars: &[char], i: usize, at_word_start: bool) -> Option<usize> {
    let starts_word = at_word_start
        || chars[i].is_ascii_uppercase()
        || (i > 0 && !chars[i - 1].is_ascii_alphanumeric());
    if !starts_word {
        return None;
    }
    WHOLE_WORDS.iter().find_map(|word| {
        let len = word.len();
        let candidate: String = chars.get(i..i + len)?.iter().collect();
        let next = chars.get(i + len);
        let ends_word = next.is_none_or(|n| !n.is_ascii_lowercase());
        let mixed = candidate.chars().any(|c| c.is_ascii_uppercase());
        (candidate.eq_ignore_ascii_case(word)
            && ends_word
            && (mixed || word.len() > 3)
            && !word.contains('_'))
        .then_some(len)
    })
}

/// Whether a new word starts at `chars[i]`, given the word collected so far.
fn is_boundary(chars: &[char], i: usize, all_lower: bool, current: &str) -> bool {
    let c = chars[i];
    let prev = chars[i - 1];
    let next = chars.get(i + 1).copied();
    if c.is_ascii_uppercase() {
        if prev.is_ascii_lowercase() || prev.is_ascii_digit() {
            // `fooBar`, `s3Bucket`; but a plural-acronym `s` never starts a word.
            return true;
        }
        // Inside an acronym: `DBProxy` splits before `P` (next is lowercase), unless the
        // lowercase is a plural `s` closing the acronym (`ACLs`, `CIDRs`).
        if prev.is_ascii_uppercase() {
            if let Some(n) = next {
                if n.is_ascii_lowercase() {
                    return !is_plural_acronym_s(chars, i + 1) && !is_version_v(chars, i + 1);
                }
            }
        }
        return false;
    }
    if c.is_ascii_digit() {
        return false;
    }
    // Lowercase letter: after a digit it starts a word only in all-lowercase names (`s3key`).
    let _ = current;
    prev.is_ascii_digit() && all_lower
}

/// Whether `chars[v]` is a `v` followed by a digit, a version closing the acronym before it
/// (`DynamoDBv2` -> `dynamo_dbv2`).
fn is_version_v(chars: &[char], v: usize) -> bool {
    chars[v] == 'v' && chars.get(v + 1).is_some_and(char::is_ascii_digit)
}

/// Whether `chars[s]` is an `s` that pluralises the acronym before it (`ACLs`, `ARNs`, `IDs`).
fn is_plural_acronym_s(chars: &[char], s: usize) -> bool {
    if chars[s] != 's' {
        return false;
    }
    let after = chars.get(s + 1);
    after.is_none_or(|a| !a.is_ascii_lowercase())
}

/// `snake_case` name as the AWS SDK for Rust spells it (not escaped).
pub fn snake_case(name: &str) -> String {
    split_words(name).join("_").to_snake_case()
}

/// `UpperCamelCase` name (not escaped).
pub fn upper_camel_case(name: &str) -> String {
    split_words(name).join("_").to_upper_camel_case()
}

/// Escapes a snake_case identifier that is a Rust keyword (`type` -> `r#type`, `self` -> `self_value`).
pub fn escape_ident(ident: &str) -> String {
    if NON_RAW_KEYWORDS.contains(&ident) {
        format!("{ident}_value")
    } else if RAW_KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// A converted name that is not a Rust identifier gets a letter in front: Smithy allows
/// identifiers like `_1abc`, whose conversions (`1abc`, `1_abc`) start with a digit; an empty
/// conversion (a name of only non-ASCII letters) becomes the bare letter.
fn identifier_start(name: String, letter: char) -> String {
    match name.chars().next() {
        Some(first) if !first.is_ascii_digit() => name,
        _ => format!("{letter}{name}"),
    }
}

/// The Rust field name of a structure member: snake_case, escaped, and renamed when it would
/// clash with a generated method (`build` -> `build_value`). Per-structure collisions between
/// members are resolved by the symbol provider ([`crate::emit::symbols::Symbols::field_name`]).
pub fn member_field_name(member: &str) -> String {
    let snake = identifier_start(snake_case(member), 'n');
    if RESERVED_MEMBER_NAMES.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        escape_ident(&snake)
    }
}

/// The Rust type name of a shape (UpperCamelCase; `Self` cannot be a type name; a leading
/// digit gets an `N` in front: `_1abc` -> `N1abc`).
pub fn type_name(shape_name: &str) -> String {
    let camel = identifier_start(upper_camel_case(shape_name), 'N');
    if camel == "Self" {
        "SelfValue".to_string()
    } else {
        camel
    }
}

/// The Rust variant name of an enum or union member. A modelled member literally named
/// `Unknown` would clash with the catch-all variant, so it becomes `UnknownValue`.
pub fn variant_name(member: &str) -> String {
    let camel = type_name(member);
    if camel == "Unknown" {
        "UnknownValue".to_string()
    } else {
        camel
    }
}

/// The module / method name of an operation (`GetHarvestJob` -> `get_harvest_job`), before
/// collisions between operations are resolved
/// ([`crate::emit::symbols::Symbols::operation_name`]). An operation named like a method
/// `Client` defines itself (`Config`) gets `_value`, as members do.
pub fn operation_fn_name(operation: &str) -> String {
    let snake = identifier_start(snake_case(operation), 'n');
    if RESERVED_OPERATION_NAMES.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        escape_ident(&snake)
    }
}

/// A crate name for a service (`MediaPackageV2` -> `mediapackagev2`).
pub fn crate_name(sdk_id: &str) -> String {
    sdk_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .collect::<String>()
        .to_lowercase()
        .replace([' ', '-'], "")
}

/// The text of an identifier without a raw prefix (`r#type` -> `type`), for messages.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Makes `ident` a valid token for `quote` (handles raw identifiers).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_names_match_the_aws_sdk_for_rust() {
        let table = [
            ("ACLs", "acls"),
            ("CIDRs", "cidrs"),
            ("ETag", "e_tag"),
            ("S3Destination", "s3_destination"),
            ("DynamoDBv2Action", "dynamo_dbv2_action"),
            ("TotalGpuMemoryInMiB", "total_gpu_memory_in_mib"),
            ("HlsManifests", "hls_manifests"),
            ("IpV4Cidr", "ipv4_cidr"),
            ("SigV4Authorization", "sigv4_authorization"),
            ("s3key", "s3_key"),
            ("AwsElbv2LoadBalancer", "aws_elbv2_load_balancer"),
            ("DBProxy", "db_proxy"),
            ("ChannelGroupName", "channel_group_name"),
            ("AuthTtL", "auth_ttl"),
            ("VPCs", "vpcs"),
        ];
        for (name, expected) in table {
            assert_eq!(snake_case(name), expected, "snake_case({name})");
        }
    }

    #[test]
    fn keywords_and_reserved_names_are_escaped() {
        assert_eq!(member_field_name("type"), "r#type");
        assert_eq!(member_field_name("Type"), "r#type");
        assert_eq!(member_field_name("self"), "self_value");
        assert_eq!(member_field_name("build"), "build_value");
        assert_eq!(member_field_name("Builder"), "builder_value");
        assert_eq!(member_field_name("match"), "r#match");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(member_field_name("_1abc"), "n1_abc");
        assert_eq!(member_field_name("from_response"), "from_response_value");
        assert_eq!(type_name("_1abc"), "N1Abc");
        assert_eq!(variant_name("_1"), "N1");
        assert_eq!(operation_fn_name("Config"), "config_value");
        assert_eq!(operation_fn_name("FromConf"), "from_conf_value");
        assert_eq!(operation_fn_name("Async"), "r#async");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
    }

    #[test]
    fn shape_names_are_upper_camel_case() {
        assert_eq!(type_name("mediapackagev2"), "Mediapackagev2");
        assert_eq!(type_name("ACLs"), "Acls");
        assert_eq!(type_name("S3DestinationConfig"), "S3DestinationConfig");
        assert_eq!(type_name("__string"), "String");
    }
}
