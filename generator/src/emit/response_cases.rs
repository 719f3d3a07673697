//! Response parsers for differential testing (`cargo xtask differential`, response phase): one
//! function per operation that feeds a raw HTTP response into the operation's crate-private
//! `parse_response` (the path the client and the Smithy protocol tests take) and writes the
//! parsed output as canonical JSON, with a walker over the generated types. Like the request
//! cases, the file is meant to be `include!`d in a module directly below the generated client
//! (single-file layout).
//!
//! The canonical JSON: member names as keys, unset optional members left out, timestamps as
//! epoch milliseconds, blobs (streaming or not) as standard base64, floats as numbers or the
//! strings `NaN` / `Infinity` / `-Infinity`, big numbers and enums as strings, int enums as
//! numbers, documents as they are, a union as an object with one key (`{}` for a unit member,
//! `$unknown` for a member the model does not list). A modelled error is
//! `{"$error": <error shape name>}` with its members.

use super::protocol_tests::op_module;
use super::structure::fields;
use super::symbols::Symbols;
use crate::model::{ShapeId, ShapeKind};
use crate::naming::{self, ident};
use crate::passes::Plan;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Depth of the responses module below the generated crate root.
const DEPTH: usize = 1;

/// `pub const PARSERS: &[(&str, fn(HttpResponse) -> Result<Value, String>)]`, one entry per
/// operation of the plan named in `operations` (all of them when `None`), plus the walker
/// functions the outputs and errors reach.
pub fn emit_response_cases(plan: &Plan, operations: Option<&[String]>) -> TokenStream {
    let symbols = Symbols::new(plan);
    let mut walkers = Walkers {
        symbols: &symbols,
        names: BTreeMap::new(),
        todo: Vec::new(),
    };
    let rt = quote!(::smithy_runtime);
    let mut parsers = Vec::new();
    let mut entries = Vec::new();
    for (index, op) in plan.operations.iter().enumerate() {
        let name = op.id.name();
        if op.event_stream || operations.is_some_and(|ops| !ops.iter().any(|o| o == name)) {
            continue;
        }
        let module = op_module(&symbols, op);
        let function = format_ident!("parse_{index}");
        let output = walkers.call(&op.output, quote!(&output));
        let error_enum = format_ident!("{}Error", naming::type_name(name));
        let error_arms: Vec<TokenStream> = op
            .errors
            .iter()
            .map(|error| {
                let variant = ident(&symbols.type_name(error));
                let walk = walkers.call(error, quote!(error));
                let label = error.name();
                quote! {
                    #module::#error_enum::#variant(error) => {
                        let mut value = #walk;
                        if let #rt::serde_json::Value::Object(map) = &mut value {
                            map.insert("$error".to_string(), #rt::serde_json::Value::from(#label));
                        }
                        ::std::result::Result::Ok(value)
                    }
                }
            })
            .collect();
        parsers.push(quote! {
            fn #function(response: #rt::http::HttpResponse) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                match #module::parse_response(response) {
                    ::std::result::Result::Ok(output) => ::std::result::Result::Ok(#output),
                    ::std::result::Result::Err(#rt::SdkError::Service(error)) => {
                        #[allow(unreachable_patterns)]
                        match &error {
                            #(#error_arms)*
                            other => ::std::result::Result::Err(::std::format!("unmodelled error: {other:?}")),
                        }
                    }
                    ::std::result::Result::Err(other) => ::std::result::Result::Err(other.to_string()),
                }
            }
        });
        entries.push(quote!((#name, #function)));
    }
    let mut functions = Vec::new();
    while let Some((id, function)) = walkers.todo.pop() {
        functions.push(walkers.walker(&id, &function));
    }
    quote! {
        use #rt::serde_json::{Map, Value};

        #(#parsers)*

        /// Every operation's parser by operation name: the raw response in, the parsed output
        /// (or modelled error) out as canonical JSON.
        pub const PARSERS: &[(&str, fn(#rt::http::HttpResponse) -> ::std::result::Result<Value, ::std::string::String>)] = &[#(#entries),*];

        #(#functions)*

        fn float(value: f64) -> Value {
            if value.is_nan() {
                Value::from("NaN")
            } else if value == f64::INFINITY {
                Value::from("Infinity")
            } else if value == f64::NEG_INFINITY {
                Value::from("-Infinity")
            } else {
                Value::from(value)
            }
        }

        fn millis(value: &#rt::DateTime) -> Value {
            Value::from(value.as_millis() as i64)
        }

        fn bytes(value: &[u8]) -> Value {
            Value::from(#rt::wire::base64_text(value))
        }
    }
}

/// The walker functions: one per structure, union, list and map shape reached, named in
/// order of first use.
struct Walkers<'a> {
    symbols: &'a Symbols<'a>,
    names: BTreeMap<ShapeId, proc_macro2::Ident>,
    todo: Vec<(ShapeId, proc_macro2::Ident)>,
}

impl Walkers<'_> {
    /// The JSON of `value` (an expression of type `&T`, `T` the Rust type of `target`).
    fn call(&mut self, target: &ShapeId, value: TokenStream) -> TokenStream {
        let shape = self.symbols.shape(target);
        match &shape.kind {
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::List(_)
            | ShapeKind::Map(..) => {
                let next = self.names.len();
                let function = self
                    .names
                    .entry(target.clone())
                    .or_insert_with(|| {
                        let function = format_ident!("walk_{next}");
                        self.todo.push((target.clone(), function.clone()));
                        function
                    })
                    .clone();
                quote!(#function(#value))
            }
            ShapeKind::String | ShapeKind::Boolean => quote!(Value::from((#value).clone())),
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                quote!(Value::from(*#value))
            }
            ShapeKind::Float | ShapeKind::Double => quote!(float(f64::from(*#value))),
            ShapeKind::Enum(_) => quote!(Value::from((#value).as_str())),
            ShapeKind::IntEnum(_) => quote!(Value::from((#value).as_i32())),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                quote!(Value::from((#value).as_str()))
            }
            ShapeKind::Timestamp => quote!(millis(#value)),
            ShapeKind::Blob if shape.traits.streaming() => quote!(bytes(&(#value).to_bytes())),
            ShapeKind::Blob => quote!(bytes((#value).as_bytes())),
            ShapeKind::Document => quote!((#value).clone()),
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                quote!(Value::Null)
            }
        }
    }

    /// A collection item (`Option` in a `@sparse` collection).
    fn item(&mut self, target: &ShapeId, sparse: bool) -> TokenStream {
        if sparse {
            let inner = self.call(target, quote!(item));
            quote!(match item { ::std::option::Option::Some(item) => #inner, ::std::option::Option::None => Value::Null })
        } else {
            self.call(target, quote!(item))
        }
    }

    fn walker(&mut self, id: &ShapeId, function: &proc_macro2::Ident) -> TokenStream {
        let symbols = self.symbols;
        let shape = symbols.shape(id);
        let ty = symbols.rust_type(id, DEPTH);
        let body = match &shape.kind {
            ShapeKind::Structure(_) => {
                let inserts: Vec<TokenStream> = fields(symbols, shape, DEPTH)
                    .iter()
                    .filter(|f| !symbols.is_output_event_stream(&f.member.target))
                    .map(|f| {
                        let name = &f.name;
                        let key = &f.member.name;
                        if f.optional {
                            let walk = self.call(&f.member.target, quote!(field));
                            quote! {
                                if let ::std::option::Option::Some(field) = &value.#name {
                                    map.insert(#key.to_string(), #walk);
                                }
                            }
                        } else {
                            let walk = self.call(&f.member.target, quote!(&value.#name));
                            quote!(map.insert(#key.to_string(), #walk);)
                        }
                    })
                    .collect();
                quote! {
                    #[allow(unused_mut)]
                    let mut map = Map::new();
                    #(#inserts)*
                    Value::Object(map)
                }
            }
            ShapeKind::Union(members) => {
                let arms: Vec<TokenStream> = members
                    .iter()
                    .map(|m| {
                        let variant = ident(&symbols.variant_name(id, &m.name));
                        let key = &m.name;
                        if m.target.is_unit() {
                            quote!(#ty::#variant => (#key, Value::Object(Map::new())),)
                        } else {
                            let walk = self.call(&m.target, quote!(item));
                            quote!(#ty::#variant(item) => (#key, #walk),)
                        }
                    })
                    .collect();
                quote! {
                    #[allow(unreachable_patterns)]
                    let (key, item) = match value {
                        #(#arms)*
                        _ => ("$unknown", Value::Bool(true)),
                    };
                    let mut map = Map::new();
                    map.insert(key.to_string(), item);
                    Value::Object(map)
                }
            }
            ShapeKind::List(item) => {
                let walk = self.item(&item.target, shape.traits.sparse());
                quote!(Value::Array(value.iter().map(|item| #walk).collect()))
            }
            ShapeKind::Map(key, item) => {
                let key_text = match symbols.shape(&key.target).kind {
                    ShapeKind::Enum(_) => quote!(key.as_str().to_string()),
                    _ => quote!(key.to_string()),
                };
                let walk = self.item(&item.target, shape.traits.sparse());
                quote! {
                    Value::Object(value.iter().map(|(key, item)| (#key_text, #walk)).collect())
                }
            }
            _ => quote!(Value::Null),
        };
        quote! {
            #[allow(unused_variables)]
            fn #function(value: &#ty) -> Value {
                #body
            }
        }
    }
}
