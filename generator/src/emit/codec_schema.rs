//! EXPERIMENTAL schema-driven shape codecs ([`CodecStyle::Schema`]), the alternative measured
//! against the generated codecs by `cargo xtask codec-compare` (see `docs/codec-design.md`).
//!
//! In this style every structure, union, list, map and enum of the plan gets a `static`
//! `smithy_runtime::schema::Schema` in a `schemas` module, and structures and unions implement
//! `SerializableShape` (each member written to a `&mut dyn ShapeSerializer` with its member
//! schema) and `DeserializableShape` (a `match` on the member index, fed by a
//! `&mut dyn ShapeDeserializer`) instead of straight-line JSON code. The JSON format lives once
//! in `smithy_runtime::schema::json`. The shapes' `FromJson` / `ToJson` impls stay, as one-line
//! delegations to that format, so the protocols' request and response code is unchanged:
//! only the body codecs differ between the styles.
//!
//! The hook is a rewrite of what the other emitters produce: their generated `FromJson` /
//! `ToJson` impls are dropped and these are added, which keeps the default style's emitters
//! (and so its output) untouched.

use super::defaults;
use super::structure::{fields, Field, StructureUse};
use super::symbols::{root, Symbols};
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Shape, ShapeId, ShapeKind};
use crate::naming::{self, ident};
use crate::passes::Protocol;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// How shapes are read from and written to bodies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CodecStyle {
    /// Straight-line generated `FromJson` / `ToJson` per shape (the default).
    #[default]
    Generated,
    /// EXPERIMENTAL: static schemas and protocol-agnostic member (de)serialization over the
    /// runtime's `ShapeSerializer` / `ShapeDeserializer` (`smithy_runtime::schema`).
    Schema,
}

/// The schema statics of a plan: the name of each shape's static in the `schemas` module.
pub struct SchemaCodec<'a> {
    symbols: &'a Symbols<'a>,
    names: BTreeMap<ShapeId, String>,
}

impl<'a> SchemaCodec<'a> {
    /// Names a static for every structure, union, list, map and enum the plan emits
    /// (operation inputs and outputs included).
    pub fn new(symbols: &'a Symbols<'a>) -> SchemaCodec<'a> {
        let plan = symbols.plan;
        let ids = plan.shapes.iter().cloned().chain(
            plan.operations
                .iter()
                .flat_map(|op| [op.input.clone(), op.output.clone()]),
        );
        let mut names = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for id in ids {
            if names.contains_key(&id) || !has_schema(&symbols.shape(&id).kind) {
                continue;
            }
            let base = naming::snake_case(&symbols.type_name(&id)).to_uppercase();
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            names.insert(id, name);
        }
        SchemaCodec { symbols, names }
    }

    /// The `schemas` module's items: one `static` per shape.
    pub fn schemas_module(&self) -> TokenStream {
        let statics = self.names.iter().map(|(id, name)| {
            let name = ident(name);
            let schema = self.shape_schema(self.symbols.shape(id));
            quote!(pub static #name: ::smithy_runtime::schema::Schema = #schema;)
        });
        quote!(#(#statics)*)
    }

    /// `tokens` (a module's items) with the generated `FromJson` / `ToJson` impls of `shapes`
    /// replaced by the schema-driven ones. `usage` says which each shape needs.
    pub fn rewrite(
        &self,
        tokens: TokenStream,
        shapes: &[(&Shape, StructureUse)],
        depth: usize,
    ) -> TokenStream {
        let kept = strip_generated_codecs(tokens);
        let codecs = shapes
            .iter()
            .map(|(shape, usage)| self.codecs(shape, *usage, depth));
        quote!(#kept #(#codecs)*)
    }

    fn static_path(&self, id: &ShapeId, depth: usize) -> TokenStream {
        let name = ident(&self.names[id]);
        let root = root(depth);
        quote!(#root schemas::#name)
    }

    /// A shape's schema expression.
    fn shape_schema(&self, shape: &Shape) -> TokenStream {
        let s = quote!(::smithy_runtime::schema);
        let name = self.symbols.type_name(&shape.id);
        let (kind, members): (TokenStream, Vec<TokenStream>) = match &shape.kind {
            ShapeKind::Enum(members) => {
                let values = members.iter().map(|m| {
                    m.traits
                        .enum_value()
                        .and_then(|v| v.as_str())
                        .unwrap_or(&m.name)
                        .to_string()
                });
                return quote!(#s::Schema::enumeration(#name, &[#(#values),*]));
            }
            ShapeKind::IntEnum(members) => {
                let values = members.iter().map(|m| {
                    let v = m.traits.enum_value().and_then(|v| v.as_i64()).unwrap_or(0);
                    proc_macro2::Literal::i64_unsuffixed(v)
                });
                return quote!(#s::Schema::int_enumeration(#name, &[#(#values),*]));
            }
            ShapeKind::List(item) => (quote!(List), vec![self.member_schema(shape, item, 0)]),
            ShapeKind::Map(key, value) => (
                quote!(Map),
                vec![
                    self.member_schema(shape, key, 0),
                    self.member_schema(shape, value, 1),
                ],
            ),
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                let kind = if matches!(shape.kind, ShapeKind::Union(_)) {
                    quote!(Union)
                } else {
                    quote!(Structure)
                };
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| self.member_schema(shape, m, i))
                    .collect();
                (kind, members)
            }
            _ => unreachable!("only aggregates and enums get a schema static"),
        };
        let sparse = if shape.traits.sparse() {
            quote!(.sparse())
        } else {
            quote!()
        };
        quote!(#s::Schema::aggregate(#name, #s::ShapeType::#kind, &[#(#members),*]) #sparse)
    }

    /// A member's schema expression: name, index, target and the traits the formats read.
    fn member_schema(&self, container: &Shape, member: &Member, index: usize) -> TokenStream {
        let s = quote!(::smithy_runtime::schema);
        let name = &member.name;
        let target = self.target_schema(&member.target);
        let index = self::index(index);
        let mut out = quote!(#s::Schema::member(#name, #index, &#target));
        if let Some(json_name) = member.traits.json_name() {
            out.extend(quote!(.json_name(#json_name)));
        }
        let format = member
            .traits
            .timestamp_format()
            .or_else(|| self.symbols.shape(&member.target).traits.timestamp_format());
        if let Some(format) = format {
            let format = match format {
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
            };
            out.extend(quote!(.timestamp_format(::smithy_runtime::timestamp::Format::#format)));
        }
        if matches!(container.kind, ShapeKind::Structure(_)) {
            let (request, response) = self.bindings(container, member);
            if request || response {
                out.extend(quote!(.bound(#request, #response)));
            }
        }
        out
    }

    /// Whether a structure's member is bound outside the body when written and when read, by
    /// the same protocol rules the generated codecs apply.
    fn bindings(&self, container: &Shape, member: &Member) -> (bool, bool) {
        let protocol = self.symbols.protocol();
        let request = !protocol.is_request_body_member(member);
        let response = if is_response(container) {
            !protocol.is_response_body_member(member)
        } else {
            request
        };
        (request, response)
    }

    /// The static a member's target points at: the shape's own, or the prelude's for simple
    /// shapes (their traits are merged into the member).
    fn target_schema(&self, target: &ShapeId) -> TokenStream {
        if self.names.contains_key(target) {
            let name = ident(&self.names[target]);
            return quote!(#name);
        }
        let p = quote!(::smithy_runtime::schema::prelude);
        let shape = self.symbols.shape(target);
        match &shape.kind {
            ShapeKind::Blob => quote!(#p::BLOB),
            ShapeKind::Boolean => quote!(#p::BOOLEAN),
            ShapeKind::String => quote!(#p::STRING),
            ShapeKind::Byte => quote!(#p::BYTE),
            ShapeKind::Short => quote!(#p::SHORT),
            ShapeKind::Integer => quote!(#p::INTEGER),
            ShapeKind::Long => quote!(#p::LONG),
            ShapeKind::Float => quote!(#p::FLOAT),
            ShapeKind::Double => quote!(#p::DOUBLE),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#p::BIG_NUMBER),
            ShapeKind::Timestamp => quote!(#p::TIMESTAMP),
            ShapeKind::Structure(_) => quote!(#p::UNIT),
            _ => quote!(#p::DOCUMENT),
        }
    }

    /// The schema-driven impls of one structure or union, and the `FromJson` / `ToJson`
    /// delegations the protocols call.
    fn codecs(&self, shape: &Shape, usage: StructureUse, depth: usize) -> TokenStream {
        let name = ident(&self.symbols.type_name(&shape.id));
        let schema = self.static_path(&shape.id, depth);
        let settings = self.json_settings();
        let s = quote!(::smithy_runtime::schema);
        let mut out = TokenStream::new();
        if usage.read {
            let body = match &shape.kind {
                ShapeKind::Union(members) => self.union_deserialize(shape, members, depth),
                _ => self.struct_deserialize(shape, depth),
            };
            out.extend(quote! {
                impl #s::DeserializableShape for #name {
                    fn deserialize(de: &mut dyn #s::ShapeDeserializer) -> #s::Result<Self> {
                        #body
                    }
                }
                impl ::smithy_runtime::json::FromJson for #name {
                    fn from_json(value: ::smithy_runtime::serde_json::Value) -> ::smithy_runtime::json::Result<Self> {
                        #s::json::from_value(value, #settings)
                    }
                }
            });
        }
        if usage.write {
            let body = match &shape.kind {
                ShapeKind::Union(members) => self.union_serialize(shape, members, depth),
                _ => self.struct_serialize(shape, depth),
            };
            out.extend(quote! {
                impl #s::SerializableShape for #name {
                    fn schema(&self) -> &'static #s::Schema {
                        &#schema
                    }
                    fn serialize_members(&self, ser: &mut dyn #s::ShapeSerializer) {
                        #body
                    }
                }
                impl ::smithy_runtime::json::ToJson for #name {
                    fn to_json(&self) -> ::smithy_runtime::serde_json::Value {
                        #s::json::to_value(self, #settings)
                    }
                }
            });
        }
        out
    }

    /// The JSON settings of the plan's protocol (only restJson1 honours `@jsonName`).
    fn json_settings(&self) -> TokenStream {
        if matches!(
            self.symbols.plan.protocol,
            Protocol::RestJson1 | Protocol::Unsupported(_)
        ) {
            quote!(::smithy_runtime::schema::json::REST_JSON)
        } else {
            quote!(::smithy_runtime::schema::json::AWS_JSON)
        }
    }

    /// A structure read into its builder by member index, then assembled as the generated
    /// codec does (defaults for missing non-optional members; members bound outside the body
    /// start at their default, for the response parser to set).
    fn struct_deserialize(&self, shape: &Shape, depth: usize) -> TokenStream {
        let symbols = self.symbols;
        let schema = self.static_path(&shape.id, depth);
        let all = fields(symbols, shape, depth);
        let read_from_body = |f: &Field| !self.bindings(shape, f.member).1;
        let indexed: Vec<(usize, &Field)> = all
            .iter()
            .enumerate()
            .filter(|(_, f)| read_from_body(f))
            .collect();
        let arms: Vec<TokenStream> = indexed
            .iter()
            .map(|(i, f)| {
                let i = index(*i);
                let field = &f.name;
                let read = self.read_member(&shape.id, f.member, quote!(member), depth);
                quote!(#i => builder.#field = ::std::option::Option::Some(#read?),)
            })
            .collect();
        let inits = all
            .iter()
            .map(|f| self.init_field(f, read_from_body(f), depth));
        let extra = if shape.traits.error().is_some() {
            quote!(meta: ::std::default::Default::default(),)
        } else {
            quote!()
        };
        let assemble = quote!(::std::result::Result::Ok(Self { #(#inits)* #extra }));
        if arms.is_empty() {
            return quote! {
                de.read_struct(&#schema, &mut |_, _| ::std::result::Result::Ok(()))?;
                #assemble
            };
        }
        let builder = format_ident!("{}Builder", symbols.type_name(&shape.id));
        // One arm would be a `match` clippy's `single_match` rejects.
        let dispatch = if let [(i, f)] = indexed.as_slice() {
            let i = index(*i);
            let field = &f.name;
            let read = self.read_member(&shape.id, f.member, quote!(member), depth);
            quote!(if member.member_index == #i { builder.#field = ::std::option::Option::Some(#read?); })
        } else {
            quote!(match member.member_index { #(#arms)* _ => {} })
        };
        quote! {
            let mut builder = #builder::default();
            de.read_struct(&#schema, &mut |member, de| {
                #dispatch
                ::std::result::Result::Ok(())
            })?;
            #assemble
        }
    }

    /// One field of the assembled structure.
    fn init_field(&self, f: &Field, from_body: bool, depth: usize) -> TokenStream {
        let field = &f.name;
        if !from_body {
            // An enum has no `Default`: a non-optional one starts at its fallback value.
            let target = &self.symbols.shape(&f.member.target).kind;
            if !f.optional && matches!(target, ShapeKind::Enum(_) | ShapeKind::IntEnum(_)) {
                let fallback = defaults::fallback_expr(self.symbols, f.member, depth);
                return quote!(#field: #fallback,);
            }
            return quote!(#field: ::std::default::Default::default(),);
        }
        if f.optional {
            return quote!(#field: builder.#field,);
        }
        let fallback = defaults::fallback_expr(self.symbols, f.member, depth);
        defaults::unwrap_or(quote!(builder.#field), &fallback, field)
    }

    fn union_deserialize(&self, shape: &Shape, members: &[Member], depth: usize) -> TokenStream {
        let schema = self.static_path(&shape.id, depth);
        let arms = members.iter().enumerate().map(|(i, m)| {
            let i = index(i);
            let variant = ident(&self.symbols.variant_name(&shape.id, &m.name));
            if m.target.is_unit() {
                quote!(#i => Self::#variant,)
            } else {
                let read = self.read_member(&shape.id, m, quote!(member), depth);
                quote!(#i => Self::#variant(#read?),)
            }
        });
        let de = if members.iter().all(|m| m.target.is_unit()) {
            quote!(_de)
        } else {
            quote!(de)
        };
        quote! {
            let mut out = Self::Unknown;
            de.read_union(&#schema, &mut |member, #de| {
                out = match member.member_index {
                    #(#arms)*
                    _ => Self::Unknown,
                };
                ::std::result::Result::Ok(())
            })?;
            ::std::result::Result::Ok(out)
        }
    }

    /// Every member written with its member schema (members bound outside the body too: the
    /// format skips them, so the shape code does not depend on the protocol).
    fn struct_serialize(&self, shape: &Shape, depth: usize) -> TokenStream {
        let schema = self.static_path(&shape.id, depth);
        let all = fields(self.symbols, shape, depth);
        if all.is_empty() {
            return quote!(let _ = ser;);
        }
        let writes = all.iter().enumerate().map(|(i, f)| {
            let i = index(i);
            let field = &f.name;
            let member = quote!(&members[#i]);
            if f.optional {
                let write = self.write_member(&shape.id, f.member, member, quote!(value));
                quote!(if let ::std::option::Option::Some(value) = &self.#field { #write; })
            } else {
                let write = self.write_member(&shape.id, f.member, member, quote!(&self.#field));
                quote!(#write;)
            }
        });
        quote! {
            let members = #schema.members;
            #(#writes)*
        }
    }

    fn union_serialize(&self, shape: &Shape, members: &[Member], depth: usize) -> TokenStream {
        let schema = self.static_path(&shape.id, depth);
        let arms = members.iter().enumerate().map(|(i, m)| {
            let i = index(i);
            let variant = ident(&self.symbols.variant_name(&shape.id, &m.name));
            if m.target.is_unit() {
                quote!(Self::#variant => ser.write_struct(&members[#i], &::smithy_runtime::schema::Unit),)
            } else {
                let write = self.write_member(&shape.id, m, quote!(&members[#i]), quote!(value));
                quote!(Self::#variant(value) => #write,)
            }
        });
        quote! {
            let members = #schema.members;
            match self {
                #(#arms)*
                Self::Unknown => {}
            }
        }
    }

    /// An expression of type `schema::Result<T>` reading a member's value from `de` with the
    /// member schema `schema`.
    fn read_member(
        &self,
        container: &ShapeId,
        member: &Member,
        schema: TokenStream,
        depth: usize,
    ) -> TokenStream {
        let read = self.read_target(&member.target, schema, depth);
        if self.symbols.is_boxed(container, member) {
            quote!(#read.map(::std::boxed::Box::new))
        } else {
            read
        }
    }

    fn read_target(&self, target: &ShapeId, s: TokenStream, depth: usize) -> TokenStream {
        let shape = self.symbols.shape(target);
        let rt = quote!(::smithy_runtime::schema);
        match &shape.kind {
            ShapeKind::Blob if shape.traits.streaming() => {
                quote!(de.read_blob(#s).map(::smithy_runtime::ByteStream::new))
            }
            ShapeKind::Blob => quote!(de.read_blob(#s).map(::smithy_runtime::Blob::new)),
            ShapeKind::Boolean => quote!(de.read_boolean(#s)),
            ShapeKind::String => quote!(de.read_string(#s)),
            ShapeKind::Byte => quote!(de.read_byte(#s)),
            ShapeKind::Short => quote!(de.read_short(#s)),
            ShapeKind::Integer => quote!(de.read_integer(#s)),
            ShapeKind::Long => quote!(de.read_long(#s)),
            ShapeKind::Float => quote!(de.read_float(#s)),
            ShapeKind::Double => quote!(de.read_double(#s)),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(de.read_big_number(#s)),
            ShapeKind::Timestamp => quote!(de.read_timestamp(#s)),
            ShapeKind::Enum(_) => {
                let ty = self.symbols.rust_type(target, depth);
                quote!(#rt::enumeration::<#ty>(de, #s))
            }
            ShapeKind::IntEnum(_) => {
                let ty = self.symbols.rust_type(target, depth);
                quote!(de.read_integer(#s).map(<#ty>::from))
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let ty = self.symbols.rust_type(target, depth);
                quote!(#rt::shape::<#ty>(de, #s))
            }
            ShapeKind::List(item) => {
                let read = self.read_target(&item.target, quote!(s), depth);
                let f = if shape.traits.sparse() {
                    quote!(sparse_list)
                } else {
                    quote!(list)
                };
                quote!(#rt::#f(de, #s, |de, s| #read))
            }
            ShapeKind::Map(key, value) => {
                let read = self.read_target(&value.target, quote!(s), depth);
                let enum_keys = matches!(self.symbols.shape(&key.target).kind, ShapeKind::Enum(_));
                let f = match (shape.traits.sparse(), enum_keys) {
                    (false, false) => quote!(map),
                    (true, false) => quote!(sparse_map),
                    (false, true) => quote!(enum_map),
                    (true, true) => quote!(sparse_enum_map),
                };
                quote!(#rt::#f(de, #s, |de, s| #read))
            }
            _ => quote!(de.read_document(#s)),
        }
    }

    /// A statement writing a member's value `value` (a reference expression) to `ser` with the
    /// member schema `schema`.
    fn write_member(
        &self,
        container: &ShapeId,
        member: &Member,
        schema: TokenStream,
        value: TokenStream,
    ) -> TokenStream {
        let value = if self.symbols.is_boxed(container, member) {
            // Boxed members target structures and unions: the value is only passed on.
            quote!(&**#value)
        } else {
            value
        };
        self.write_target(&member.target, schema, value)
    }

    fn write_target(&self, target: &ShapeId, s: TokenStream, v: TokenStream) -> TokenStream {
        let shape = self.symbols.shape(target);
        let rt = quote!(::smithy_runtime::schema);
        match &shape.kind {
            ShapeKind::Blob if shape.traits.streaming() => {
                quote!(ser.write_blob(#s, &#v.to_bytes()))
            }
            ShapeKind::Blob => quote!(ser.write_blob(#s, #v.as_bytes())),
            ShapeKind::Boolean => quote!(ser.write_boolean(#s, *#v)),
            ShapeKind::String => quote!(ser.write_string(#s, #v)),
            ShapeKind::Byte => quote!(ser.write_byte(#s, *#v)),
            ShapeKind::Short => quote!(ser.write_short(#s, *#v)),
            ShapeKind::Integer => quote!(ser.write_integer(#s, *#v)),
            ShapeKind::Long => quote!(ser.write_long(#s, *#v)),
            ShapeKind::Float => quote!(ser.write_float(#s, *#v)),
            ShapeKind::Double => quote!(ser.write_double(#s, *#v)),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                quote!(ser.write_big_number(#s, #v))
            }
            ShapeKind::Timestamp => quote!(ser.write_timestamp(#s, #v)),
            ShapeKind::Enum(_) => quote!(ser.write_string(#s, #v.as_str())),
            ShapeKind::IntEnum(_) => quote!(ser.write_integer(#s, #v.as_i32())),
            ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(ser.write_struct(#s, #v)),
            ShapeKind::List(item) => {
                let write = self.write_target(&item.target, quote!(s), quote!(v));
                let f = if shape.traits.sparse() {
                    quote!(write_sparse_list)
                } else {
                    quote!(write_list)
                };
                quote!(#rt::#f(ser, #s, #v, |ser, s, v| #write))
            }
            ShapeKind::Map(_, value) => {
                let write = self.write_target(&value.target, quote!(s), quote!(v));
                let f = if shape.traits.sparse() {
                    quote!(write_sparse_map)
                } else {
                    quote!(write_map)
                };
                quote!(#rt::#f(ser, #s, #v, |ser, s, v| #write))
            }
            _ => quote!(ser.write_document(#s, #v)),
        }
    }
}

/// A member index as an unsuffixed literal (`0`, not `0usize`).
fn index(i: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(i)
}

/// Whether a structure is read from a response (outputs and errors), which decides the
/// protocol's body rule for its members.
fn is_response(shape: &Shape) -> bool {
    shape.traits.output() || shape.traits.error().is_some()
}

/// Whether a shape kind gets a schema static.
fn has_schema(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::List(_)
            | ShapeKind::Map(_, _)
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
    )
}

/// Items without the `impl FromJson` / `impl ToJson` blocks the default emitters generate.
fn strip_generated_codecs(tokens: TokenStream) -> TokenStream {
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        // Unparsable code is reported by the formatter, with its file name.
        return tokens;
    };
    file.items.retain(|item| !is_generated_codec(item));
    quote!(#file)
}

fn is_generated_codec(item: &syn::Item) -> bool {
    let syn::Item::Impl(block) = item else {
        return false;
    };
    let Some((_, path, _)) = &block.trait_ else {
        return false;
    };
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["smithy_runtime", "json", "FromJson" | "ToJson"]
    )
}
