//! One test per class of name collision the AWS corpus has (spec digest 3.4): Rust keywords,
//! shapes named like std types, enum members named `UNKNOWN`, names equal after case
//! conversion (iot `DeleteStream`/`DeleteStream_`, pinpoint-sms-voice `String`/`__string`),
//! and shapes named like the types the generator adds (`FooBuilder`).

use smithy_gen::emit::symbols::Symbols;
use smithy_gen::model::ShapeId;
use smithy_gen::naming::{member_field_name, variant_name};
use smithy_gen::{passes, Settings};

/// A restJson1 service with one `POST /op` operation whose input has `members` (JSON text of
/// a members object) and with `shapes` (JSON text of extra shape entries, leading comma).
fn model(members: &str, shapes: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "t#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "t#Op"}}],
                       "traits": {{"aws.protocols#restJson1": {{}}}}}},
            "t#Op": {{"type": "operation", "input": {{"target": "t#OpInput"}},
                      "output": {{"target": "smithy.api#Unit"}},
                      "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/op"}}}}}},
            "t#OpInput": {{"type": "structure", "members": {members}}}
            {shapes}
        }}}}"#
    )
}

/// Generates the model as one file and returns its code.
fn generate(text: &str) -> String {
    let model = smithy_gen::load(&[("m.json".into(), text.to_string())]).expect("model loads");
    let settings = Settings {
        layout: smithy_gen::Layout::SingleFile,
        ..Settings::default()
    };
    let files = smithy_gen::generate(&model, &settings).expect("generates valid Rust");
    files.into_values().next().expect("one file")
}

/// The Rust type names the symbol provider gives `names` (shape names in namespace `t`).
fn type_names(text: &str, names: &[&str]) -> Vec<String> {
    let model = smithy_gen::load(&[("m.json".into(), text.to_string())]).expect("model loads");
    let plan = passes::plan(&model, None, None).expect("plan");
    let symbols = Symbols::new(&plan);
    names
        .iter()
        .map(|n| symbols.type_name(&ShapeId::from_parts("t", n)))
        .collect()
}

#[test]
fn keyword_members_become_raw_or_suffixed_identifiers() {
    assert_eq!(member_field_name("type"), "r#type");
    assert_eq!(member_field_name("match"), "r#match");
    assert_eq!(member_field_name("self"), "self_value");
    let code = generate(&model(
        r#"{"type": {"target": "smithy.api#String"}, "match": {"target": "smithy.api#String"},
            "self": {"target": "smithy.api#String"}}"#,
        "",
    ));
    assert!(code.contains("pub r#type: ::std::option::Option<::std::string::String>"));
    assert!(code.contains("pub r#match:"));
    assert!(code.contains("pub self_value:"));
    assert!(code.contains("\"type\""), "the wire name stays `type`");
}

#[test]
fn shapes_named_like_std_types_are_emitted_and_std_is_always_absolute() {
    let code = generate(&model(
        r#"{"A": {"target": "t#String"}, "B": {"target": "t#Result"}, "C": {"target": "t#Option"}}"#,
        r#", "t#String": {"type": "structure", "members": {"V": {"target": "smithy.api#String"}}},
            "t#Result": {"type": "structure", "members": {}},
            "t#Option": {"type": "structure", "members": {}}"#,
    ));
    for name in ["String", "Result", "Option"] {
        assert!(
            code.contains(&format!("pub struct {name} ")),
            "{name} emitted"
        );
    }
    let bare = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .any(|l| l.contains(" Option<") || l.contains("(Option<") || l.contains(" Result<"));
    assert!(!bare, "std types are written with absolute paths");
}

#[test]
fn an_enum_member_named_unknown_does_not_clash_with_the_catch_all() {
    assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
    assert_eq!(variant_name("Unknown"), "UnknownValue");
    let code = generate(&model(
        r#"{"K": {"target": "t#Kind"}}"#,
        r#", "t#Kind": {"type": "enum", "members": {
                "UNKNOWN": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "UNKNOWN"}},
                "KNOWN": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "KNOWN"}}}}"#,
    ));
    assert!(code.contains("UnknownValue,"));
    assert!(code.contains("Unknown(::smithy_runtime::UnknownVariantValue)"));
    assert!(code.contains("\"UNKNOWN\" => Self::UnknownValue"));
}

#[test]
fn names_equal_after_case_conversion_get_distinct_types() {
    // iot: the operation `DeleteStream` and the shape `DeleteStream_`.
    let text = model(
        r#"{"A": {"target": "t#DeleteStream"}, "B": {"target": "t#DeleteStream_"},
            "C": {"target": "t#Flag_"}}"#,
        r#", "t#DeleteStream": {"type": "structure", "members": {}},
            "t#DeleteStream_": {"type": "structure", "members": {}},
            "t#Flag_": {"type": "boolean"}"#,
    );
    assert_eq!(
        type_names(&text, &["DeleteStream", "DeleteStream_"]),
        ["DeleteStream", "DeleteStream2"]
    );
    let code = generate(&text);
    assert!(code.contains("pub struct DeleteStream2 "));
    assert!(code.contains("pub c: ::std::option::Option<bool>"));
}

#[test]
fn string_and_dunder_string_get_distinct_types() {
    // pinpoint-sms-voice: `String` and `__string`.
    let text = model(
        r#"{"A": {"target": "t#String"}, "B": {"target": "t#__string"}}"#,
        r#", "t#String": {"type": "structure", "members": {}},
            "t#__string": {"type": "structure", "members": {}}"#,
    );
    assert_eq!(
        type_names(&text, &["String", "__string"]),
        ["String", "String2"]
    );
    generate(&text);
}

#[test]
fn shapes_named_like_generated_types_are_renamed() {
    let text = model(
        r#"{"A": {"target": "t#Foo"}, "B": {"target": "t#FooBuilder"}}"#,
        r#", "t#Foo": {"type": "structure", "members": {}},
            "t#FooBuilder": {"type": "structure", "members": {}}"#,
    );
    let names = type_names(&text, &["Foo", "FooBuilder"]);
    assert_ne!(format!("{}Builder", names[0]), names[1]);
    generate(&text);
}
