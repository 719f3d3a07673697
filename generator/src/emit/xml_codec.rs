//! The XML body codec of a shape (`FromXml` / `ToXml`), for the XML protocols (restXml). XML
//! needs its own emitter: a member may be an attribute (`@xmlAttribute`), a list or map may be
//! flattened into its parent (`@xmlFlattened`), names come from `@xmlName` (on members, list
//! members and map keys and values), and elements may declare namespaces (`@xmlNamespace`).
//! Timestamps default to `date-time`; blobs are base64.
//!
//! Readers are `impl Fn(XmlElement) -> xml::Result<T>` expressions and writers
//! `impl Fn(&mut XmlWriter, &Tag, &T)` expressions, chosen by the member's target, as
//! `Symbols::json_reader` / `json_writer` are for JSON.

use super::protocol::rest_json::text_expr;
use super::structure::Field;
use super::symbols::{Location, Symbols};
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Shape, ShapeKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

const XML: &str = "smithy.api#xmlName";

/// The element (or attribute) name of a member: `@xmlName`, else the member name.
pub fn member_name(member: &Member) -> &str {
    member_name_or(member, &member.name)
}

/// The element name of a structure written as a document root: its `@xmlName`, else its name
/// (for a synthetic input or output, the original shape's).
pub fn root_name(shape: &Shape) -> String {
    if let Some(name) = shape.traits.get(XML).and_then(serde_json::Value::as_str) {
        return name.to_string();
    }
    shape
        .traits
        .get("smithy.synthetic#originalId")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| id.rsplit_once('#').map(|(_, name)| name.to_string()))
        .unwrap_or_else(|| shape.id.name().to_string())
}

fn is_attribute(member: &Member) -> bool {
    member.traits.has("smithy.api#xmlAttribute")
}

fn is_flattened(member: &Member) -> bool {
    member.traits.has("smithy.api#xmlFlattened")
}

/// `Tag` tokens for an element named `name` with the namespace of `traits`, if any.
pub fn tag(name: &str, traits: &crate::model::Traits) -> TokenStream {
    match traits.get("smithy.api#xmlNamespace") {
        Some(ns) => {
            let uri = ns
                .get("uri")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let attribute = match ns.get("prefix").and_then(serde_json::Value::as_str) {
                Some(prefix) => format!("xmlns:{prefix}"),
                None => "xmlns".to_string(),
            };
            quote!(::smithy_runtime::xml::Tag::with_namespace(#name, #attribute, #uri))
        }
        None => quote!(::smithy_runtime::xml::Tag::new(#name)),
    }
}

/// The tag of a member element: its name and its own namespace (a structure's `@xmlNamespace`
/// counts only where it is a document's root).
fn member_tag(member: &Member) -> TokenStream {
    member_tag_or(member, &member.name)
}

/// The list's item member, or the map's key and value members.
fn collection_members<'a>(
    symbols: &Symbols<'a>,
    member: &Member,
) -> Option<(&'a Member, Option<&'a Member>)> {
    match &symbols.shape(&member.target).kind {
        ShapeKind::List(item) => Some((item, None)),
        ShapeKind::Map(key, value) => Some((key, Some(value))),
        _ => None,
    }
}

/// `MapNames { key, value }` of a map member.
fn map_names(key: &Member, value: &Member) -> TokenStream {
    let (key, value) = (member_name_or(key, "key"), member_name_or(value, "value"));
    quote!(::smithy_runtime::xml::MapNames { key: #key, value: #value })
}

fn member_name_or<'m>(member: &'m Member, default: &'m str) -> &'m str {
    member
        .traits
        .get(XML)
        .and_then(serde_json::Value::as_str)
        .unwrap_or(default)
}

/// An element reader for a member's target (a list or map read as a wrapped collection).
pub fn reader(
    symbols: &Symbols,
    container: &crate::model::ShapeId,
    member: &Member,
    depth: usize,
) -> TokenStream {
    let read = target_reader(symbols, member, depth);
    if symbols.is_boxed(container, member) {
        quote!(|e: ::smithy_runtime::xml::XmlElement| ::smithy_runtime::xml::boxed(e, #read))
    } else {
        read
    }
}

fn target_reader(symbols: &Symbols, member: &Member, depth: usize) -> TokenStream {
    let shape = symbols.shape(&member.target);
    let x = quote!(::smithy_runtime::xml);
    match &shape.kind {
        ShapeKind::Blob => quote!(#x::blob),
        ShapeKind::Boolean => quote!(#x::boolean),
        ShapeKind::String => quote!(#x::string),
        ShapeKind::Byte => quote!(#x::byte),
        ShapeKind::Short => quote!(#x::short),
        ShapeKind::Integer => quote!(#x::int),
        ShapeKind::Long => quote!(#x::long),
        ShapeKind::Float => quote!(#x::float),
        ShapeKind::Double => quote!(#x::double),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#x::big_number),
        ShapeKind::Timestamp => match symbols.timestamp_format(member, Location::Xml) {
            TimestampFormat::EpochSeconds => quote!(#x::epoch_seconds),
            TimestampFormat::DateTime => quote!(#x::date_time),
            TimestampFormat::HttpDate => quote!(#x::http_date),
        },
        ShapeKind::Enum(_) => {
            let ty = symbols.rust_type(&member.target, depth);
            quote!(#x::enumeration::<#ty>)
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.rust_type(&member.target, depth);
            quote!(#x::int_enumeration::<#ty>)
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let ty = symbols.rust_type(&member.target, depth);
            quote!(#x::shape::<#ty>)
        }
        ShapeKind::List(item) => {
            let read = item_reader(symbols, shape, item, depth);
            let name = member_name_or(item, "member");
            quote!(|e: #x::XmlElement| #x::list(e, #name, #read))
        }
        ShapeKind::Map(key, value) => {
            let read = item_reader(symbols, shape, value, depth);
            let names = map_names(key, value);
            let f = if matches!(symbols.shape(&key.target).kind, ShapeKind::Enum(_)) {
                quote!(enum_map)
            } else {
                quote!(map)
            };
            quote!(|e: #x::XmlElement| #x::#f(e, #names, #read))
        }
        // Documents have no XML form (the XML protocols do not support them).
        _ => {
            quote!(|_: #x::XmlElement| ::std::result::Result::Err(#x::XmlError::new("documents are not supported in XML")))
        }
    }
}

/// The reader of a list's items or a map's values: `Some` of each for a `@sparse` collection
/// (XML has no null, so a sparse collection read back has no `None`).
fn item_reader(symbols: &Symbols, collection: &Shape, item: &Member, depth: usize) -> TokenStream {
    let read = target_reader(symbols, item, depth);
    if collection.traits.sparse() {
        quote!(|e: ::smithy_runtime::xml::XmlElement| ::smithy_runtime::xml::read(e, #read).map(::std::option::Option::Some))
    } else {
        read
    }
}

/// The writer of a list's items or a map's values: a `@sparse` collection's `None` items are
/// left out (XML has no null).
fn item_writer(symbols: &Symbols, collection: &Shape, item: &Member, depth: usize) -> TokenStream {
    let write = target_writer(symbols, item, depth);
    if !collection.traits.sparse() {
        return write;
    }
    let ty = symbols.rust_type(&item.target, depth);
    quote! {
        |w: &mut ::smithy_runtime::xml::XmlWriter, t: &::smithy_runtime::xml::Tag, v: &::std::option::Option<#ty>| {
            if let ::std::option::Option::Some(v) = v { ::smithy_runtime::xml::ser::with(w, t, v, #write) }
        }
    }
}

/// A writer for a member's target (lists and maps wrapped).
pub fn writer(
    symbols: &Symbols,
    container: &crate::model::ShapeId,
    member: &Member,
    depth: usize,
) -> TokenStream {
    let write = target_writer(symbols, member, depth);
    if symbols.is_boxed(container, member) {
        let ty = symbols.member_value_type(container, member, depth);
        quote!(|w: &mut ::smithy_runtime::xml::XmlWriter, t: &::smithy_runtime::xml::Tag, v: &#ty| ::smithy_runtime::xml::ser::boxed(w, t, v.as_ref(), #write))
    } else {
        write
    }
}

fn target_writer(symbols: &Symbols, member: &Member, depth: usize) -> TokenStream {
    let shape = symbols.shape(&member.target);
    let s = quote!(::smithy_runtime::xml::ser);
    let (w, t) = (
        quote!(::smithy_runtime::xml::XmlWriter),
        quote!(::smithy_runtime::xml::Tag),
    );
    match &shape.kind {
        ShapeKind::Blob => quote!(#s::blob),
        ShapeKind::Boolean => quote!(#s::boolean),
        ShapeKind::String => quote!(#s::string),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
            quote!(#s::integer)
        }
        ShapeKind::Float => quote!(#s::float),
        ShapeKind::Double => quote!(#s::double),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#s::big_number),
        ShapeKind::Timestamp => match symbols.timestamp_format(member, Location::Xml) {
            TimestampFormat::EpochSeconds => quote!(#s::epoch_seconds),
            TimestampFormat::DateTime => quote!(#s::date_time),
            TimestampFormat::HttpDate => quote!(#s::http_date),
        },
        ShapeKind::Enum(_) => quote!(#s::enumeration),
        ShapeKind::IntEnum(_) => quote!(#s::int_enumeration),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(#s::shape),
        ShapeKind::List(item) => {
            let write = item_writer(symbols, shape, item, depth);
            let item_tag = member_tag_or(item, "member");
            let ty = symbols.rust_type(&member.target, depth);
            quote!(|w: &mut #w, t: &#t, v: &#ty| #s::list(w, t, &#item_tag, v, #write))
        }
        ShapeKind::Map(key, value) => {
            let write = item_writer(symbols, shape, value, depth);
            let (key_tag, value_tag) = (member_tag_or(key, "key"), member_tag_or(value, "value"));
            let ty = symbols.rust_type(&member.target, depth);
            quote!(|w: &mut #w, t: &#t, v: &#ty| #s::map(w, t, &#key_tag, &#value_tag, v, #write))
        }
        _ => quote!(|_: &mut #w, _: &#t, _: &::smithy_runtime::Document| {}),
    }
}

fn member_tag_or(member: &Member, default: &str) -> TokenStream {
    tag(member_name_or(member, default), &member.traits)
}

/// `FromXml` of a structure: body members read by element (or attribute) name; members bound
/// elsewhere start at their default for the response parser to set; a missing non-optional
/// member gets its `@default`, else its zero value, as in the JSON codec.
pub fn emit_struct_from_xml(
    symbols: &Symbols,
    shape: &Shape,
    fields: &[Field],
    depth: usize,
    in_body: &dyn Fn(&Member) -> bool,
) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let reads = fields.iter().map(|f| {
        let field_name = &f.name;
        if !in_body(f.member) {
            let target = &symbols.shape(&f.member.target).kind;
            if !f.optional && matches!(target, ShapeKind::Enum(_) | ShapeKind::IntEnum(_)) {
                let fallback = super::defaults::fallback_expr(symbols, f.member, depth);
                return quote!(#field_name: #fallback,);
            }
            return quote!(#field_name: ::std::default::Default::default(),);
        }
        let read = member_read(symbols, shape, f.member, depth);
        if f.optional {
            quote!(#field_name: #read,)
        } else {
            let fallback = super::defaults::fallback_expr(symbols, f.member, depth);
            super::defaults::unwrap_or(read, &fallback, field_name)
        }
    });
    let extra = if shape.traits.error().is_some() {
        quote!(meta: ::std::default::Default::default(),)
    } else {
        quote!()
    };
    // Element members are taken out of `element`; attributes are only read.
    let binding = if fields
        .iter()
        .any(|f| in_body(f.member) && !is_attribute(f.member))
    {
        quote!(mut element)
    } else if fields.iter().any(|f| in_body(f.member)) {
        quote!(element)
    } else {
        quote!(_element)
    };
    quote! {
        impl ::smithy_runtime::xml::FromXml for #name {
            fn from_xml(#binding: ::smithy_runtime::xml::XmlElement) -> ::smithy_runtime::xml::Result<Self> {
                ::std::result::Result::Ok(Self { #(#reads)* #extra })
            }
        }
    }
}

/// The `Option<T>` expression reading one body member out of `element`.
fn member_read(symbols: &Symbols, shape: &Shape, member: &Member, depth: usize) -> TokenStream {
    let x = quote!(::smithy_runtime::xml);
    let name = member_name(member);
    if is_attribute(member) {
        let read = reader(symbols, &shape.id, member, depth);
        return quote!(#x::attribute(&element, #name, #read)?);
    }
    if is_flattened(member) {
        let collection = symbols.shape(&member.target);
        match collection_members(symbols, member) {
            Some((item, None)) => {
                let read = item_reader(symbols, collection, item, depth);
                return quote!(#x::flat_list(&mut element, #name, #read)?);
            }
            Some((key, Some(value))) => {
                let read = item_reader(symbols, collection, value, depth);
                let names = map_names(key, value);
                let f = if matches!(symbols.shape(&key.target).kind, ShapeKind::Enum(_)) {
                    quote!(flat_enum_map)
                } else {
                    quote!(flat_map)
                };
                return quote!(#x::#f(&mut element, #name, #names, #read)?);
            }
            None => {}
        }
    }
    let read = reader(symbols, &shape.id, member, depth);
    quote!(#x::field(&mut element, #name, #read)?)
}

/// `ToXml` of a structure: the element with its attributes, then each set body member.
pub fn emit_struct_to_xml(
    symbols: &Symbols,
    shape: &Shape,
    fields: &[Field],
    depth: usize,
    in_body: &dyn Fn(&Member) -> bool,
) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let body: Vec<&Field> = fields.iter().filter(|f| in_body(f.member)).collect();
    let attributes = body.iter().filter(|f| is_attribute(f.member)).map(|f| {
        let field_name = &f.name;
        let attribute = member_name(f.member);
        let text = text_expr(symbols, f.member, quote!(value), Location::Xml);
        // Bound first: `&value.to_string()` in the call is what clippy's
        // `unnecessary_to_owned` rejects.
        if f.optional {
            quote!(if let ::std::option::Option::Some(value) = &self.#field_name { let text: ::std::string::String = #text; writer.attribute(#attribute, &text); })
        } else {
            quote!({ let value = &self.#field_name; let text: ::std::string::String = #text; writer.attribute(#attribute, &text); })
        }
    });
    let elements = body
        .iter()
        .filter(|f| !is_attribute(f.member))
        .map(|f| member_write(symbols, shape, f, depth));
    quote! {
        impl ::smithy_runtime::xml::ToXml for #name {
            fn to_xml(&self, writer: &mut ::smithy_runtime::xml::XmlWriter, tag: &::smithy_runtime::xml::Tag) {
                writer.start(tag);
                #(#attributes)*
                #(#elements)*
                writer.end(tag);
            }
        }
    }
}

/// Writes one element member (a flattened collection as repeated elements).
fn member_write(symbols: &Symbols, shape: &Shape, field: &Field, depth: usize) -> TokenStream {
    let s = quote!(::smithy_runtime::xml::ser);
    let field_name = &field.name;
    let member = field.member;
    let member_tag = member_tag(member);
    let collection = symbols.shape(&member.target);
    let write = match (is_flattened(member), collection_members(symbols, member)) {
        (true, Some((item, None))) => {
            let write = item_writer(symbols, collection, item, depth);
            let item_tag = flattened_tag(member, item);
            quote!(#s::flat_list(writer, &#item_tag, value, #write))
        }
        (true, Some((key, Some(value)))) => {
            let write = item_writer(symbols, collection, value, depth);
            let (key_tag, value_tag) = (member_tag_or(key, "key"), member_tag_or(value, "value"));
            quote!(#s::flat_map(writer, &#member_tag, &#key_tag, &#value_tag, value, #write))
        }
        _ => {
            let write = writer(symbols, &shape.id, member, depth);
            quote!(#s::with(writer, &#member_tag, value, #write))
        }
    };
    if field.optional {
        quote!(if let ::std::option::Option::Some(value) = &self.#field_name { #write; })
    } else {
        quote!({ let value = &self.#field_name; #write; })
    }
}

/// The tag of each item of a flattened list: the member's name, with the item's namespace,
/// else the member's.
fn flattened_tag(member: &Member, item: &Member) -> TokenStream {
    if item.traits.has("smithy.api#xmlNamespace") {
        return tag(member_name(member), &item.traits);
    }
    member_tag(member)
}

/// `FromXml` and `ToXml` of a union: exactly one member element inside.
pub fn emit_union_codec(
    symbols: &Symbols,
    shape: &Shape,
    depth: usize,
    read: bool,
    write: bool,
) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let label = name.to_string();
    let x = quote!(::smithy_runtime::xml);
    let from = read.then(|| {
        let arms = members.iter().map(|m| {
            let variant = ident(&symbols.variant_name(&shape.id, &m.name));
            let key = member_name(m);
            if m.target.is_unit() {
                quote!(#key => Self::#variant,)
            } else {
                let read = reader(symbols, &shape.id, m, depth);
                quote!(#key => Self::#variant(#x::read(member, #read)?),)
            }
        });
        quote! {
            impl #x::FromXml for #name {
                fn from_xml(element: #x::XmlElement) -> #x::Result<Self> {
                    let ::std::option::Option::Some(member) = #x::union_member(element, #label)? else {
                        return ::std::result::Result::Ok(Self::Unknown);
                    };
                    ::std::result::Result::Ok(match member.local_name().to_string().as_str() {
                        #(#arms)*
                        _ => Self::Unknown,
                    })
                }
            }
        }
    });
    let to = write.then(|| {
        let arms = members.iter().map(|m| {
            let variant = ident(&symbols.variant_name(&shape.id, &m.name));
            let member_tag = member_tag(m);
            if m.target.is_unit() {
                quote!(Self::#variant => { writer.start(&#member_tag); writer.end(&#member_tag); })
            } else {
                let write = writer(symbols, &shape.id, m, depth);
                quote!(Self::#variant(value) => #x::ser::with(writer, &#member_tag, value, #write),)
            }
        });
        quote! {
            impl #x::ToXml for #name {
                fn to_xml(&self, writer: &mut #x::XmlWriter, tag: &#x::Tag) {
                    writer.start(tag);
                    match self {
                        #(#arms)*
                        Self::Unknown => {}
                    }
                    writer.end(tag);
                }
            }
        }
    });
    quote!(#from #to)
}
