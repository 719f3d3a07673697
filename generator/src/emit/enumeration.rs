//! Open enums: one variant per member plus `Unknown`, which keeps any value the model did not
//! list (services add values over time; a client must neither fail nor lose them).

use super::docs::{doc_attrs, doc_line};
use super::symbols::Symbols;
use crate::model::{Member, Shape, ShapeKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole emission for an `enum` (string) shape.
pub fn emit_enum(symbols: &Symbols, shape: &Shape) -> TokenStream {
    match &shape.kind {
        ShapeKind::Enum(members) => emit_string_enum(symbols, shape, members),
        ShapeKind::IntEnum(members) => emit_int_enum(symbols, shape, members),
        _ => quote!(),
    }
}

fn string_value(member: &Member) -> String {
    member
        .traits
        .enum_value()
        .and_then(|v| v.as_str())
        .unwrap_or(&member.name)
        .to_string()
}

/// An enum value for documentation: control characters escaped (`\t`), since a raw tab or
/// newline would break the doc line (clippy rejects tabs in doc comments).
fn printable(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The error type of `FromStr` as written in `from_str`: `Self::Err`, unless a variant is
/// named `Err` (then `Self::Err` is ambiguous and the type itself is written).
fn from_str_error(variants: &[proc_macro2::Ident], ty: TokenStream) -> TokenStream {
    if variants.iter().any(|v| v == "Err") {
        ty
    } else {
        quote!(Self::Err)
    }
}

fn emit_string_enum(symbols: &Symbols, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let docs = doc_attrs(shape.traits.documentation());
    let variants: Vec<proc_macro2::Ident> = members
        .iter()
        .map(|m| ident(&symbols.variant_name(&shape.id, &m.name)))
        .collect();
    let values: Vec<String> = members.iter().map(string_value).collect();
    let err = from_str_error(&variants, quote!(::std::convert::Infallible));
    let variant_docs = members.iter().map(|m| {
        let docs = doc_attrs(m.traits.documentation());
        if docs.is_empty() {
            doc_line(&format!("`{}`", printable(&string_value(m))))
        } else {
            docs
        }
    });
    let deprecated = members.iter().map(|m| {
        if m.traits.deprecated().is_some() {
            quote!(#[deprecated])
        } else {
            quote!()
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #deprecated #variants,)*
            /// A value this version of the model does not list; the raw value is kept.
            Unknown(::smithy_runtime::UnknownVariantValue),
        }
        #[allow(deprecated)]
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
            /// Every value the model lists.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }
        #[allow(deprecated)]
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(::smithy_runtime::UnknownVariantValue::new(other)),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, #err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn emit_int_enum(symbols: &Symbols, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let docs = doc_attrs(shape.traits.documentation());
    let variants: Vec<proc_macro2::Ident> = members
        .iter()
        .map(|m| ident(&symbols.variant_name(&shape.id, &m.name)))
        .collect();
    let err = from_str_error(&variants, quote!(::std::num::ParseIntError));
    let values: Vec<proc_macro2::Literal> = members
        .iter()
        .map(|m| {
            let v = m.traits.enum_value().and_then(|v| v.as_i64()).unwrap_or(0) as i32;
            proc_macro2::Literal::i32_unsuffixed(v)
        })
        .collect();
    let variant_docs = members.iter().map(|m| doc_attrs(m.traits.documentation()));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the model does not list; the raw value is kept.
            Unknown(i32),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => *value,
                }
            }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }
        impl ::std::convert::From<#name> for i32 {
            fn from(value: #name) -> Self {
                value.as_i32()
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;
            fn from_str(value: &str) -> ::std::result::Result<Self, #err> {
                value.trim().parse::<i32>().map(Self::from)
            }
        }
    }
}
