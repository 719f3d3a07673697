//! Unions: one variant per member (a Unit member is a unit variant) plus `Unknown` for a member
//! the model did not list.

use super::docs::doc_attrs;
use super::structure::deprecated_attr;
use super::symbols::Symbols;
use crate::model::{Shape, ShapeKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// What a union is used for.
pub use super::structure::StructureUse as UnionUse;

/// The whole emission for a union.
pub fn emit_union(symbols: &Symbols, shape: &Shape, depth: usize, usage: UnionUse) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let docs = doc_attrs(shape.traits.documentation());
    let deprecated = deprecated_attr(shape);
    let variants = members.iter().map(|m| {
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        let docs = doc_attrs(m.traits.documentation());
        if m.target.is_unit() {
            quote!(#docs #variant,)
        } else {
            let ty = symbols.member_value_type(&shape.id, m, depth);
            quote!(#docs #variant(#ty),)
        }
    });
    let sensitive = shape.traits.sensitive() || members.iter().any(|m| symbols.is_sensitive(m));
    let derive_debug = if sensitive { quote!() } else { quote!(Debug,) };
    let debug = if sensitive {
        redacted_debug(&name)
    } else {
        quote!()
    };
    let query = symbols.protocol().query_style();
    let (read, write) = if let Some(style) = query {
        let read = super::xml_codec::emit_union_codec(symbols, shape, depth, usage.read, false);
        let write = if usage.write {
            super::query_codec::emit_union_to_query(symbols, style, shape, depth)
        } else {
            quote!()
        };
        (read, write)
    } else if symbols.wire() == super::protocol::Wire::Xml {
        let codec =
            super::xml_codec::emit_union_codec(symbols, shape, depth, usage.read, usage.write);
        (codec, quote!())
    } else {
        let read = if usage.read {
            emit_from_json(symbols, shape, depth)
        } else {
            quote!()
        };
        let write = if usage.write {
            emit_to_json(symbols, shape, depth)
        } else {
            quote!()
        };
        (read, write)
    };
    let mut events = quote!();
    if symbols.is_output_event_stream(&shape.id) {
        events.extend(super::event_stream::emit_decode_event(
            symbols, shape, depth,
        ));
    }
    if symbols.is_input_event_stream(&shape.id) {
        events.extend(super::event_stream::emit_encode_event(
            symbols, shape, depth,
        ));
    }
    quote! {
        #events
        #docs
        #deprecated
        #[derive(Clone, #derive_debug PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not list.
            Unknown,
        }
        #debug
        #read
        #write
    }
}

fn redacted_debug(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::smithy_runtime::primitives::REDACTED)
            }
        }
    }
}

fn emit_from_json(symbols: &Symbols, shape: &Shape, depth: usize) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let label = name.to_string();
    let wire = symbols.wire();
    let (codec, value_ty) = (wire.module(), wire.value_ty());
    let (from_trait, from_fn) = wire.from_trait();
    let arms = members.iter().map(|m| {
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        let key = symbols.json_name(m);
        if m.target.is_unit() {
            quote!(#key => Self::#variant,)
        } else {
            let reader = symbols.json_reader(&shape.id, m, depth);
            quote!(#key => Self::#variant(#codec::read(value, #reader)?),)
        }
    });
    let value_binding = if members.iter().all(|m| m.target.is_unit()) {
        quote!(_value)
    } else {
        quote!(value)
    };
    quote! {
        impl #from_trait for #name {
            fn #from_fn(value: #value_ty) -> #codec::Result<Self> {
                let object = #codec::object(value, #label)?;
                let ::std::option::Option::Some((key, #value_binding)) = #codec::union_member(object, #label)? else {
                    return ::std::result::Result::Ok(Self::Unknown);
                };
                ::std::result::Result::Ok(match key.as_str() {
                    #(#arms)*
                    _ => Self::Unknown,
                })
            }
        }
    }
}

fn emit_to_json(symbols: &Symbols, shape: &Shape, depth: usize) -> TokenStream {
    let ShapeKind::Union(members) = &shape.kind else {
        return quote!();
    };
    let name = ident(&symbols.type_name(&shape.id));
    let wire = symbols.wire();
    let (codec, value_ty) = (wire.module(), wire.value_ty());
    let (map_ty, map_variant) = (wire.map_ty(), wire.map_variant());
    let (to_trait, to_fn) = wire.to_trait();
    let arms = members.iter().map(|m| {
        let variant = ident(&symbols.variant_name(&shape.id, &m.name));
        let key = symbols.json_name(m);
        if m.target.is_unit() {
            quote!(Self::#variant => (#key, #map_variant(::std::default::Default::default())),)
        } else {
            let writer = symbols.json_writer(&shape.id, m, depth);
            quote!(Self::#variant(value) => (#key, #codec::ser::with(value, #writer)),)
        }
    });
    quote! {
        impl #to_trait for #name {
            fn #to_fn(&self) -> #value_ty {
                let (key, value) = match self {
                    #(#arms)*
                    Self::Unknown => return #map_variant(::std::default::Default::default()),
                };
                let mut object = #map_ty::new();
                object.insert(key.to_string(), value);
                #map_variant(object)
            }
        }
    }
}
