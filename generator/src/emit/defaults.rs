//! Values for members that must hold something: `@default` values, and the zero values Smithy's
//! client error correction prescribes when a service omits a required member.

use super::symbols::Symbols;
use crate::model::{Member, ShapeId, ShapeKind};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// The value to use when a non-optional member is absent from a response: its `@default`,
/// else the zero value of its type.
pub fn fallback_expr(symbols: &Symbols, member: &Member, depth: usize) -> TokenStream {
    match symbols.default_value(member) {
        Some(value) => default_expr(symbols, member, &value, depth),
        None => zero_expr(symbols, &member.target, depth),
    }
}

/// `field: value.unwrap_or(default)`, choosing `unwrap_or` for literals,
/// `unwrap_or_default` for `Default::default()` and `unwrap_or_else` otherwise (clippy-clean).
pub fn unwrap_or(
    value: TokenStream,
    default: &TokenStream,
    field: &proc_macro2::Ident,
) -> TokenStream {
    if is_plain_default(default) {
        quote!(#field: #value.unwrap_or_default(),)
    } else if is_literal(default) {
        quote!(#field: #value.unwrap_or(#default),)
    } else {
        quote!(#field: #value.unwrap_or_else(|| #default),)
    }
}

fn is_literal(expr: &TokenStream) -> bool {
    match syn::parse2::<syn::Expr>(expr.clone()) {
        Ok(syn::Expr::Lit(_)) => true,
        Ok(syn::Expr::Unary(unary)) => matches!(*unary.expr, syn::Expr::Lit(_)),
        _ => false,
    }
}

/// Whether an expression is just `Default::default()` (so `unwrap_or_default()` can be used).
pub fn is_plain_default(expr: &TokenStream) -> bool {
    expr.to_string() == quote!(::std::default::Default::default()).to_string()
}

/// The zero value of a target type.
pub fn zero_expr(symbols: &Symbols, target: &ShapeId, depth: usize) -> TokenStream {
    match &symbols.shape(target).kind {
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(target, depth);
            quote!(<#ty>::from(""))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.rust_type(target, depth);
            quote!(<#ty>::from(0))
        }
        _ => quote!(::std::default::Default::default()),
    }
}

/// A Rust expression for a member's `@default` value.
pub fn default_expr(
    symbols: &Symbols,
    member: &Member,
    value: &Value,
    depth: usize,
) -> TokenStream {
    let target = symbols.shape(&member.target);
    let ty = symbols.rust_type(&member.target, depth);
    match (&target.kind, value) {
        (ShapeKind::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        (ShapeKind::Enum(_), Value::String(s)) => quote!(<#ty>::from(#s)),
        (ShapeKind::IntEnum(_), Value::Number(n)) => {
            let n = Literal::i32_unsuffixed(n.as_i64().unwrap_or(0) as i32);
            quote!(<#ty>::from(#n))
        }
        (ShapeKind::Boolean, Value::Bool(b)) => quote!(#b),
        (
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long,
            Value::Number(n),
        ) => {
            let n = Literal::i64_unsuffixed(n.as_i64().unwrap_or(0));
            quote!(#n)
        }
        (ShapeKind::Float | ShapeKind::Double, Value::Number(n)) => {
            let n = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
            quote!(#n)
        }
        (ShapeKind::Timestamp, Value::Number(n)) => {
            let n = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
            quote!(::smithy_runtime::timestamp::from_epoch_seconds(#n).unwrap_or_default())
        }
        (ShapeKind::Timestamp, Value::String(s)) => {
            quote!(::smithy_runtime::timestamp::parse(#s, ::smithy_runtime::timestamp::Format::DateTime).unwrap_or_default())
        }
        (ShapeKind::Blob, _) if target.traits.streaming() => {
            quote!(::std::default::Default::default())
        }
        (ShapeKind::Blob, Value::String(s)) => {
            quote!(::smithy_runtime::json::blob(::smithy_runtime::serde_json::Value::String(#s.into())).unwrap_or_default())
        }
        (ShapeKind::BigInteger | ShapeKind::BigDecimal, v) => {
            let text = v.to_string();
            quote!(::smithy_runtime::BigNumber::new(#text))
        }
        (ShapeKind::Document, v) => {
            let text = v.to_string();
            quote!(::smithy_runtime::serde_json::from_str(#text).unwrap_or_default())
        }
        _ => zero_expr(symbols, &member.target, depth),
    }
}
