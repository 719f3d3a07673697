//! Paginators for `@paginated` operations: `into_paginator()` on the fluent builder, and a
//! paginator whose `send()` returns the runtime's page stream (with `.items()`).

use super::operation::error_type;
use super::symbols::{root, Symbols};
use crate::model::{Member, ShapeId, ShapeKind};
use crate::naming::{self, ident};
use crate::passes::paginated::Paginated;
use crate::passes::OperationPlan;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// An expression while walking an output path: a place (`page.a.b`) or an `Option`.
enum Step {
    Place(TokenStream),
    Optional(TokenStream),
}

/// The paginator items of an operation module (nothing when the operation is not paginated
/// or its tokens cannot be resolved).
pub fn emit_paginator(symbols: &Symbols, op: &OperationPlan, depth: usize) -> TokenStream {
    let Some(paginated) = &op.paginated else {
        return quote!();
    };
    let Some(input_member) = member_named(symbols, &op.input, &paginated.input_token) else {
        return quote!();
    };
    let token_ty = symbols.member_value_type(&op.input, input_member, depth);
    let Some((token_expr, token_member, token_owner)) =
        walk(symbols, &op.output, &paginated.output_token, true)
    else {
        return quote!();
    };
    let output_token_ty = symbols.member_value_type(&token_owner, token_member, depth);
    if output_token_ty.to_string() != token_ty.to_string() {
        return quote!();
    }
    let next_token = next_token_fn(symbols, token_expr, token_member);
    let (item_ty, items) = items_fn(symbols, op, paginated, depth);
    let setter = format_ident!(
        "set_{}",
        naming::unraw(&symbols.field_name(&op.input, &input_member.name))
    );
    emit_items(
        symbols, op, depth, &token_ty, &item_ty, &setter, next_token, items,
    )
}

#[allow(clippy::too_many_arguments)]
fn emit_items(
    symbols: &Symbols,
    op: &OperationPlan,
    depth: usize,
    token_ty: &TokenStream,
    item_ty: &TokenStream,
    setter: &proc_macro2::Ident,
    next_token: TokenStream,
    items: TokenStream,
) -> TokenStream {
    let name = naming::type_name(op.id.name());
    let fluent = format_ident!("{}FluentBuilder", name);
    let paginator = format_ident!("{}Paginator", name);
    let stream = format_ident!("{}PageStream", name);
    let input_builder = format_ident!("{}Builder", symbols.type_name(&op.input));
    let output_ty = symbols.type_path(&op.output, depth);
    let error_ty = error_type(op);
    let root = root(depth);
    let op_name = op.id.name();
    let stream_doc =
        format!(" Pages of `{op_name}`: `next().await` fetches one; `items()` flattens them.");
    let paginator_doc =
        format!(" Sends `{op_name}` page after page, following the pagination token.");
    quote! {
        #[doc = #stream_doc]
        pub type #stream = ::smithy_runtime::paginator::PageStream<#output_ty, #error_ty, #token_ty, #item_ty>;
        impl #fluent {
            /// Pages through the results instead of sending one request.
            pub fn into_paginator(self) -> #paginator {
                #paginator { client: self.client, inner: self.inner }
            }
        }
        #[doc = #paginator_doc]
        #[derive(Clone, Debug)]
        pub struct #paginator {
            client: #root client::Client,
            inner: #input_builder,
        }
        impl #paginator {
            /// Starts paginating; nothing is sent until the stream's `next()` is awaited.
            pub fn send(self) -> #stream {
                let Self { client, inner } = self;
                let fetch: ::smithy_runtime::paginator::FetchPage<#output_ty, #error_ty, #token_ty> =
                    ::std::boxed::Box::new(move |token: ::std::option::Option<#token_ty>| {
                        let client = client.clone();
                        let builder = match token {
                            ::std::option::Option::Some(token) => inner.clone().#setter(::std::option::Option::Some(token)),
                            ::std::option::Option::None => inner.clone(),
                        };
                        ::std::boxed::Box::pin(async move {
                            let input = builder.build().map_err(::smithy_runtime::SdkError::Construction)?;
                            self::send(client.config(), input).await
                        })
                    });
                ::smithy_runtime::paginator::PageStream::new(fetch, #next_token, #items)
            }
        }
    }
}

fn member_named<'a>(symbols: &Symbols<'a>, shape: &ShapeId, name: &str) -> Option<&'a Member> {
    match &symbols.shape(shape).kind {
        ShapeKind::Structure(members) => members.iter().find(|m| m.name == name),
        _ => None,
    }
}

/// Walks a dotted output path from `page`: the expression, the last member and its owner.
/// `by_ref` borrows (`&Output` -> `Option<&T>`), otherwise moves (`Output` -> `Option<T>`).
fn walk<'a>(
    symbols: &Symbols<'a>,
    start: &ShapeId,
    path: &[String],
    by_ref: bool,
) -> Option<(Step, &'a Member, ShapeId)> {
    let mut owner = start.clone();
    let mut step = Step::Place(quote!(page));
    let mut last = None;
    for segment in path {
        let member = member_named(symbols, &owner, segment)?;
        let field = ident(&symbols.field_name(&owner, &member.name));
        let optional = symbols.is_optional(symbols.shape(&owner), member);
        step = match (step, optional, by_ref) {
            (Step::Place(p), true, true) => Step::Optional(quote!(#p.#field.as_ref())),
            (Step::Place(p), true, false) => Step::Optional(quote!(#p.#field)),
            (Step::Place(p), false, _) => Step::Place(quote!(#p.#field)),
            (Step::Optional(e), true, true) => {
                Step::Optional(quote!(#e.and_then(|v| v.#field.as_ref())))
            }
            (Step::Optional(e), true, false) => Step::Optional(quote!(#e.and_then(|v| v.#field))),
            (Step::Optional(e), false, true) => Step::Optional(quote!(#e.map(|v| &v.#field))),
            (Step::Optional(e), false, false) => Step::Optional(quote!(#e.map(|v| v.#field))),
        };
        last = Some((member, owner.clone()));
        owner = member.target.clone();
    }
    let (member, owner) = last?;
    Some((step, member, owner))
}

/// `|page: &Output| -> Option<Token>`; empty string tokens count as absent.
fn next_token_fn(symbols: &Symbols, step: Step, member: &Member) -> TokenStream {
    let token = match step {
        Step::Place(p) => quote!(::std::option::Option::Some(#p.clone())),
        Step::Optional(e) => quote!(#e.cloned()),
    };
    let is_string = matches!(symbols.shape(&member.target).kind, ShapeKind::String);
    let body = if is_string {
        quote!(#token.filter(|token| !token.is_empty()))
    } else {
        token
    };
    quote!(|page: &_| #body)
}

/// The item type and `|page: Output| -> Vec<Item>` (no items: `Infallible` and an empty vec).
fn items_fn(
    symbols: &Symbols,
    op: &OperationPlan,
    paginated: &Paginated,
    depth: usize,
) -> (TokenStream, TokenStream) {
    let none = (
        quote!(::std::convert::Infallible),
        quote!(|_| ::std::vec::Vec::new()),
    );
    let Some(path) = &paginated.items else {
        return none;
    };
    let Some((step, member, _)) = walk(symbols, &op.output, path, false) else {
        return none;
    };
    let collection = symbols.shape(&member.target);
    let (item_ty, is_map) = match &collection.kind {
        ShapeKind::List(item) => (symbols.collection_item_type(collection, item, depth), false),
        ShapeKind::Map(key, value) => {
            let key = symbols.rust_type(&key.target, depth);
            let value = symbols.collection_item_type(collection, value, depth);
            (quote!((#key, #value)), true)
        }
        _ => return none,
    };
    let vec = match step {
        Step::Place(p) => p,
        Step::Optional(e) => quote!(#e.unwrap_or_default()),
    };
    let body = if is_map {
        quote!(#vec.into_iter().collect())
    } else {
        vec
    };
    let output_ty = symbols.type_path(&op.output, depth);
    (item_ty, quote!(|page: #output_ty| #body))
}
