//! The request codec of a shape for the query protocols (`ToQuery`): awsQuery and ec2Query send
//! their input as form parameters, not as a document, so input shapes get this writer instead
//! of a body codec (responses are XML, read by `xml_codec.rs`). The two protocols differ only
//! in names, decided here at generation time:
//!
//! - awsQuery: a member's key is its `@xmlName`, else its name; lists are `Name.member.N` (the
//!   list member's `@xmlName` replaces `member`), or `Name.N` with `@xmlFlattened`; an empty list
//!   is sent as `Name=`.
//! - ec2Query: `@ec2QueryName`, else the capitalised `@xmlName`, else the capitalised member
//!   name; lists are always `Name.N` and an empty one is not sent.
//!
//! Maps are `Name.entry.N.key` / `Name.entry.N.value` (key and value names from their
//! `@xmlName`), or `Name.N.key` with `@xmlFlattened`. Timestamps default to `date-time`.
//!
//! Writers are `impl Fn(&mut QueryWriter, &str, &T)` expressions (the `&str` is the full key),
//! chosen by the member's target, as `xml_codec::writer` is for XML.

use super::protocol::QueryStyle;
use super::structure::Field;
use super::symbols::{Location, Symbols};
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Shape, ShapeKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The key of a member in a query request.
pub fn member_key(style: QueryStyle, member: &Member) -> String {
    let xml_name = member
        .traits
        .get("smithy.api#xmlName")
        .and_then(serde_json::Value::as_str);
    match style {
        QueryStyle::AwsQuery => xml_name.unwrap_or(&member.name).to_string(),
        QueryStyle::Ec2Query => {
            if let Some(name) = member
                .traits
                .get("aws.protocols#ec2QueryName")
                .and_then(serde_json::Value::as_str)
            {
                return name.to_string();
            }
            capitalize(xml_name.unwrap_or(&member.name))
        }
    }
}

/// The first character upper-cased (EC2's wire names are capitalised member names).
fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Collection { .. }` tokens for a list or map written by `member` (its `@xmlFlattened`
/// counts only when the collection is a structure member, not a list item or map value).
fn collection(style: QueryStyle, flattened_member: bool, item: &str) -> TokenStream {
    let (flattened, empty_as_key) = match style {
        QueryStyle::AwsQuery => (flattened_member, true),
        QueryStyle::Ec2Query => (true, false),
    };
    quote!(::smithy_runtime::query::Collection { flattened: #flattened, empty_as_key: #empty_as_key, item: #item })
}

fn xml_name_or<'m>(member: &'m Member, default: &'m str) -> &'m str {
    member
        .traits
        .get("smithy.api#xmlName")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(default)
}

/// A writer for a member of `container` (boxed where the member closes a cycle).
fn writer(
    symbols: &Symbols,
    style: QueryStyle,
    container: &crate::model::ShapeId,
    member: &Member,
    depth: usize,
) -> TokenStream {
    let flattened = member.traits.has("smithy.api#xmlFlattened");
    let write = target_writer(symbols, style, member, flattened, depth);
    if symbols.is_boxed(container, member) {
        let ty = symbols.member_value_type(container, member, depth);
        quote!(|w: &mut ::smithy_runtime::query::QueryWriter, k: &str, v: &#ty| ::smithy_runtime::query::ser::boxed(w, k, v.as_ref(), #write))
    } else {
        write
    }
}

fn target_writer(
    symbols: &Symbols,
    style: QueryStyle,
    member: &Member,
    flattened: bool,
    depth: usize,
) -> TokenStream {
    let shape = symbols.shape(&member.target);
    let s = quote!(::smithy_runtime::query::ser);
    let w = quote!(::smithy_runtime::query::QueryWriter);
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
            let write = item_writer(symbols, style, shape, item, depth);
            let names = collection(style, flattened, xml_name_or(item, "member"));
            let ty = symbols.rust_type(&member.target, depth);
            quote!(|w: &mut #w, k: &str, v: &#ty| #s::list(w, k, #names, v, #write))
        }
        ShapeKind::Map(key, value) => {
            let write = item_writer(symbols, style, shape, value, depth);
            let names = collection(style, flattened, "entry");
            let (key_name, value_name) = (xml_name_or(key, "key"), xml_name_or(value, "value"));
            let ty = symbols.rust_type(&member.target, depth);
            quote!(|w: &mut #w, k: &str, v: &#ty| #s::map(w, k, #names, (#key_name, #value_name), v, #write))
        }
        // Documents have no query form (the query protocols do not support them).
        _ => quote!(|_: &mut #w, _: &str, _: &::smithy_runtime::Document| {}),
    }
}

/// The writer of a list's items or a map's values: a `@sparse` collection's `None` items are
/// left out (the query protocols have no null), their numbers skipped.
fn item_writer(
    symbols: &Symbols,
    style: QueryStyle,
    collection: &Shape,
    item: &Member,
    depth: usize,
) -> TokenStream {
    let write = target_writer(symbols, style, item, false, depth);
    if !collection.traits.sparse() {
        return write;
    }
    let ty = symbols.rust_type(&item.target, depth);
    quote! {
        |w: &mut ::smithy_runtime::query::QueryWriter, k: &str, v: &::std::option::Option<#ty>| {
            if let ::std::option::Option::Some(v) = v { ::smithy_runtime::query::ser::with(w, k, v, #write) }
        }
    }
}

/// `ToQuery` of a structure: each set member under `prefix.<key>`.
pub fn emit_struct_to_query(
    symbols: &Symbols,
    style: QueryStyle,
    shape: &Shape,
    fields: &[Field],
    depth: usize,
) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let writes: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let field_name = &f.name;
            let key = member_key(style, f.member);
            let write = writer(symbols, style, &shape.id, f.member, depth);
            let call = quote!(::smithy_runtime::query::ser::with(writer, &::smithy_runtime::query::key(prefix, #key), value, #write));
            if f.optional {
                quote!(if let ::std::option::Option::Some(value) = &self.#field_name { #call; })
            } else {
                quote!({ let value = &self.#field_name; #call; })
            }
        })
        .collect();
    let (writer_arg, prefix_arg) = if writes.is_empty() {
        (quote!(_writer), quote!(_prefix))
    } else {
        (quote!(writer), quote!(prefix))
    };
    quote! {
        impl ::smithy_runtime::query::ToQuery for #name {
            fn to_query(&self, #writer_arg: &mut ::smithy_runtime::query::QueryWriter, #prefix_arg: &str) {
                #(#writes)*
            }
        }
    }
}

/// `ToQuery` of a union: the set member under `prefix.<key>` (a unit member as `key=`).
pub fn emit_union_to_query(
    symbols: &Symbols,
    style: QueryStyle,
    shape: &Shape,
    depth: usize,
) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let q = quote!(::smithy_runtime::query);
    let arms = members.iter().map(|m| {
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        let key = member_key(style, m);
        if m.target.is_unit() {
            quote!(Self::#variant => writer.push(&#q::key(prefix, #key), ""),)
        } else {
            let write = writer(symbols, style, &shape.id, m, depth);
            quote!(Self::#variant(value) => #q::ser::with(writer, &#q::key(prefix, #key), value, #write),)
        }
    });
    quote! {
        impl #q::ToQuery for #name {
            fn to_query(&self, writer: &mut #q::QueryWriter, prefix: &str) {
                match self {
                    #(#arms)*
                    Self::Unknown => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Traits;

    fn member(name: &str, traits: serde_json::Value) -> Member {
        Member {
            name: name.to_string(),
            target: crate::model::ShapeId::from_parts("smithy.api", "String"),
            traits: Traits(serde_json::from_value(traits).expect("a trait map")),
        }
    }

    #[test]
    fn ec2_prefers_its_query_name_then_capitalises() {
        let both = member(
            "queryAndXmlName",
            serde_json::json!({"aws.protocols#ec2QueryName": "QueryName", "smithy.api#xmlName": "xml"}),
        );
        let xml = member(
            "m",
            serde_json::json!({"smithy.api#xmlName": "usesXmlName"}),
        );
        let plain = member("stringArg", serde_json::json!({}));
        assert_eq!(member_key(QueryStyle::Ec2Query, &both), "QueryName");
        assert_eq!(member_key(QueryStyle::Ec2Query, &xml), "UsesXmlName");
        assert_eq!(member_key(QueryStyle::Ec2Query, &plain), "StringArg");
        assert_eq!(member_key(QueryStyle::AwsQuery, &both), "xml");
        assert_eq!(member_key(QueryStyle::AwsQuery, &plain), "stringArg");
    }
}
