//! Structures: the type, its accessors, a redacting `Debug` where needed, its builder, and its
//! JSON reader/writer.

use super::docs::{doc_attrs, doc_line};
use super::symbols::Symbols;
use crate::model::{Member, Shape, ShapeKind};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What a structure is used for; decides which extras it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructureUse {
    /// Read from responses (needs `FromJson`).
    pub read: bool,
    /// Written into requests (needs `ToJson`).
    pub write: bool,
}

/// One member with everything the emitters need about it.
pub struct Field<'a> {
    /// The model member.
    pub member: &'a Member,
    /// Rust field name (escaped).
    pub name: proc_macro2::Ident,
    /// Field type including `Option`.
    pub ty: TokenStream,
    /// Field type without `Option`.
    pub value_ty: TokenStream,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// The fields of a structure, in model order.
pub fn fields<'a>(symbols: &Symbols<'a>, shape: &'a Shape, depth: usize) -> Vec<Field<'a>> {
    let ShapeKind::Structure(members) = &shape.kind else {
        return Vec::new();
    };
    members
        .iter()
        .map(|member| Field {
            member,
            name: ident(&symbols.field_name(&shape.id, &member.name)),
            ty: symbols.member_type(shape, member, depth),
            value_ty: symbols.member_value_type(&shape.id, member, depth),
            optional: symbols.is_optional(shape, member),
        })
        .collect()
}

/// The whole emission for a structure. `extra_fields` are added after the modelled members
/// (error structures carry their response metadata there).
pub fn emit_structure(
    symbols: &Symbols,
    shape: &Shape,
    depth: usize,
    usage: StructureUse,
    extra_fields: &TokenStream,
) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let fields = fields(symbols, shape, depth);
    let docs = doc_attrs(shape.traits.documentation());
    let deprecated = deprecated_attr(shape);
    let definitions = fields.iter().map(field_definition);
    let derive_debug = if needs_custom_debug(symbols, shape) {
        quote!()
    } else {
        quote!(Debug,)
    };
    let accessors = fields.iter().map(accessor);
    let debug = custom_debug(symbols, shape, &fields, &name);
    let builder = emit_builder(symbols, shape, &fields, depth);
    let xml = symbols.wire() == super::protocol::Wire::Xml;
    let read = match (usage.read, xml) {
        (false, _) => quote!(),
        (true, false) => emit_from_json(symbols, shape, &fields, depth),
        (true, true) => {
            let in_body = |m: &crate::model::Member| is_read_body_member(symbols, shape, m);
            super::xml_codec::emit_struct_from_xml(symbols, shape, &fields, depth, &in_body)
        }
    };
    let query = symbols.protocol().query_style();
    let write = match (usage.write, query, xml) {
        (false, _, _) => quote!(),
        (true, Some(style), _) => {
            super::query_codec::emit_struct_to_query(symbols, style, shape, &fields, depth)
        }
        (true, None, false) => emit_to_json(symbols, shape, &fields, depth),
        (true, None, true) => {
            let in_body = |m: &crate::model::Member| {
                symbols.protocol().is_request_body_member(m)
                    && !symbols.is_input_event_stream(&m.target)
            };
            super::xml_codec::emit_struct_to_xml(symbols, shape, &fields, depth, &in_body)
        }
    };
    let builder_name = format_ident!("{}Builder", name);
    let builder_doc = format!(" A builder for [`{name}`](struct@{name}).");
    quote! {
        #docs
        #deprecated
        #[derive(Clone, #derive_debug PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#definitions)*
            #extra_fields
        }
        impl #name {
            #(#accessors)*
            #[doc = #builder_doc]
            pub fn builder() -> #builder_name {
                #builder_name::default()
            }
        }
        #debug
        #builder
        #read
        #write
    }
}

/// `#[deprecated]` for a shape carrying `@deprecated`.
pub fn deprecated_attr(shape: &Shape) -> TokenStream {
    deprecated_tokens(&shape.traits)
}

/// `#[deprecated(note)]` for traits carrying `@deprecated` (shapes and members). Smithy's
/// `since` is free text (AWS models give dates), while Rust's `since` is meant for versions
/// (clippy's `deprecated_semver` denies anything else), so it goes into the note.
pub fn deprecated_tokens(traits: &crate::model::Traits) -> TokenStream {
    match traits.deprecated() {
        Some((Some(message), Some(since))) => {
            let note = format!("{message} (deprecated since {since})");
            quote!(#[deprecated(note = #note)])
        }
        Some((Some(message), None)) => quote!(#[deprecated(note = #message)]),
        Some((None, Some(since))) => {
            let note = format!("deprecated since {since}");
            quote!(#[deprecated(note = #note)])
        }
        Some((None, None)) => quote!(#[deprecated]),
        None => quote!(),
    }
}

fn field_definition(field: &Field) -> TokenStream {
    let docs = doc_attrs(field.member.traits.documentation());
    let deprecated = deprecated_tokens(&field.member.traits);
    let name = &field.name;
    let ty = &field.ty;
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

/// `Copy` Rust types are returned by value from accessors.
fn is_copy(ty: &TokenStream) -> bool {
    let text = ty.to_string();
    matches!(
        text.as_str(),
        "bool" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64"
    )
}

/// The std trait method names clippy's `should_implement_trait` looks for (ECS and Security
/// Hub have a member named `add`).
const STD_TRAIT_METHODS: [&str; 30] = [
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Lint allowances for a method named after a model member or operation. Clippy reads some
/// names as conventions (`as_`, `to_`, `into_`, `from_`, `is_` say how `self` is taken;
/// `clone`, `as_ref`, `borrow`, `deref` are std trait methods, `new` returns `Self`); a model's names are not bound
/// by them, and renaming the method would lose the AWS SDK for Rust spelling.
pub fn method_allows(name: &proc_macro2::Ident) -> TokenStream {
    let text = name.to_string();
    let text = naming::unraw(&text);
    let convention = ["as_", "to_", "into_", "from_", "is_"]
        .iter()
        .any(|prefix| text.starts_with(prefix));
    let trait_method = STD_TRAIT_METHODS.contains(&text);
    if convention {
        quote!(#[allow(clippy::wrong_self_convention)])
    } else if trait_method {
        quote!(#[allow(clippy::should_implement_trait)])
    } else if text == "new" {
        // An operation named `New`: `Client::new(&self)` returns its fluent builder.
        quote!(#[allow(clippy::new_ret_no_self, clippy::wrong_self_convention)])
    } else {
        quote!()
    }
}

fn accessor(field: &Field) -> TokenStream {
    let name = &field.name;
    let value_ty = &field.value_ty;
    let docs = doc_attrs(field.member.traits.documentation());
    let deprecated = deprecated_tokens(&field.member.traits);
    let allows = method_allows(name);
    let docs = quote!(#docs #deprecated #allows);
    let text = value_ty.to_string();
    let is_string = text == ":: std :: string :: String";
    let is_vec = text.starts_with(":: std :: vec :: Vec <");
    match (field.optional, is_copy(value_ty), is_string, is_vec) {
        (true, true, _, _) => {
            quote!(#docs pub fn #name(&self) -> ::std::option::Option<#value_ty> { self.#name })
        }
        (true, _, true, _) => {
            quote!(#docs pub fn #name(&self) -> ::std::option::Option<&str> { self.#name.as_deref() })
        }
        (true, _, _, true) => {
            let item = vec_item(value_ty);
            quote!(#docs pub fn #name(&self) -> &[#item] { self.#name.as_deref().unwrap_or_default() })
        }
        (true, _, _, _) => {
            quote!(#docs pub fn #name(&self) -> ::std::option::Option<&#value_ty> { self.#name.as_ref() })
        }
        (false, true, _, _) => quote!(#docs pub fn #name(&self) -> #value_ty { self.#name }),
        (false, _, true, _) => quote!(#docs pub fn #name(&self) -> &str { &self.#name }),
        (false, _, _, _) => quote!(#docs pub fn #name(&self) -> &#value_ty { &self.#name }),
    }
}

/// The element type of a `::std::vec::Vec<T>` token stream.
fn vec_item(vec_ty: &TokenStream) -> TokenStream {
    let parsed: syn::Type =
        syn::parse2(vec_ty.clone()).unwrap_or_else(|_| unreachable!("generated type parses"));
    if let syn::Type::Path(path) = parsed {
        if let Some(last) = path.path.segments.last() {
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                if let Some(syn::GenericArgument::Type(item)) = args.args.first() {
                    return quote!(#item);
                }
            }
        }
    }
    unreachable!("a Vec type has one type argument")
}

fn needs_custom_debug(symbols: &Symbols, shape: &Shape) -> bool {
    shape.traits.sensitive() || shape.kind.members().iter().any(|m| symbols.is_sensitive(m))
}

fn custom_debug(
    symbols: &Symbols,
    shape: &Shape,
    fields: &[Field],
    name: &proc_macro2::Ident,
) -> TokenStream {
    if !needs_custom_debug(symbols, shape) {
        return quote!();
    }
    let name_text = name.to_string();
    let entries = fields.iter().map(|field| {
        let field_name = &field.name;
        let label = naming::unraw(&field_name.to_string()).to_string();
        if shape.traits.sensitive() || symbols.is_sensitive(field.member) {
            quote!(.field(#label, &::smithy_runtime::primitives::Redacted))
        } else {
            quote!(.field(#label, &self.#field_name))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_text) #(#entries)* .finish_non_exhaustive()
            }
        }
    }
}

/// The builder: optional fields, fluent setters, `set_`/`get_` pairs and `build()`.
fn emit_builder(symbols: &Symbols, shape: &Shape, fields: &[Field], depth: usize) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let builder = format_ident!("{}Builder", name);
    let slots = fields.iter().map(|f| {
        let (n, t) = (&f.name, &f.value_ty);
        quote!(pub(crate) #n: ::std::option::Option<#t>,)
    });
    let setters = fields.iter().map(|f| builder_setters(symbols, f, depth));
    let build = emit_build(symbols, shape, fields, &name, depth);
    let doc = format!(" A builder for [`{name}`](struct@{name}).");
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #builder {
            #(#slots)*
        }
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

fn builder_setters(symbols: &Symbols, field: &Field, depth: usize) -> TokenStream {
    let name = &field.name;
    let raw = naming::unraw(&name.to_string()).to_string();
    let set = format_ident!("set_{}", raw);
    let get = format_ident!("get_{}", raw);
    let ty = &field.value_ty;
    let fluent = fluent_setter(symbols, field, depth);
    let set_doc = format!(" Sets or clears `{raw}`.");
    let get_doc = format!(" The value of `{raw}` set so far.");
    quote! {
        #fluent
        #[doc = #set_doc]
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.#name = input;
            self
        }
        #[doc = #get_doc]
        pub fn #get(&self) -> &::std::option::Option<#ty> {
            &self.#name
        }
    }
}

/// `name(value)`; for lists `name(item)` appends, for maps `name(key, value)` inserts
/// (the AWS SDK for Rust's builder style).
fn fluent_setter(symbols: &Symbols, field: &Field, depth: usize) -> TokenStream {
    let name = &field.name;
    let ty = &field.value_ty;
    let docs = doc_attrs(field.member.traits.documentation());
    let allows = method_allows(name);
    let docs = quote!(#docs #allows);
    let target = symbols.shape(&field.member.target);
    match &target.kind {
        ShapeKind::List(item) => {
            let item_ty = element_type(symbols, target, item, depth);
            quote! {
                #docs
                pub fn #name(mut self, item: impl ::std::convert::Into<#item_ty>) -> Self {
                    self.#name.get_or_insert_with(::std::vec::Vec::new).push(item.into());
                    self
                }
            }
        }
        ShapeKind::Map(key, value) => {
            let key_ty = symbols.rust_type(&key.target, depth);
            let value_ty = element_type(symbols, target, value, depth);
            quote! {
                #docs
                pub fn #name(mut self, key: impl ::std::convert::Into<#key_ty>, value: impl ::std::convert::Into<#value_ty>) -> Self {
                    self.#name.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                    self
                }
            }
        }
        _ => quote! {
            #docs
            pub fn #name(mut self, input: impl ::std::convert::Into<#ty>) -> Self {
                self.#name = ::std::option::Option::Some(input.into());
                self
            }
        },
    }
}

fn element_type(
    symbols: &Symbols,
    collection: &Shape,
    member: &Member,
    depth: usize,
) -> TokenStream {
    let ty = symbols.rust_type(&member.target, depth);
    if collection.traits.sparse() {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

/// `build()`: inputs check every `@required` member; other shapes fail only on a missing
/// non-optional member without a default. Shapes that cannot fail return `Self` directly.
fn emit_build(
    symbols: &Symbols,
    shape: &Shape,
    fields: &[Field],
    name: &proc_macro2::Ident,
    depth: usize,
) -> TokenStream {
    let is_input = shape.traits.input();
    let mut fallible = false;
    let inits: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let field_name = &f.name;
            let label = &f.member.name;
            let required = quote!(::smithy_runtime::BuildError::require(self.#field_name, #label)?);
            if f.optional {
                if is_input && f.member.traits.required() {
                    fallible = true;
                    return quote!(#field_name: ::std::option::Option::Some(#required),);
                }
                return quote!(#field_name: self.#field_name,);
            }
            match symbols.default_value(f.member) {
                Some(value) => {
                    let default = super::defaults::default_expr(symbols, f.member, &value, depth);
                    super::defaults::unwrap_or(quote!(self.#field_name), &default, field_name)
                }
                None => {
                    fallible = true;
                    quote!(#field_name: #required,)
                }
            }
        })
        .collect();
    let extra = if shape.traits.error().is_some() {
        quote!(meta: ::std::default::Default::default(),)
    } else {
        quote!()
    };
    let doc = doc_line(&format!("Builds the [`{name}`](struct@{name})."));
    if fallible || is_input {
        quote! {
            #doc
            pub fn build(self) -> ::std::result::Result<#name, ::smithy_runtime::BuildError> {
                ::std::result::Result::Ok(#name { #(#inits)* #extra })
            }
        }
    } else {
        quote! {
            #doc
            pub fn build(self) -> #name {
                #name { #(#inits)* #extra }
            }
        }
    }
}

/// `FromJson`: optional members read as `Option`; a missing non-optional member gets its
/// `@default`, else its zero value (Smithy client error correction), so a service that omits
/// a required member never makes the whole response unreadable.
/// Whether a member is read from the body of what `shape` is read from: a response (output or
/// error) binds members differently from a request.
fn is_read_body_member(symbols: &Symbols, shape: &Shape, member: &crate::model::Member) -> bool {
    // An event stream is the body itself (or follows the initial-response event), never a
    // member of a document.
    if symbols.is_output_event_stream(&member.target) {
        return false;
    }
    if shape.traits.output() || shape.traits.error().is_some() {
        symbols.protocol().is_response_body_member(member)
    } else {
        symbols.protocol().is_request_body_member(member)
    }
}

fn emit_from_json(symbols: &Symbols, shape: &Shape, fields: &[Field], depth: usize) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let label = name.to_string();
    let wire = symbols.wire();
    let (codec, value) = (wire.module(), wire.value_ty());
    let (from_trait, from_fn) = wire.from_trait();
    let body_fields: Vec<&Field> = fields
        .iter()
        .filter(|f| is_read_body_member(symbols, shape, f.member))
        .collect();
    let reads = fields.iter().map(|f| {
        let field_name = &f.name;
        if !body_fields.iter().any(|b| b.name == f.name) {
            // Bound to a header, label or status code: the response parser sets it next. An
            // enum has no `Default`, so a non-optional one starts at its default (or zero)
            // value instead.
            let target = &symbols.shape(&f.member.target).kind;
            if !f.optional && matches!(target, ShapeKind::Enum(_) | ShapeKind::IntEnum(_)) {
                let fallback = super::defaults::fallback_expr(symbols, f.member, depth);
                return quote!(#field_name: #fallback,);
            }
            return quote!(#field_name: ::std::default::Default::default(),);
        }
        let key = symbols.json_name(f.member);
        let reader = symbols.json_reader(&shape.id, f.member, depth);
        let read = quote!(#codec::field(&mut object, #key, #reader)?);
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
    let object_binding = if body_fields.is_empty() {
        quote!(_object)
    } else {
        quote!(mut object)
    };
    quote! {
        impl #from_trait for #name {
            fn #from_fn(value: #value) -> #codec::Result<Self> {
                let #object_binding = #codec::object(value, #label)?;
                ::std::result::Result::Ok(Self { #(#reads)* #extra })
            }
        }
    }
}

/// `ToJson`: set members only (no JSON `null`), keyed by `@jsonName` or the member name.
fn emit_to_json(symbols: &Symbols, shape: &Shape, fields: &[Field], depth: usize) -> TokenStream {
    let name = ident(&symbols.type_name(&shape.id));
    let wire = symbols.wire();
    let (codec, value_ty) = (wire.module(), wire.value_ty());
    let (map_ty, map_variant) = (wire.map_ty(), wire.map_variant());
    let (to_trait, to_fn) = wire.to_trait();
    let writes: Vec<TokenStream> = fields
        .iter()
        .filter(|f| symbols.protocol().is_request_body_member(f.member))
        // An input event stream is the body itself, never a member of a document.
        .filter(|f| !symbols.is_input_event_stream(&f.member.target))
        .map(|f| {
            let field_name = &f.name;
            let key = symbols.json_name(f.member);
            let writer = symbols.json_writer(&shape.id, f.member, depth);
            if f.optional {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#field_name {
                        object.insert(#key.to_string(), #codec::ser::with(value, #writer));
                    }
                }
            } else {
                quote!(object.insert(#key.to_string(), #codec::ser::with(&self.#field_name, #writer));)
            }
        })
        .collect();
    let binding = if writes.is_empty() {
        quote!(let object)
    } else {
        quote!(let mut object)
    };
    quote! {
        impl #to_trait for #name {
            fn #to_fn(&self) -> #value_ty {
                #binding = #map_ty::new();
                #(#writes)*
                #map_variant(object)
            }
        }
    }
}
