//! One Rust test per client-applicable Smithy protocol compliance case
//! (`smithy.test#httpRequestTests` on operations, `smithy.test#httpResponseTests` on operations
//! and error structures). The tests are meant to be `include!`d in a module directly below the
//! generated client's root (depth 1), so they may call the crate-private `serialize_request` and
//! `parse_response` of each operation. Each case is embedded as JSON and checked by
//! `smithy_runtime::protocol_test`; inputs and expected outputs are built with the generated
//! builders from the case's `params`.

use super::structure::fields;
use super::symbols::{Module, Symbols};
use crate::model::{ShapeId, ShapeKind};
use crate::naming::{self, ident};
use crate::passes::{OperationPlan, Plan};
use crate::{Error, ErrorKind, Result};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Depth of the tests module below the generated crate root.
const DEPTH: usize = 1;

/// Counts of the cases emitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Request cases emitted.
    pub requests: usize,
    /// Response cases emitted.
    pub responses: usize,
}

/// The test items for every client-applicable case of the plan's protocol (`protocol` is the
/// absolute shape ID of the protocol trait, e.g. `aws.protocols#restJson1`). `skipped` maps a
/// case ID to the reason it is marked `#[ignore]`.
pub fn emit_protocol_tests(
    plan: &Plan,
    protocol: &str,
    skipped: &BTreeMap<String, String>,
) -> Result<(TokenStream, Counts)> {
    let symbols = Symbols::new(plan);
    let mut tests = Vec::new();
    let mut names = BTreeSet::new();
    let mut counts = Counts::default();
    let mut errors_done = BTreeSet::new();
    for op in &plan.operations {
        let op_shape = symbols.shape(&op.id);
        for case in cases(
            op_shape.traits.get("smithy.test#httpRequestTests"),
            protocol,
        ) {
            let name = test_name(case, &mut names);
            tests.push(request_test(&symbols, op, case, &name, skipped)?);
            counts.requests += 1;
        }
        for case in cases(
            op_shape.traits.get("smithy.test#httpResponseTests"),
            protocol,
        ) {
            let name = test_name(case, &mut names);
            tests.push(response_test(&symbols, op, None, case, &name, skipped)?);
            counts.responses += 1;
        }
        for error in &op.errors {
            if !errors_done.insert(error.clone()) {
                continue;
            }
            let error_shape = symbols.shape(error);
            for case in cases(
                error_shape.traits.get("smithy.test#httpResponseTests"),
                protocol,
            ) {
                let name = test_name(case, &mut names);
                tests.push(response_test(
                    &symbols,
                    op,
                    Some(error),
                    case,
                    &name,
                    skipped,
                )?);
                counts.responses += 1;
            }
        }
    }
    Ok((quote!(#(#tests)*), counts))
}

fn cases<'a>(value: Option<&'a Value>, protocol: &str) -> Vec<&'a Value> {
    value
        .and_then(Value::as_array)
        .map(|cases| {
            cases
                .iter()
                .filter(|c| c.get("appliesTo").and_then(Value::as_str) != Some("server"))
                .filter(|c| c.get("protocol").and_then(Value::as_str) == Some(protocol))
                .collect()
        })
        .unwrap_or_default()
}

fn case_id(case: &Value) -> &str {
    case.get("id").and_then(Value::as_str).unwrap_or("unnamed")
}

fn test_name(case: &Value, names: &mut BTreeSet<String>) -> proc_macro2::Ident {
    let base = naming::snake_case(case_id(case));
    let mut name = base.clone();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    format_ident!("{}", name)
}

fn attrs(case: &Value, skipped: &BTreeMap<String, String>) -> TokenStream {
    let id = case_id(case);
    let mut doc = format!(" `{id}`");
    if let Some(d) = case.get("documentation").and_then(Value::as_str) {
        doc.push_str(": ");
        doc.push_str(d.lines().next().unwrap_or_default());
    }
    let ignore = match skipped.get(id) {
        Some(reason) => quote!(#[ignore = #reason]),
        None => quote!(),
    };
    quote!(#[doc = #doc] #[test] #ignore)
}

/// The path of the module holding `op`'s `serialize_request` and `parse_response`, from a
/// module at depth 1.
pub(crate) fn op_module(symbols: &Symbols, op: &OperationPlan) -> TokenStream {
    let root = super::symbols::root(DEPTH);
    match symbols.module_of(&op.input) {
        Module::Operation(name) => {
            let name = ident(&name);
            quote!(#root operation::#name)
        }
        _ => quote!(#root operation),
    }
}

fn request_test(
    symbols: &Symbols,
    op: &OperationPlan,
    case: &Value,
    name: &proc_macro2::Ident,
    skipped: &BTreeMap<String, String>,
) -> Result<TokenStream> {
    let attrs = attrs(case, skipped);
    let params = case.get("params").cloned().unwrap_or(Value::Null);
    let input = value(symbols, &op.input, &params, case_id(case))?;
    let module = op_module(symbols, op);
    let json = case.to_string();
    Ok(quote! {
        #attrs
        fn #name() {
            ::smithy_runtime::wire::set_fixed_idempotency_token(::std::option::Option::Some(::smithy_runtime::protocol_test::TEST_IDEMPOTENCY_TOKEN.to_string()));
            let input = #input;
            ::smithy_runtime::protocol_test::check_request(#module::serialize_request(&input), #json);
        }
    })
}

fn response_test(
    symbols: &Symbols,
    op: &OperationPlan,
    error: Option<&ShapeId>,
    case: &Value,
    name: &proc_macro2::Ident,
    skipped: &BTreeMap<String, String>,
) -> Result<TokenStream> {
    let attrs = attrs(case, skipped);
    let params = case.get("params").cloned().unwrap_or(Value::Null);
    let module = op_module(symbols, op);
    let json = case.to_string();
    let nan = has_nan(&params);
    let compare = |a: TokenStream, b: TokenStream| {
        if nan {
            quote!(::std::assert_eq!(::std::format!("{:?}", #a), ::std::format!("{:?}", #b));)
        } else {
            quote!(::std::assert_eq!(#a, #b);)
        }
    };
    let Some(error) = error else {
        let expected = value(symbols, &op.output, &params, case_id(case))?;
        let check = compare(quote!(actual), quote!(expected));
        return Ok(quote! {
            #attrs
            fn #name() {
                let response = ::smithy_runtime::protocol_test::response(#json);
                let actual = #module::parse_response(response).expect("the response parses");
                let expected = #expected;
                #check
            }
        });
    };
    let expected = value(symbols, error, &params, case_id(case))?;
    let error_enum = format_ident!("{}Error", naming::type_name(op.id.name()));
    let variant = ident(&symbols.type_name(error));
    let shape = symbols.shape(error);
    let checks = fields(symbols, shape, DEPTH).into_iter().map(|f| {
        let n = &f.name;
        compare(quote!(actual.#n), quote!(expected.#n))
    });
    Ok(quote! {
        #attrs
        fn #name() {
            let response = ::smithy_runtime::protocol_test::response(#json);
            let error = #module::parse_response(response).expect_err("the response is an error");
            let ::smithy_runtime::SdkError::Service(#module::#error_enum::#variant(actual)) = error else {
                panic!("expected the modelled error, got {error:?}");
            };
            let expected = #expected;
            let _ = (&actual, &expected);
            #(#checks)*
        }
    })
}

fn has_nan(value: &Value) -> bool {
    match value {
        Value::String(s) => s == "NaN",
        Value::Array(a) => a.iter().any(has_nan),
        Value::Object(o) => o.values().any(has_nan),
        _ => false,
    }
}

fn invalid(case: &str, what: String) -> Error {
    Error::file(
        "<protocol tests>",
        ErrorKind::Invalid(format!("case {case}: {what}")),
    )
}

/// An expression of the Rust type of `target` (no `Option`, no `Box`) holding `node`, written
/// in the protocol tests' `params` convention (timestamps as epoch seconds, blobs as UTF-8
/// text), from a module at depth 1.
pub(crate) fn value(
    symbols: &Symbols,
    target: &ShapeId,
    node: &Value,
    case: &str,
) -> Result<TokenStream> {
    let shape = symbols.shape(target);
    let rt = quote!(::smithy_runtime);
    Ok(match &shape.kind {
        ShapeKind::Structure(_) => structure_value(symbols, target, node, case)?,
        ShapeKind::Union(_) => union_value(symbols, target, node, case)?,
        ShapeKind::List(_) => list_value(symbols, target, node, case)?,
        ShapeKind::Map(..) => map_value(symbols, target, node, case)?,
        ShapeKind::String => {
            let s = text(node, target, case)?;
            quote!(::std::string::String::from(#s))
        }
        ShapeKind::Enum(_) => {
            let ty = symbols.type_path(target, DEPTH);
            let s = text(node, target, case)?;
            quote!(<#ty>::from(#s))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.type_path(target, DEPTH);
            let n = Literal::i32_suffixed(integer(node, target, case)? as i32);
            quote!(<#ty>::from(#n))
        }
        ShapeKind::Boolean => {
            let b = node
                .as_bool()
                .ok_or_else(|| invalid(case, format!("{target}: expected a boolean")))?;
            quote!(#b)
        }
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
            integer_literal(&shape.kind, integer(node, target, case)?)
        }
        ShapeKind::Float | ShapeKind::Double => float_value(&shape.kind, target, node, case)?,
        ShapeKind::BigInteger | ShapeKind::BigDecimal => {
            let s = match node {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            quote!(#rt::BigNumber::new(#s))
        }
        ShapeKind::Timestamp => {
            let f = node
                .as_f64()
                .ok_or_else(|| invalid(case, format!("{target}: expected epoch seconds")))?;
            let lit = Literal::f64_suffixed(f.abs());
            let sign = if f < 0.0 { quote!(-) } else { quote!() };
            quote!(#rt::timestamp::from_epoch_seconds(#sign #lit).expect("a valid timestamp"))
        }
        ShapeKind::Blob if shape.traits.streaming() => {
            let s = text(node, target, case)?;
            quote!(#rt::ByteStream::new(#rt::Bytes::from_static(#s.as_bytes())))
        }
        ShapeKind::Blob => {
            let s = text(node, target, case)?;
            quote!(#rt::Blob::new(#s.as_bytes().to_vec()))
        }
        ShapeKind::Document => {
            let json = node.to_string();
            quote!(#rt::serde_json::from_str::<#rt::Document>(#json).expect("valid JSON"))
        }
        ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
            return Err(invalid(case, format!("{target}: not a value shape")));
        }
    })
}

/// A structure through its builder, setting the members `node` names.
fn structure_value(
    symbols: &Symbols,
    target: &ShapeId,
    node: &Value,
    case: &str,
) -> Result<TokenStream> {
    let shape = symbols.shape(target);
    let ty = symbols.type_path(target, DEPTH);
    let empty = serde_json::Map::new();
    let object = match node {
        Value::Object(o) => o,
        Value::Null => &empty,
        _ => return Err(invalid(case, format!("{target}: expected an object"))),
    };
    let fields = fields(symbols, shape, DEPTH);
    let mut setters = Vec::new();
    for field in &fields {
        let Some(v) = object.get(&field.member.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let expr = boxed_if(
            symbols.is_boxed(target, field.member),
            value(symbols, &field.member.target, v, case)?,
        );
        let set = format_ident!("set_{}", naming::unraw(&field.name.to_string()));
        setters.push(quote!(.#set(::std::option::Option::Some(#expr))));
    }
    let fallible = shape.traits.input()
        || fields
            .iter()
            .any(|f| !f.optional && symbols.default_value(f.member).is_none());
    let unwrap = if fallible {
        quote!(.expect("the test value builds"))
    } else {
        quote!()
    };
    Ok(quote!(<#ty>::builder() #(#setters)* .build() #unwrap))
}

/// A union variant from the single key of `node`.
fn union_value(
    symbols: &Symbols,
    target: &ShapeId,
    node: &Value,
    case: &str,
) -> Result<TokenStream> {
    let ShapeKind::Union(members) = &symbols.shape(target).kind else {
        return Err(invalid(case, format!("{target}: expected a union")));
    };
    let ty = symbols.type_path(target, DEPTH);
    let Some((key, v)) = node.as_object().and_then(|o| o.iter().next()) else {
        return Err(invalid(case, format!("{target}: expected a union object")));
    };
    let Some(member) = members.iter().find(|m| &m.name == key) else {
        return Err(invalid(case, format!("{target}: no member {key}")));
    };
    let variant = ident(&symbols.variant_name(target, &member.name));
    if member.target.is_unit() {
        return Ok(quote!(<#ty>::#variant));
    }
    let expr = boxed_if(
        symbols.is_boxed(target, member),
        value(symbols, &member.target, v, case)?,
    );
    Ok(quote!(<#ty>::#variant(#expr)))
}

fn boxed_if(boxed: bool, expr: TokenStream) -> TokenStream {
    if boxed {
        quote!(::std::boxed::Box::new(#expr))
    } else {
        expr
    }
}

fn list_value(
    symbols: &Symbols,
    target: &ShapeId,
    node: &Value,
    case: &str,
) -> Result<TokenStream> {
    let shape = symbols.shape(target);
    let ShapeKind::List(item) = &shape.kind else {
        return Err(invalid(case, format!("{target}: expected a list")));
    };
    let items = node
        .as_array()
        .ok_or_else(|| invalid(case, format!("{target}: expected an array")))?;
    let sparse = shape.traits.sparse();
    let exprs = items
        .iter()
        .map(|i| collection_item(symbols, &item.target, i, sparse, case))
        .collect::<Result<Vec<_>>>()?;
    Ok(quote!(::std::vec![#(#exprs),*]))
}

fn map_value(symbols: &Symbols, target: &ShapeId, node: &Value, case: &str) -> Result<TokenStream> {
    let shape = symbols.shape(target);
    let ShapeKind::Map(key, val) = &shape.kind else {
        return Err(invalid(case, format!("{target}: expected a map")));
    };
    let entries = node
        .as_object()
        .ok_or_else(|| invalid(case, format!("{target}: expected an object")))?;
    let sparse = shape.traits.sparse();
    let mut inserts = Vec::new();
    for (k, v) in entries {
        let k = value(symbols, &key.target, &Value::String(k.clone()), case)?;
        let v = collection_item(symbols, &val.target, v, sparse, case)?;
        inserts.push(quote!(map.insert(#k, #v);));
    }
    let ty = symbols.rust_type(target, DEPTH);
    Ok(quote!({
        #[allow(unused_mut)]
        let mut map: #ty = ::std::collections::HashMap::new();
        #(#inserts)*
        map
    }))
}

fn integer(node: &Value, target: &ShapeId, case: &str) -> Result<i64> {
    node.as_i64()
        .ok_or_else(|| invalid(case, format!("{target}: expected an integer")))
}

fn integer_literal(kind: &ShapeKind, n: i64) -> TokenStream {
    match kind {
        ShapeKind::Byte => Literal::i8_suffixed(n as i8).into_token_stream(),
        ShapeKind::Short => Literal::i16_suffixed(n as i16).into_token_stream(),
        ShapeKind::Integer => Literal::i32_suffixed(n as i32).into_token_stream(),
        _ => Literal::i64_suffixed(n).into_token_stream(),
    }
}

/// A float or double, including the `NaN` / `Infinity` / `-Infinity` spellings.
fn float_value(
    kind: &ShapeKind,
    target: &ShapeId,
    node: &Value,
    case: &str,
) -> Result<TokenStream> {
    let is_float = matches!(kind, ShapeKind::Float);
    let ty = if is_float { quote!(f32) } else { quote!(f64) };
    Ok(match node {
        Value::String(s) if s == "NaN" => quote!(#ty::NAN),
        Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or_default();
            let lit = if is_float {
                Literal::f32_suffixed((f as f32).abs())
            } else {
                Literal::f64_suffixed(f.abs())
            };
            if f < 0.0 {
                quote!(-#lit)
            } else {
                quote!(#lit)
            }
        }
        _ => return Err(invalid(case, format!("{target}: expected a number"))),
    })
}

fn collection_item(
    symbols: &Symbols,
    target: &ShapeId,
    node: &Value,
    sparse: bool,
    case: &str,
) -> Result<TokenStream> {
    if !sparse {
        return value(symbols, target, node, case);
    }
    if node.is_null() {
        return Ok(quote!(::std::option::Option::None));
    }
    let v = value(symbols, target, node, case)?;
    Ok(quote!(::std::option::Option::Some(#v)))
}

fn text<'a>(node: &'a Value, target: &ShapeId, case: &str) -> Result<&'a str> {
    node.as_str()
        .ok_or_else(|| invalid(case, format!("{target}: expected a string")))
}
