//! The one symbol provider: shape ID -> Rust type, module, nullability, and the runtime
//! (de)serializer expression for it. Emitters ask here and never build type paths themselves.

use super::protocol::Wire;
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Model, Shape, ShapeId, ShapeKind};
use crate::naming;
use crate::passes::synthetic::SYNTHETIC_NAMESPACE;
use crate::passes::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Where a generated type lives in the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Module {
    /// `types`: shared structures, unions and enums.
    Types,
    /// `error`: modelled error structures.
    Error,
    /// `operation::<name>`: an operation's synthetic input and output.
    Operation(String),
}

impl Module {
    /// Depth below the crate root (used to build `super::` paths that also work when the
    /// generated code is `include!`d into a module of the user's crate).
    pub fn depth(&self) -> usize {
        match self {
            Module::Types | Module::Error => 1,
            Module::Operation(_) => 2,
        }
    }
}

/// `super::super::` (depth 2) or `self::` (depth 0): the path to the generated crate root.
pub fn root(depth: usize) -> TokenStream {
    if depth == 0 {
        return quote!(self::);
    }
    let supers = (0..depth).map(|_| quote!(super::));
    quote!(#(#supers)*)
}

/// Location where a timestamp is serialized (decides its default format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// JSON body: epoch-seconds by default.
    Body,
    /// Header: http-date by default.
    Header,
    /// Query string or label: date-time by default.
    QueryOrLabel,
    /// XML body or attribute: date-time by default.
    Xml,
}

/// Type and naming answers for one plan.
pub struct Symbols<'a> {
    /// The plan being generated.
    pub plan: &'a Plan,
    /// Rust names of the named types in `types` and `error`, collisions resolved.
    names: BTreeMap<ShapeId, String>,
    /// Rust names of members, collisions within their shape resolved: struct fields (and so
    /// accessors and `set_`/`get_` methods), enum and union variants.
    members: BTreeMap<(ShapeId, String), String>,
    /// Module and method names of the operations, collisions resolved.
    operations: BTreeMap<ShapeId, String>,
    /// The event-stream unions (`@streaming` unions) of operation outputs: members targeting
    /// them are `smithy_runtime::event_stream::EventReceiver` fields.
    output_event_streams: BTreeSet<ShapeId>,
    /// The event-stream unions of operation inputs: members targeting them are
    /// `smithy_runtime::event_stream::EventSender` fields.
    input_event_streams: BTreeSet<ShapeId>,
}

/// Names the generated `error` module defines or re-exports itself.
const ERROR_MODULE_NAMES: [&str; 4] = ["ErrorMetadata", "Unhandled", "BuildError", "SdkError"];

impl<'a> Symbols<'a> {
    /// A symbol provider for `plan`.
    pub fn new(plan: &'a Plan) -> Self {
        let names = unique_type_names(plan);
        let members = unique_member_names(plan);
        let operations = unique_operation_names(plan);
        let output_event_streams = super::event_stream::output_event_stream_unions(plan);
        let input_event_streams = super::event_stream::input_event_stream_unions(plan);
        Symbols {
            plan,
            names,
            members,
            operations,
            output_event_streams,
            input_event_streams,
        }
    }

    /// The Rust field name of `member` of structure `container` (escaped: `r#type`). Also the
    /// name of its accessor and fluent setter, and the stem of its `set_`/`get_` methods.
    pub fn field_name(&self, container: &ShapeId, member: &str) -> String {
        self.members
            .get(&(container.clone(), member.to_string()))
            .cloned()
            .unwrap_or_else(|| naming::member_field_name(member))
    }

    /// The Rust variant name of `member` of enum or union `container`.
    pub fn variant_name(&self, container: &ShapeId, member: &str) -> String {
        self.members
            .get(&(container.clone(), member.to_string()))
            .cloned()
            .unwrap_or_else(|| naming::variant_name(member))
    }

    /// The module name (under `operation::`) and `Client` method name of an operation.
    pub fn operation_name(&self, operation: &ShapeId) -> String {
        self.operations
            .get(operation)
            .cloned()
            .unwrap_or_else(|| naming::operation_fn_name(operation.name()))
    }

    /// The model.
    pub fn model(&self) -> &'a Model {
        &self.plan.model
    }

    /// A shape that the passes guarantee exists.
    pub fn shape(&self, id: &ShapeId) -> &'a Shape {
        self.plan
            .model
            .get(id)
            .unwrap_or_else(|| unreachable!("validated model lacks {id}"))
    }

    /// The module a named type goes in.
    pub fn module_of(&self, id: &ShapeId) -> Module {
        if id.namespace() == SYNTHETIC_NAMESPACE {
            let op = self
                .plan
                .operations
                .iter()
                .find(|op| &op.input == id || &op.output == id)
                .map_or_else(
                    || naming::operation_fn_name(id.name()),
                    |op| self.operation_name(&op.id),
                );
            return Module::Operation(op);
        }
        if self.shape(id).traits.error().is_some() {
            Module::Error
        } else {
            Module::Types
        }
    }

    /// The Rust type name of a named shape: UpperCamelCase of its (service-renamed) name,
    /// with a number appended when two shapes of one module would get the same name
    /// (`DeleteStream_` after `DeleteStream`, `__string` after `String`) or a shape would
    /// take a name the module defines itself (`FooBuilder`, `Unhandled`).
    pub fn type_name(&self, id: &ShapeId) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| base_type_name(self.plan, id))
    }

    /// Path to a named type from a module at `depth`.
    pub fn type_path(&self, id: &ShapeId, depth: usize) -> TokenStream {
        let name = naming::ident(&self.type_name(id));
        let root = root(depth);
        match self.module_of(id) {
            Module::Types => quote!(#root types::#name),
            Module::Error => quote!(#root error::#name),
            Module::Operation(op) => {
                let op = naming::ident(&op);
                quote!(#root operation::#op::#name)
            }
        }
    }

    /// Whether `id` is an event-stream union read from responses.
    pub fn is_output_event_stream(&self, id: &ShapeId) -> bool {
        self.output_event_streams.contains(id)
    }

    /// Whether `id` is an event-stream union written into requests.
    pub fn is_input_event_stream(&self, id: &ShapeId) -> bool {
        self.input_event_streams.contains(id)
    }

    /// The Rust type of a target shape (no `Option`, no `Box`).
    pub fn rust_type(&self, target: &ShapeId, depth: usize) -> TokenStream {
        let shape = self.shape(target);
        match &shape.kind {
            ShapeKind::Blob if shape.traits.streaming() => quote!(::smithy_runtime::ByteStream),
            ShapeKind::Union(_) if self.is_output_event_stream(target) => {
                let union = self.type_path(target, depth);
                quote!(::smithy_runtime::event_stream::EventReceiver<#union>)
            }
            ShapeKind::Union(_) if self.is_input_event_stream(target) => {
                let union = self.type_path(target, depth);
                quote!(::smithy_runtime::event_stream::EventSender<#union>)
            }
            ShapeKind::Blob => quote!(::smithy_runtime::Blob),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::String => quote!(::std::string::String),
            ShapeKind::Byte => quote!(i8),
            ShapeKind::Short => quote!(i16),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(::smithy_runtime::BigNumber),
            ShapeKind::Timestamp => quote!(::smithy_runtime::DateTime),
            ShapeKind::Document => quote!(::smithy_runtime::Document),
            ShapeKind::List(member) => {
                let item = self.collection_item_type(shape, member, depth);
                quote!(::std::vec::Vec<#item>)
            }
            ShapeKind::Map(key, value) => {
                let key = self.rust_type(&key.target, depth);
                let value = self.collection_item_type(shape, value, depth);
                quote!(::std::collections::HashMap<#key, #value>)
            }
            ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::Structure(_)
            | ShapeKind::Union(_) => self.type_path(target, depth),
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                unreachable!(
                    "validation rejects members targeting {}",
                    shape.kind.type_name()
                )
            }
        }
    }

    /// The Rust type of a list item or map value (`Option` when the collection is `@sparse`).
    pub fn collection_item_type(
        &self,
        collection: &Shape,
        member: &Member,
        depth: usize,
    ) -> TokenStream {
        let item = self.rust_type(&member.target, depth);
        if collection.traits.sparse() {
            quote!(::std::option::Option<#item>)
        } else {
            item
        }
    }

    /// Whether the member is boxed (it closes a structure/union cycle).
    pub fn is_boxed(&self, container: &ShapeId, member: &Member) -> bool {
        self.plan
            .boxed
            .contains(&(container.clone(), member.name.clone()))
    }

    /// The field type of a member without its `Option` (boxed when recursive).
    pub fn member_value_type(
        &self,
        container: &ShapeId,
        member: &Member,
        depth: usize,
    ) -> TokenStream {
        let ty = self
            .event_stream_type(container, member, depth)
            .unwrap_or_else(|| self.rust_type(&member.target, depth));
        if self.is_boxed(container, member) {
            quote!(::std::boxed::Box<#ty>)
        } else {
            ty
        }
    }

    /// The type of an event-stream member, by the direction of its structure: a sender in an
    /// operation input, a receiver in an output (one union can be both, in different
    /// operations).
    fn event_stream_type(
        &self,
        container: &ShapeId,
        member: &Member,
        depth: usize,
    ) -> Option<TokenStream> {
        let target = &member.target;
        if !self.is_input_event_stream(target) || !self.is_output_event_stream(target) {
            return None;
        }
        let union = self.type_path(target, depth);
        let is_input = self.plan.operations.iter().any(|op| &op.input == container);
        Some(if is_input {
            quote!(::smithy_runtime::event_stream::EventSender<#union>)
        } else {
            quote!(::smithy_runtime::event_stream::EventReceiver<#union>)
        })
    }

    /// The field type of a member, with `Option` when the member is optional.
    pub fn member_type(&self, container: &Shape, member: &Member, depth: usize) -> TokenStream {
        let ty = self.member_value_type(&container.id, member, depth);
        if self.is_optional(container, member) {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    }

    /// Smithy 2.0 client nullability, in the AWS SDK for Rust's careful flavour: a member is
    /// optional if its container is an `@input`, it is `@clientOptional`, it targets a
    /// structure or union, or it has neither `@required` nor a non-null `@default`.
    pub fn is_optional(&self, container: &Shape, member: &Member) -> bool {
        if matches!(container.kind, ShapeKind::Union(_)) {
            return false;
        }
        let target = self.shape(&member.target);
        if container.traits.input()
            || member.traits.client_optional()
            || matches!(target.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
        {
            return true;
        }
        self.default_value(member).is_none() && !member.traits.required()
    }

    /// The effective non-null `@default` of a member (member trait, else target trait; a
    /// member `@default(null)` cancels the target's).
    pub fn default_value(&self, member: &Member) -> Option<serde_json::Value> {
        let chosen = match member.traits.default_value() {
            Some(value) => Some(value),
            None => self.shape(&member.target).traits.default_value(),
        };
        chosen.filter(|v| !v.is_null()).cloned()
    }

    /// The timestamp format of a member at a location.
    pub fn timestamp_format(&self, member: &Member, location: Location) -> TimestampFormat {
        member
            .traits
            .timestamp_format()
            .or_else(|| self.shape(&member.target).traits.timestamp_format())
            .unwrap_or(match location {
                Location::Body => TimestampFormat::EpochSeconds,
                Location::Header => TimestampFormat::HttpDate,
                Location::QueryOrLabel | Location::Xml => TimestampFormat::DateTime,
            })
    }

    /// An expression of type `impl Fn(Value) -> json::Result<T>` reading a member's value.
    pub fn json_reader(&self, container: &ShapeId, member: &Member, depth: usize) -> TokenStream {
        let read = self.target_reader(member, depth);
        if self.is_boxed(container, member) {
            let (value, j) = (self.wire().value_ty(), self.wire().module());
            quote!(|v: #value| #j::boxed(v, #read))
        } else {
            read
        }
    }

    /// A body member's timestamp format: its `@timestampFormat` (else the body default),
    /// unless the protocol always writes epoch seconds.
    fn body_timestamp_format(&self, member: &Member) -> TimestampFormat {
        if self.protocol().ignores_timestamp_format() {
            return TimestampFormat::EpochSeconds;
        }
        self.timestamp_format(member, Location::Body)
    }

    /// The wire format of the service's body codecs.
    pub fn wire(&self) -> super::protocol::Wire {
        self.protocol().wire()
    }

    fn target_reader(&self, member: &Member, depth: usize) -> TokenStream {
        let shape = self.shape(&member.target);
        let wire = self.wire();
        let (j, value) = (wire.module(), wire.value_ty());
        match &shape.kind {
            ShapeKind::Blob if shape.traits.streaming() => quote!(#j::byte_stream),
            ShapeKind::Blob => quote!(#j::blob),
            ShapeKind::Boolean => quote!(#j::boolean),
            ShapeKind::String => quote!(#j::string),
            ShapeKind::Byte => quote!(#j::byte),
            ShapeKind::Short => quote!(#j::short),
            ShapeKind::Integer => quote!(#j::int),
            ShapeKind::Long => quote!(#j::long),
            ShapeKind::Float => quote!(#j::float),
            ShapeKind::Double => quote!(#j::double),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#j::big_number),
            ShapeKind::Document => quote!(#j::document),
            // CBOR has one timestamp form (tag 1, epoch seconds); `@timestampFormat` is ignored.
            ShapeKind::Timestamp if wire == Wire::Cbor => quote!(#j::timestamp),
            ShapeKind::Timestamp => match self.body_timestamp_format(member) {
                TimestampFormat::EpochSeconds => quote!(#j::epoch_seconds),
                TimestampFormat::DateTime => quote!(#j::date_time),
                TimestampFormat::HttpDate => quote!(#j::http_date),
            },
            ShapeKind::Enum(_) => {
                let ty = self.rust_type(&member.target, depth);
                quote!(#j::enumeration::<#ty>)
            }
            ShapeKind::IntEnum(_) => {
                let ty = self.rust_type(&member.target, depth);
                quote!(#j::int_enumeration::<#ty>)
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let ty = self.rust_type(&member.target, depth);
                quote!(#j::shape::<#ty>)
            }
            ShapeKind::List(item) => {
                let read = self.target_reader(item, depth);
                let f = if shape.traits.sparse() {
                    quote!(sparse_list)
                } else {
                    quote!(list)
                };
                quote!(|v: #value| #j::#f(v, #read))
            }
            ShapeKind::Map(key, item) => {
                let read = self.target_reader(item, depth);
                let enum_keys = matches!(self.shape(&key.target).kind, ShapeKind::Enum(_));
                let f = match (shape.traits.sparse(), enum_keys) {
                    (false, false) => quote!(map),
                    (true, false) => quote!(sparse_map),
                    (false, true) => quote!(enum_map),
                    (true, true) => quote!(sparse_enum_map),
                };
                quote!(|v: #value| #j::#f(v, #read))
            }
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                quote!(#j::document)
            }
        }
    }

    /// An expression of type `impl Fn(&T) -> Value` writing a member's value.
    pub fn json_writer(&self, container: &ShapeId, member: &Member, depth: usize) -> TokenStream {
        let write = self.target_writer(member, depth);
        if self.is_boxed(container, member) {
            let ty = self.member_value_type(container, member, depth);
            let j = self.wire().module();
            quote!(|v: &#ty| #j::ser::with(v.as_ref(), #write))
        } else {
            write
        }
    }

    fn target_writer(&self, member: &Member, depth: usize) -> TokenStream {
        let shape = self.shape(&member.target);
        let wire = self.wire();
        let j = wire.module();
        let s = quote!(#j::ser);
        match &shape.kind {
            ShapeKind::Blob if shape.traits.streaming() => quote!(#s::byte_stream),
            ShapeKind::Blob => quote!(#s::blob),
            ShapeKind::Boolean => quote!(#s::boolean),
            ShapeKind::String => quote!(#s::string),
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                quote!(#s::integer)
            }
            ShapeKind::Float | ShapeKind::Double => quote!(#s::double),
            ShapeKind::BigInteger | ShapeKind::BigDecimal
                if self.protocol().big_numbers_as_strings() =>
            {
                quote!(#s::big_number_text)
            }
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#s::big_number),
            ShapeKind::Document => quote!(#s::document),
            ShapeKind::Timestamp if wire == Wire::Cbor => quote!(#s::timestamp),
            ShapeKind::Timestamp => match self.body_timestamp_format(member) {
                TimestampFormat::EpochSeconds => quote!(#s::epoch_seconds),
                TimestampFormat::DateTime => quote!(#s::date_time),
                TimestampFormat::HttpDate => quote!(#s::http_date),
            },
            ShapeKind::Enum(_) => quote!(#s::enumeration),
            ShapeKind::IntEnum(_) => quote!(#s::int_enumeration),
            ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(#s::shape),
            ShapeKind::List(item) => {
                let write = self.target_writer(item, depth);
                let ty = self.rust_type(&member.target, depth);
                let f = if shape.traits.sparse() {
                    quote!(sparse_list)
                } else {
                    quote!(list)
                };
                quote!(|v: &#ty| #s::#f(v, #write))
            }
            ShapeKind::Map(_, value) => {
                let write = self.target_writer(value, depth);
                let ty = self.rust_type(&member.target, depth);
                let f = if shape.traits.sparse() {
                    quote!(sparse_map)
                } else {
                    quote!(map)
                };
                quote!(|v: &#ty| #s::#f(v, #write))
            }
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                quote!(#s::document)
            }
        }
    }

    /// The JSON key of a member, as the service's protocol spells it.
    pub fn json_name<'m>(&self, member: &'m Member) -> &'m str {
        self.protocol().json_name(member)
    }

    /// The generator of the service's protocol.
    pub fn protocol(&self) -> &'static dyn super::protocol::ProtocolGenerator {
        super::protocol::for_plan(self.plan)
    }

    /// Whether the member's target (or a collection's items) is `@sensitive`.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        let target = self.shape(&member.target);
        if target.traits.sensitive() {
            return true;
        }
        match &target.kind {
            ShapeKind::List(item) => self.is_sensitive(item),
            ShapeKind::Map(key, value) => self.is_sensitive(key) || self.is_sensitive(value),
            _ => false,
        }
    }
}

/// UpperCamelCase of a shape's name, after the service's `rename`.
fn base_type_name(plan: &Plan, id: &ShapeId) -> String {
    if let Some(ShapeKind::Service(svc)) = plan.model.get(&plan.service).map(|s| &s.kind) {
        if let Some(renamed) = svc.rename.get(id) {
            return naming::type_name(renamed);
        }
    }
    naming::type_name(id.name())
}

/// Names for every type emitted into `types` and `error`, unique per module. Shapes are
/// named in shape-ID order, a shape whose model name is already UpperCamelCase first, so the
/// usual name goes to the shape that spells it (`DeleteStream`, not `DeleteStream_`).
fn unique_type_names(plan: &Plan) -> BTreeMap<ShapeId, String> {
    let mut taken: BTreeMap<bool, BTreeSet<String>> = BTreeMap::new();
    taken
        .entry(true)
        .or_default()
        .extend(ERROR_MODULE_NAMES.iter().map(|n| n.to_string()));
    let mut ids: Vec<&ShapeId> = plan
        .shapes
        .iter()
        .filter(|id| {
            plan.model.get(id).is_some_and(|s| {
                matches!(
                    s.kind,
                    ShapeKind::Structure(_)
                        | ShapeKind::Union(_)
                        | ShapeKind::Enum(_)
                        | ShapeKind::IntEnum(_)
                )
            })
        })
        .collect();
    ids.sort_by_key(|id| (base_type_name(plan, id) != id.name(), (*id).clone()));
    let mut names = BTreeMap::new();
    for id in ids {
        let Some(shape) = plan.model.get(id) else {
            continue;
        };
        let is_structure = matches!(shape.kind, ShapeKind::Structure(_));
        let module = taken.entry(shape.traits.error().is_some()).or_default();
        let base = base_type_name(plan, id);
        let free = |name: &str| {
            let builder_taken = is_structure && module.contains(&format!("{name}Builder"));
            !module.contains(name) && !builder_taken
        };
        let name = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|candidate| free(candidate))
            .unwrap_or(base);
        if is_structure {
            module.insert(format!("{name}Builder"));
        }
        module.insert(name.clone());
        names.insert(id.clone(), name);
    }
    names
}

/// The first of `base`, `base_2`, `base_3`, ... (a raw identifier loses its `r#` once
/// suffixed: `type_2`) for which `free` holds.
fn first_free_snake(base: &str, free: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{}_{n}", naming::unraw(base))))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// Names a structure member takes in the generated code: the field (and accessor and fluent
/// setter) and the builder's `set_`/`get_` methods.
fn member_methods(field: &str) -> [String; 3] {
    let raw = naming::unraw(field);
    [raw.to_string(), format!("set_{raw}"), format!("get_{raw}")]
}

/// Field names for every structure and variant names for every enum and union of the plan,
/// unique within their shape.
///
/// Two members can convert to one name (`fooBar` and `foo_bar` -> `foo_bar`; `FOO_BAR` and
/// `FooBar` -> `FooBar`), or one member's name can be another's accessor (`set_foo` is both
/// the member `set_foo` and the setter of `foo`). Members are named in a fixed order: first
/// those whose Smithy name is already their Rust name, then those not starting with `set_` or
/// `get_`, then by Smithy name; each takes its usual name unless an earlier member holds it (or,
/// for a field, its `set_`/`get_` form), and then the first free `name_2`, `name_3`, ...
/// (`Name2`, `Name3`, ... for variants). Without a collision every name stays as the AWS SDK
/// for Rust spells it. See docs/naming.md.
fn unique_member_names(plan: &Plan) -> BTreeMap<(ShapeId, String), String> {
    let mut out = BTreeMap::new();
    for id in &plan.shapes {
        let Some(shape) = plan.model.get(id) else {
            continue;
        };
        match &shape.kind {
            ShapeKind::Structure(members) => {
                let is_error = shape.traits.error().is_some();
                for (member, name) in unique_field_names(plan, members, is_error) {
                    out.insert((id.clone(), member), name);
                }
            }
            ShapeKind::Union(members) | ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => {
                for (member, name) in unique_variant_names(members) {
                    out.insert((id.clone(), member), name);
                }
            }
            _ => {}
        }
    }
    out
}

/// The order members are named in (see [`unique_member_names`]).
fn naming_order(members: &[Member], rust_name: impl Fn(&str) -> String) -> Vec<&Member> {
    let mut order: Vec<&Member> = members.iter().collect();
    order.sort_by_key(|m| {
        let converted = naming::unraw(&rust_name(&m.name)) != m.name;
        let accessor_like = m.name.starts_with("set_") || m.name.starts_with("get_");
        (converted, accessor_like, m.name.clone())
    });
    order
}

fn unique_field_names(plan: &Plan, members: &[Member], is_error: bool) -> Vec<(String, String)> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for member in naming_order(members, naming::member_field_name) {
        let mut base = naming::member_field_name(&member.name);
        // An error structure defines `message()` itself unless its `message` member is a
        // string (then the member's accessor is that method); any other `message` member
        // would define it twice.
        let string_target = plan
            .model
            .get(&member.target)
            .is_some_and(|t| matches!(t.kind, ShapeKind::String));
        if is_error && base == "message" && !string_target {
            base = "message_value".into();
        }
        let name = first_free_snake(&base, |candidate| {
            member_methods(candidate).iter().all(|n| !taken.contains(n))
        });
        taken.extend(member_methods(&name));
        out.push((member.name.clone(), name));
    }
    out
}

fn unique_variant_names(members: &[Member]) -> Vec<(String, String)> {
    // The catch-all variant every generated enum and union has.
    let mut taken: BTreeSet<String> = BTreeSet::from(["Unknown".to_string()]);
    let mut out = Vec::new();
    for member in naming_order(members, naming::variant_name) {
        let base = naming::variant_name(&member.name);
        let name = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or(base);
        taken.insert(name.clone());
        out.push((member.name.clone(), name));
    }
    out
}

/// Module and method names of the operations, unique in the service: two operations can
/// convert to one name (`GetFoo` and `Get_Foo` -> `get_foo`). Operations are named in the
/// same order as members (see [`unique_member_names`]); a later one takes `name_2`, ...
fn unique_operation_names(plan: &Plan) -> BTreeMap<ShapeId, String> {
    let mut ids: Vec<&ShapeId> = plan.operations.iter().map(|op| &op.id).collect();
    ids.sort_by_key(|id| {
        let converted = naming::unraw(&naming::operation_fn_name(id.name())) != id.name();
        (converted, id.name().to_string(), (*id).clone())
    });
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for id in ids {
        let base = naming::operation_fn_name(id.name());
        let name = first_free_snake(&base, |c| !taken.contains(naming::unraw(c)));
        taken.insert(naming::unraw(&name).to_string());
        out.insert(id.clone(), name);
    }
    out
}
