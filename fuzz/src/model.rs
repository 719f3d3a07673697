//! [`random_model`]: a seeded, valid Smithy 2.0 JSON AST model whose names and traits are
//! drawn heavily from the hazards of Rust code generation (keywords, prelude names, names that
//! collide after case conversion or escaping, names of generated items), and [`check_model`],
//! an independent check of the Smithy rules the generator itself does not validate.

use crate::rng::Rng;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// The namespace of most shapes.
pub const NAMESPACE: &str = "fuzz.model";
/// A second namespace: shapes there reuse names of the first, and the service renames them.
const OTHER_NAMESPACE: &str = "fuzz.other";
const UNIT: &str = "smithy.api#Unit";

/// Shape names that are Rust keywords, prelude or std names, names of generated items, or that
/// collide with each other after case conversion.
const SHAPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "From",
    "Into",
    "Iterator",
    "PartialEq",
    "Hash",
    "Client",
    "Config",
    "Types",
    "Error",
    "Operation",
    "Unhandled",
    "SdkError",
    "BuildError",
    "ErrorMetadata",
    "Service",
    "Self",
    "Type",
    "match",
    "Crate",
    "Super",
    "Async",
    "Await",
    "Dyn",
    "Try",
    "Gen",
    "Union",
    "Static",
    "macro_rules",
    "Ref",
    "Unknown",
    "UnknownValue",
    "Value",
    "Blob",
    "DateTime",
    "Document",
    "ByteStream",
    "HashMap",
    "Map",
    "List",
    "Str",
    "Builder",
    "Input",
    "Output",
    "Meta",
    "Foo",
    "FOO_BAR",
    "foo_bar",
    "FooBar",
    "FooBuilder",
    "FooError",
    "FooInput",
    "FooOutput",
    "FooFluentBuilder",
    "Foo2",
    "Foo_",
    "_1abc",
    "_2",
    "A",
    "a",
    "ACLs",
    "ETag",
    "S3Key",
    "s3key",
    "IpV4Cidr",
    "MiB",
    "__string",
    "GetFooInput",
    "GetFooOutput",
    "GetFooError",
    "GetFooFluentBuilder",
];

/// Operation names: generated module, type and method names among them.
const OPERATION_NAMES: &[&str] = &[
    "Config",
    "Client",
    "Types",
    "Error",
    "Operation",
    "Unhandled",
    "SdkError",
    "FromConf",
    "Send",
    "New",
    "Build",
    "Builder",
    "Self",
    "Type",
    "match",
    "Crate",
    "Super",
    "Default",
    "Input",
    "Output",
    "GetFoo",
    "Get_Foo",
    "getFoo",
    "Foo",
    "IntoPaginator",
    "Customize",
    "As_Input",
    "SetInput",
    "Service",
    "Meta",
    "Option",
    "Result",
    "_1Op",
    "Async",
];

/// Member names: keywords (strict, reserved, weak), generated method names, and pairs that
/// collide after snake_case or escaping.
const MEMBER_NAMES: &[&str] = &[
    "type",
    "match",
    "self",
    "crate",
    "super",
    "async",
    "await",
    "dyn",
    "try",
    "gen",
    "union",
    "macro_rules",
    "static",
    "ref",
    "move",
    "box",
    "yield",
    "abstract",
    "become",
    "do",
    "final",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "override",
    "raw",
    "safe",
    "build",
    "builder",
    "default",
    "send",
    "meta",
    "message",
    "from_response",
    "new",
    "input",
    "config",
    "customize",
    "into_paginator",
    "set_input",
    "as_input",
    "inner",
    "client",
    "value",
    "key",
    "item",
    "object",
    "error",
    "status",
    "response",
    "body",
    "request",
    "as_str",
    "values",
    "from",
    "fmt",
    "to_json",
    "from_json",
    "clone",
    "f",
    "v",
    "e",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Unknown",
    "unknown_value",
    "type_value",
    "self_value",
    "build_value",
    "set_foo",
    "get_foo",
    "foo",
    "fooBar",
    "foo_bar",
    "FooBar",
    "_1abc",
    "_foo",
    "a",
    "A1",
    "a_1",
    "ETag",
    "e_tag",
    "ACLs",
    "s3key",
    "S3Key",
    "Self_",
];

/// Enum and union member names (variants): `Unknown` and names that collide as UpperCamelCase.
const VARIANT_NAMES: &[&str] = &[
    "UNKNOWN",
    "UnknownValue",
    "Unknown_Value",
    "SELF",
    "Self_",
    "TYPE",
    "CRATE",
    "SUPER",
    "FOO_BAR",
    "FooBar",
    "A1",
    "A_1",
    "_1",
    "V2",
    "v_2",
    "Some",
    "None",
    "Ok",
    "Err",
    "Option",
    "String",
    "Default",
    "Unknown2",
    "ACLs",
    "match",
    "async",
    "self_value",
    "Foo",
    "foo_",
];

/// Enum values (free text).
const ENUM_VALUES: &[&str] = &[
    "a",
    "A",
    "with space",
    "quote\"d",
    "back\\slash",
    "{brace}",
    "ünïcödé",
    "x-y",
    "1",
    "Unknown",
    "UNKNOWN",
    "r#type",
    "self",
    "\u{1F600}",
    "tab\tchar",
    "new\nline",
];

/// Documentation that is hard to carry into rustdoc.
const DOCS: &[&str] = &[
    "<p>HTML <b>bold</b> &amp; <a href=\"https://example.com/a?b=1&c=2\">link</a></p>",
    "[brackets] and [a link][ref] and [Foo]",
    "See https://example.com/path?x=1&y=2 for more, or http://example.com.",
    "<unclosed tag and <p>an unclosed paragraph",
    "`backticks` and ``` fences",
    "```\nfn main() { this is not rust }\n```",
    "*/ /* comment markers",
    "\"quotes\" and \\ backslash \\",
    "#[attr] and `#![inner]` and //! and ///",
    "line one\n\nline two\n\n    indented code block()",
    "<note><p>Note</p></note> <ul><li>one</li><li>two</li></ul>",
    "{@link Foo} and <code>code</code> and <i>italic</i>",
    "Unicode: ünïcödé — ✓ \u{1F600}",
    "carriage\r\nreturn",
    "",
    "<",
    "&lt;escaped&gt; &#x27;",
];

/// Words for random names.
const WORDS: &[&str] = &[
    "foo", "bar", "baz", "id", "arn", "acl", "ACLs", "etag", "ETag", "s3", "v2", "ip", "V4", "mib",
    "name", "value", "type", "self", "list", "map", "key", "item", "token", "next", "max",
    "status", "code", "error", "input", "output", "client", "build", "unknown", "option",
];

const HEADER_NAMES: &[&str] = &[
    "X-Foo",
    "X-Type",
    "X-Self",
    "x-amz-meta",
    "X-Dash-Case",
    "X-UPPER",
    "X-Match",
    "X-A",
];
const QUERY_NAMES: &[&str] = &[
    "q",
    "type",
    "self",
    "max-items",
    "nextToken",
    "x.y",
    "a_b",
    "Foo",
    "foo",
    "r#type",
];

/// The kind of a shape the generator may target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    String,
    Blob,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Map,
    Structure,
    Union,
    StreamingBlob,
}

const SIMPLE: [(Kind, &str); 14] = [
    (Kind::String, "string"),
    (Kind::Blob, "blob"),
    (Kind::Boolean, "boolean"),
    (Kind::Byte, "byte"),
    (Kind::Short, "short"),
    (Kind::Integer, "integer"),
    (Kind::Long, "long"),
    (Kind::Float, "float"),
    (Kind::Double, "double"),
    (Kind::BigInteger, "bigInteger"),
    (Kind::BigDecimal, "bigDecimal"),
    (Kind::Timestamp, "timestamp"),
    (Kind::Document, "document"),
    (Kind::StreamingBlob, "blob"),
];

/// A shape the generator made, for choosing targets.
#[derive(Clone, Debug)]
struct Info {
    id: String,
    kind: Kind,
    /// Enum values, for `@default`.
    values: Vec<Value>,
}

/// A random model for `seed`: the same seed always gives the same model.
pub fn random_model(seed: u64) -> Value {
    Gen::new(seed).model()
}

struct Gen {
    rng: Rng,
    /// A second stream for the `@deprecated` draws, added after the regression seeds were
    /// recorded: drawing from `rng` would change every seed's model.
    deprecations: Rng,
    /// A third stream, for the RPC protocol of a non-REST service (awsJson1_1 as before, or
    /// awsJson1_0, rpcv2Cbor, rpcv2Json, awsQuery, ec2Query), likewise added after the seeds
    /// were recorded.
    protocols: Rng,
    shapes: Map<String, Value>,
    infos: Vec<Info>,
    /// Lowercase names in the service closure (shape names must be unique ignoring case).
    names: BTreeSet<String>,
    /// Every name given so far, for deriving colliding ones (`FooBuilder` from `Foo`).
    given: Vec<String>,
    rename: Map<String, Value>,
    rest: bool,
    string_list: String,
    string_map: String,
}

/// Members of one structure being built, with the names and JSON keys already used.
#[derive(Default)]
struct Members {
    members: Map<String, Value>,
    lower: BTreeSet<String>,
    keys: BTreeSet<String>,
    headers: BTreeSet<String>,
    queries: BTreeSet<String>,
}

impl Gen {
    fn new(seed: u64) -> Self {
        Gen {
            rng: Rng::new(seed),
            deprecations: Rng::new(seed ^ 0xDE9_2EC8_7ED0),
            protocols: Rng::new(seed ^ 0x9207_0C01_5EED),
            shapes: Map::new(),
            infos: Vec::new(),
            names: BTreeSet::new(),
            given: Vec::new(),
            rename: Map::new(),
            rest: true,
            string_list: String::new(),
            string_map: String::new(),
        }
    }

    fn model(mut self) -> Value {
        // `Unit` is the prelude's; no shape of ours may take its name.
        self.names.insert("unit".into());
        self.rest = !self.rng.chance(15);
        self.simple_shapes();
        self.aggregates();
        let errors: Vec<String> = (0..self.rng.range(0, 3)).map(|_| self.error()).collect();
        let operations: Vec<Value> = (0..self.rng.range(1, 4))
            .map(|i| json!({"target": self.operation(i, &errors)}))
            .collect();
        self.service(operations, &errors);
        json!({"smithy": "2.0", "shapes": Value::Object(self.shapes)})
    }

    // ---- names ---------------------------------------------------------------------------

    /// A random identifier in one of the casing styles Smithy models use.
    fn random_ident(&mut self) -> String {
        let count = self.rng.range(1, 3);
        let words: Vec<&str> = (0..count).map(|_| *self.rng.pick(WORDS)).collect();
        let mut name = match self.rng.below(5) {
            0 => words.iter().map(|w| capitalize(w)).collect::<String>(),
            1 => words.join("_"),
            2 => words.join("_").to_uppercase(),
            3 => {
                let rest: String = words[1..].iter().map(|w| capitalize(w)).collect();
                format!("{}{rest}", words[0])
            }
            _ => words.join(""),
        };
        if self.rng.chance(15) {
            name.push_str(&self.rng.below(10).to_string());
        }
        if self.rng.chance(8) {
            name.insert(0, '_');
        }
        name
    }

    /// A name colliding with `base` after case conversion or with a generated name.
    fn derived(&mut self, base: &str) -> String {
        let suffixes = [
            "Builder",
            "Error",
            "Input",
            "Output",
            "FluentBuilder",
            "2",
            "_",
            "Paginator",
            "_2",
        ];
        match self.rng.below(4) {
            0 => snake(base),
            1 => snake(base).to_uppercase(),
            2 => format!("_{base}"),
            _ => format!("{base}{}", self.rng.pick(&suffixes)),
        }
    }

    /// A fresh shape name: unique ignoring case within the closure.
    fn shape_name(&mut self, pool: &[&str]) -> String {
        for attempt in 0.. {
            let candidate = match self.rng.below(10) {
                _ if attempt > 8 => format!("{}{attempt}", self.random_ident()),
                0..=4 => self.rng.pick(pool).to_string(),
                5 | 6 if !self.given.is_empty() => {
                    let base = self.rng.pick(&self.given).clone();
                    self.derived(&base)
                }
                _ => self.random_ident(),
            };
            if is_identifier(&candidate) && self.names.insert(candidate.to_lowercase()) {
                self.given.push(candidate.clone());
                return candidate;
            }
        }
        unreachable!("the loop returns")
    }

    /// A fresh shape ID; sometimes in the other namespace reusing a taken name, renamed by
    /// the service.
    fn shape_id(&mut self, pool: &[&str], renamable: bool) -> String {
        if renamable && self.rng.chance(10) && !self.given.is_empty() {
            let reused = self.rng.pick(&self.given).clone();
            let id = format!("{OTHER_NAMESPACE}#{reused}");
            if !self.shapes.contains_key(&id) {
                let new_name = self.shape_name(pool);
                self.rename.insert(id.clone(), Value::String(new_name));
                return id;
            }
        }
        format!("{NAMESPACE}#{}", self.shape_name(pool))
    }

    /// A fresh member name, unique ignoring case within `members`.
    fn member_name(&mut self, members: &mut Members, pool: &[&str]) -> String {
        let taken: Vec<String> = members.members.keys().cloned().collect();
        for attempt in 0.. {
            let candidate = match self.rng.below(10) {
                _ if attempt > 8 => format!("{}{attempt}", self.random_ident()),
                0..=4 => self.rng.pick(pool).to_string(),
                5 | 6 if !taken.is_empty() => {
                    let base = self.rng.pick(&taken).clone();
                    match self.rng.below(6) {
                        0 => format!("set_{}", snake(&base)),
                        1 => format!("get_{}", snake(&base)),
                        2 => format!("{}_value", snake(&base)),
                        3 => snake(&base),
                        4 => format!("_{base}"),
                        _ => camel(&base),
                    }
                }
                _ => self.random_ident(),
            };
            let key_free = !members.keys.contains(&candidate);
            if is_identifier(&candidate)
                && key_free
                && members.lower.insert(candidate.to_lowercase())
            {
                return candidate;
            }
        }
        unreachable!("the loop returns")
    }

    fn docs(&mut self, traits: &mut Map<String, Value>) {
        if self.rng.chance(35) {
            let doc = self.rng.pick(DOCS).to_string();
            traits.insert("smithy.api#documentation".into(), Value::String(doc));
        }
        if self.deprecations.chance(10) {
            // Smithy's `since` is free text: AWS models give dates, which Rust's `since` rejects.
            let deprecated = match self.deprecations.below(4) {
                0 => json!({}),
                1 => json!({"message": "Use the other one.", "since": "2024-11-20"}),
                2 => json!({"since": "version 3"}),
                _ => json!({"message": "No longer \"supported\" <b>at all</b>."}),
            };
            traits.insert("smithy.api#deprecated".into(), deprecated);
        }
    }

    // ---- shapes --------------------------------------------------------------------------

    fn add(&mut self, id: &str, kind: Kind, shape: Value, values: Vec<Value>) {
        self.shapes.insert(id.to_string(), shape);
        self.infos.push(Info {
            id: id.to_string(),
            kind,
            values,
        });
    }

    /// One shape of each simple type (two strings), plus enums and intEnums.
    fn simple_shapes(&mut self) {
        for (kind, type_name) in SIMPLE {
            let copies = if kind == Kind::String { 2 } else { 1 };
            for _ in 0..copies {
                let id = self.shape_id(SHAPE_NAMES, false);
                let mut traits = Map::new();
                self.docs(&mut traits);
                if kind == Kind::StreamingBlob {
                    traits.insert("smithy.api#streaming".into(), json!({}));
                }
                if kind == Kind::Timestamp && self.rng.chance(40) {
                    let format = self.timestamp_format();
                    traits.insert("smithy.api#timestampFormat".into(), format);
                }
                if kind == Kind::String && self.rng.chance(20) {
                    traits.insert("smithy.api#sensitive".into(), json!({}));
                }
                let shape = json!({"type": type_name, "traits": traits});
                self.add(&id, kind, shape, Vec::new());
            }
        }
        for _ in 0..self.rng.range(1, 2) {
            self.string_enum();
        }
        self.int_enum();
        let string = self.of_kind(Kind::String);
        let list_id = self.shape_id(SHAPE_NAMES, false);
        let list = json!({"type": "list", "member": {"target": string}});
        self.add(&list_id, Kind::List, list, Vec::new());
        self.string_list = list_id;
        let map_id = self.shape_id(SHAPE_NAMES, false);
        let map = json!({"type": "map", "key": {"target": string}, "value": {"target": string}});
        self.add(&map_id, Kind::Map, map, Vec::new());
        self.string_map = map_id;
    }

    fn timestamp_format(&mut self) -> Value {
        json!(self.rng.pick(&["date-time", "http-date", "epoch-seconds"]))
    }

    fn string_enum(&mut self) {
        let id = self.shape_id(SHAPE_NAMES, true);
        let mut members = Members::default();
        let mut values = BTreeSet::new();
        for _ in 0..self.rng.range(1, 4) {
            let name = self.member_name(&mut members, VARIANT_NAMES);
            let mut traits = Map::new();
            self.docs(&mut traits);
            let value = if self.rng.chance(60) {
                self.rng.pick(ENUM_VALUES).to_string()
            } else {
                name.clone()
            };
            // Enum values must be unique; a member without `@enumValue` has its name as value.
            let value = if values.contains(&value) {
                name.clone()
            } else {
                value
            };
            if !values.insert(value.clone()) {
                members.members.remove(&name);
                continue;
            }
            if value != name || self.rng.chance(50) {
                traits.insert("smithy.api#enumValue".into(), json!(value));
            }
            members
                .members
                .insert(name, json!({"target": UNIT, "traits": traits}));
        }
        let mut traits = Map::new();
        self.docs(&mut traits);
        let shape = json!({"type": "enum", "members": members.members, "traits": traits});
        let values = values.into_iter().map(Value::String).collect();
        self.add(&id, Kind::Enum, shape, values);
    }

    fn int_enum(&mut self) {
        let id = self.shape_id(SHAPE_NAMES, true);
        let mut members = Members::default();
        let mut values = BTreeSet::new();
        let candidates = [0i64, 1, -1, 2, 100, i32::MAX as i64, i32::MIN as i64];
        for _ in 0..self.rng.range(1, 4) {
            let value = *self.rng.pick(&candidates);
            if !values.insert(value) {
                continue;
            }
            let name = self.member_name(&mut members, VARIANT_NAMES);
            let mut traits = Map::new();
            traits.insert("smithy.api#enumValue".into(), json!(value));
            self.docs(&mut traits);
            members
                .members
                .insert(name, json!({"target": UNIT, "traits": traits}));
        }
        let shape = json!({"type": "intEnum", "members": members.members});
        let values = values.into_iter().map(|v| json!(v)).collect();
        self.add(&id, Kind::IntEnum, shape, values);
    }

    /// Structures, unions, lists and maps; declared first so members can refer to any of them
    /// (recursion through structures, unions, lists and maps).
    fn aggregates(&mut self) {
        let start = self.infos.len();
        for _ in 0..self.rng.range(3, 7) {
            let kind = *self.rng.pick(&[
                Kind::Structure,
                Kind::Structure,
                Kind::Structure,
                Kind::Union,
                Kind::Union,
                Kind::List,
                Kind::Map,
            ]);
            let id = self.shape_id(SHAPE_NAMES, true);
            self.add(&id, kind, Value::Null, Vec::new());
        }
        for index in start..self.infos.len() {
            let info = self.infos[index].clone();
            let shape = match info.kind {
                Kind::Structure => {
                    let mut members = Members::default();
                    for _ in 0..self.rng.range(0, 5) {
                        self.body_member(&mut members, index, true);
                    }
                    self.structure(members, Map::new())
                }
                Kind::Union => self.union(index),
                Kind::List => {
                    let mut traits = Map::new();
                    if self.rng.chance(25) {
                        traits.insert("smithy.api#sparse".into(), json!({}));
                    }
                    self.docs(&mut traits);
                    let member = self.element_target(index);
                    json!({"type": "list", "member": {"target": member}, "traits": traits})
                }
                _ => {
                    let mut traits = Map::new();
                    if self.rng.chance(25) {
                        traits.insert("smithy.api#sparse".into(), json!({}));
                    }
                    let key = if self.rng.chance(25) {
                        self.of_kind(Kind::Enum)
                    } else {
                        self.of_kind(Kind::String)
                    };
                    let value = self.element_target(index);
                    json!({"type": "map", "key": {"target": key}, "value": {"target": value}, "traits": traits})
                }
            };
            self.shapes.insert(info.id.clone(), shape);
        }
    }

    fn structure(&mut self, members: Members, mut traits: Map<String, Value>) -> Value {
        self.docs(&mut traits);
        json!({"type": "structure", "members": members.members, "traits": traits})
    }

    fn union(&mut self, index: usize) -> Value {
        let mut members = Members::default();
        for i in 0..self.rng.range(1, 4) {
            let name = self.member_name(&mut members, VARIANT_NAMES);
            // The first member is never recursive, so the union has a finite value.
            let target = if i == 0 {
                self.simple_target()
            } else if self.rng.chance(20) {
                UNIT.to_string()
            } else {
                self.any_target(index)
            };
            let mut traits = Map::new();
            self.docs(&mut traits);
            self.json_name(&mut members, &name, &mut traits);
            members
                .members
                .insert(name, json!({"target": target, "traits": traits}));
        }
        let mut traits = Map::new();
        self.docs(&mut traits);
        json!({"type": "union", "members": members.members, "traits": traits})
    }

    fn of_kind(&mut self, kind: Kind) -> String {
        let ids: Vec<String> = self
            .infos
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.id.clone())
            .collect();
        self.rng.pick(&ids).clone()
    }

    /// A simple (non-aggregate, non-streaming) target.
    fn simple_target(&mut self) -> String {
        let ids: Vec<String> = self
            .infos
            .iter()
            .filter(|i| {
                !matches!(
                    i.kind,
                    Kind::StreamingBlob | Kind::Structure | Kind::Union | Kind::List | Kind::Map
                )
            })
            .map(|i| i.id.clone())
            .collect();
        self.rng.pick(&ids).clone()
    }

    /// Any target a structure member may have (not a streaming blob).
    fn any_target(&mut self, _owner: usize) -> String {
        if self.rng.chance(45) {
            return self.simple_target();
        }
        let ids: Vec<String> = self
            .infos
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    Kind::Structure | Kind::Union | Kind::List | Kind::Map
                )
            })
            .map(|i| i.id.clone())
            .collect();
        self.rng.pick(&ids).clone()
    }

    /// A list member or map value: simple, a structure or union (recursion allowed), or a
    /// list or map declared before `owner` (a collection cycle must pass through a structure).
    fn element_target(&mut self, owner: usize) -> String {
        if self.rng.chance(50) {
            return self.simple_target();
        }
        let ids: Vec<String> = self
            .infos
            .iter()
            .enumerate()
            .filter(|(i, info)| match info.kind {
                Kind::Structure | Kind::Union => true,
                Kind::List | Kind::Map => *i < owner,
                _ => false,
            })
            .map(|(_, info)| info.id.clone())
            .collect();
        if ids.is_empty() {
            return self.simple_target();
        }
        self.rng.pick(&ids).clone()
    }

    fn info(&self, id: &str) -> Info {
        self.infos
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .unwrap_or_else(|| unreachable!("{id} was generated"))
    }

    /// A JSON-body member of a structure at `owner` (an index into `infos`).
    fn body_member(&mut self, members: &mut Members, owner: usize, can_require: bool) {
        let name = self.member_name(members, MEMBER_NAMES);
        let target = self.any_target(owner);
        let info = self.info(&target);
        let index = self.infos.iter().position(|i| i.id == target).unwrap_or(0);
        let mut traits = Map::new();
        self.docs(&mut traits);
        self.json_name(members, &name, &mut traits);
        // A required structure member only points back to shapes declared before its owner,
        // so a cycle of required members (a value of infinite size) cannot arise.
        let aggregate = matches!(info.kind, Kind::Structure | Kind::Union);
        if can_require && (!aggregate || index < owner) && self.rng.chance(30) {
            traits.insert("smithy.api#required".into(), json!({}));
        }
        if let Some(default) = self.default_for(&info) {
            traits.insert("smithy.api#default".into(), default);
        }
        if info.kind == Kind::Timestamp && self.rng.chance(30) {
            let format = self.timestamp_format();
            traits.insert("smithy.api#timestampFormat".into(), format);
        }
        members
            .members
            .insert(name, json!({"target": target, "traits": traits}));
    }

    /// Sometimes a `@jsonName`, unique among the JSON keys of the shape.
    fn json_name(&mut self, members: &mut Members, name: &str, traits: &mut Map<String, Value>) {
        let keys = [
            "with space",
            "quote\"d",
            "back\\slash",
            "$ref",
            "#hash",
            "ünï",
            "type",
            "self",
            "Foo",
        ];
        if self.rng.chance(15) {
            let key = self.rng.pick(&keys).to_string();
            // The key must not be another member's name or key (ignoring case for names).
            if !members.lower.contains(&key.to_lowercase()) && members.keys.insert(key.clone()) {
                traits.insert("smithy.api#jsonName".into(), json!(key));
                return;
            }
        }
        members.keys.insert(name.to_string());
    }

    /// Sometimes a `@default` of the right type for the target.
    fn default_for(&mut self, info: &Info) -> Option<Value> {
        if !self.rng.chance(25) {
            return None;
        }
        let value = match info.kind {
            Kind::String => json!(self.rng.pick(&["", "x", "\"quoted\"", "ünï"])),
            Kind::Blob => json!(self.rng.pick(&["", "aGVsbG8="])),
            Kind::Boolean => json!(self.rng.chance(50)),
            Kind::Byte => json!(self.rng.pick(&[0, -128, 127])),
            Kind::Short => json!(self.rng.pick(&[0, -1, 32767])),
            Kind::Integer => json!(self.rng.pick(&[0, 1, -7, i32::MAX])),
            Kind::Long => json!(self.rng.pick(&[0i64, -1, i64::MAX])),
            Kind::Float | Kind::Double => json!(self.rng.pick(&[0.0, 1.5, -2.25])),
            Kind::BigInteger => json!(self.rng.pick(&[0, 123_456])),
            Kind::BigDecimal => json!(self.rng.pick(&[0.0, 1.5])),
            Kind::Timestamp => json!(self.rng.pick(&[0, 1_700_000_000])),
            Kind::Document => self
                .rng
                .pick(&[json!(true), json!("x"), json!([]), json!({})])
                .clone(),
            Kind::Enum | Kind::IntEnum => self.rng.pick(&info.values).clone(),
            Kind::List => json!([]),
            Kind::Map => json!({}),
            Kind::Structure | Kind::Union | Kind::StreamingBlob => return None,
        };
        Some(value)
    }

    /// A target allowed for labels, queries and headers (`list` allowed for the latter two).
    fn binding_target(&mut self, allow_list: bool) -> String {
        let mut kinds = vec![
            Kind::String,
            Kind::String,
            Kind::Integer,
            Kind::Long,
            Kind::Boolean,
            Kind::Enum,
            Kind::Timestamp,
            Kind::Byte,
            Kind::Short,
            Kind::Double,
        ];
        if allow_list {
            kinds.push(Kind::List);
        }
        match *self.rng.pick(&kinds) {
            Kind::List => self.string_list.clone(),
            kind => self.of_kind(kind),
        }
    }

    fn bound_member(&mut self, members: &mut Members, trait_id: &str, value: Value, target: &str) {
        let name = self.member_name(members, MEMBER_NAMES);
        let mut traits = Map::new();
        traits.insert(trait_id.into(), value);
        self.docs(&mut traits);
        let info = self.info(target);
        if trait_id == "smithy.api#httpLabel" || self.rng.chance(20) {
            traits.insert("smithy.api#required".into(), json!({}));
        }
        if trait_id != "smithy.api#httpLabel" {
            if let Some(default) = self.default_for(&info) {
                traits.insert("smithy.api#default".into(), default);
            }
        }
        members.keys.insert(name.clone());
        members
            .members
            .insert(name, json!({"target": target, "traits": traits}));
    }

    fn header(&mut self, members: &mut Members) {
        let name = if self.rng.chance(60) {
            self.rng.pick(HEADER_NAMES).to_string()
        } else {
            format!("X-H{}", self.rng.below(100))
        };
        if members.headers.insert(name.to_lowercase()) {
            let target = self.binding_target(true);
            self.bound_member(members, "smithy.api#httpHeader", json!(name), &target);
        }
    }

    fn prefix_headers(&mut self, members: &mut Members) {
        let target = self.string_map.clone();
        self.bound_member(
            members,
            "smithy.api#httpPrefixHeaders",
            json!("X-Pfx-"),
            &target,
        );
    }

    fn payload(&mut self, members: &mut Members) {
        let name = self.member_name(members, MEMBER_NAMES);
        let kinds: Vec<Kind> = [
            Kind::Structure,
            Kind::Union,
            Kind::Blob,
            Kind::String,
            Kind::StreamingBlob,
        ]
        .into_iter()
        .filter(|k| self.infos.iter().any(|i| i.kind == *k))
        .collect();
        let kind = *self.rng.pick(&kinds);
        let target = self.of_kind(kind);
        let mut traits = Map::new();
        traits.insert("smithy.api#httpPayload".into(), json!({}));
        self.docs(&mut traits);
        if kind == Kind::StreamingBlob {
            // A streaming member must be required or have a default.
            if self.rng.chance(50) {
                traits.insert("smithy.api#required".into(), json!({}));
            } else {
                traits.insert("smithy.api#default".into(), json!(""));
            }
        } else if kind != Kind::Structure && kind != Kind::Union && self.rng.chance(20) {
            traits.insert("smithy.api#required".into(), json!({}));
        }
        members.keys.insert(name.clone());
        members
            .members
            .insert(name, json!({"target": target, "traits": traits}));
    }

    fn input(&mut self, op: &str, index: usize, body: bool) -> (String, String) {
        let mut uri = format!("/o{index}");
        let pool = [
            format!("{op}Input"),
            format!("{op}Request"),
            format!("{op}Output"),
        ];
        let pool: Vec<&str> = pool
            .iter()
            .map(String::as_str)
            .chain(SHAPE_NAMES.iter().copied())
            .collect();
        let id = self.shape_id(&pool, false);
        let mut members = Members::default();
        let owner = self.infos.len();
        if self.rest {
            for _ in 0..self.rng.range(0, 2) {
                let target = self.binding_target(false);
                let before: BTreeSet<String> = members.members.keys().cloned().collect();
                self.bound_member(&mut members, "smithy.api#httpLabel", json!({}), &target);
                if let Some(name) = members.members.keys().find(|k| !before.contains(*k)) {
                    if self.rng.chance(30) {
                        uri.push_str("/lit-eral");
                    }
                    uri.push_str(&format!("/{{{name}}}"));
                }
            }
            if self.rng.chance(20) {
                let target = self.of_kind(Kind::String);
                let before: BTreeSet<String> = members.members.keys().cloned().collect();
                self.bound_member(&mut members, "smithy.api#httpLabel", json!({}), &target);
                if let Some(name) = members.members.keys().find(|k| !before.contains(*k)) {
                    uri.push_str(&format!("/{{{name}+}}"));
                }
            }
            for _ in 0..self.rng.range(0, 3) {
                let key = self.rng.pick(QUERY_NAMES).to_string();
                if members.queries.insert(key.clone()) {
                    let target = self.binding_target(true);
                    self.bound_member(&mut members, "smithy.api#httpQuery", json!(key), &target);
                }
            }
            for _ in 0..self.rng.range(0, 2) {
                self.header(&mut members);
            }
            if self.rng.chance(15) {
                self.prefix_headers(&mut members);
            }
        }
        if body || !self.rest {
            if self.rest && self.rng.chance(35) {
                self.payload(&mut members);
            } else {
                for _ in 0..self.rng.range(0, 4) {
                    self.body_member(&mut members, owner, true);
                }
            }
        }
        let mut traits = Map::new();
        traits.insert("smithy.api#input".into(), json!({}));
        let shape = self.structure(members, traits);
        self.shapes.insert(id.clone(), shape);
        (id, uri)
    }

    fn output(&mut self, op: &str) -> String {
        let pool = [
            format!("{op}Output"),
            format!("{op}Response"),
            format!("{op}Input"),
        ];
        let pool: Vec<&str> = pool
            .iter()
            .map(String::as_str)
            .chain(SHAPE_NAMES.iter().copied())
            .collect();
        let id = self.shape_id(&pool, false);
        let mut members = Members::default();
        let owner = self.infos.len();
        if self.rest {
            for _ in 0..self.rng.range(0, 2) {
                self.header(&mut members);
            }
            if self.rng.chance(10) {
                self.prefix_headers(&mut members);
            }
            if self.rng.chance(20) {
                let target = self.of_kind(Kind::Integer);
                self.bound_member(
                    &mut members,
                    "smithy.api#httpResponseCode",
                    json!({}),
                    &target,
                );
            }
        }
        if self.rest && self.rng.chance(30) {
            self.payload(&mut members);
        } else {
            for _ in 0..self.rng.range(0, 4) {
                self.body_member(&mut members, owner, true);
            }
        }
        let mut traits = Map::new();
        traits.insert("smithy.api#output".into(), json!({}));
        let shape = self.structure(members, traits);
        self.shapes.insert(id.clone(), shape);
        id
    }

    fn error(&mut self) -> String {
        let pool: Vec<&str> = [
            "Unhandled",
            "SdkError",
            "Error",
            "ErrorMetadata",
            "BuildError",
            "ValidationException",
            "FooError",
        ]
        .into_iter()
        .chain(SHAPE_NAMES.iter().copied())
        .collect();
        let id = self.shape_id(&pool, false);
        let mut members = Members::default();
        let owner = self.infos.len();
        if self.rng.chance(60) {
            let name = if self.rng.chance(80) {
                "message"
            } else {
                "Message"
            };
            members.lower.insert(name.to_lowercase());
            members.keys.insert(name.to_string());
            let target = match self.rng.below(5) {
                0 => self.of_kind(Kind::Integer),
                1 => self.of_kind(Kind::Enum),
                _ => self.of_kind(Kind::String),
            };
            let mut traits = Map::new();
            if self.rng.chance(20) {
                traits.insert("smithy.api#required".into(), json!({}));
            }
            members
                .members
                .insert(name.into(), json!({"target": target, "traits": traits}));
        }
        if self.rest && self.rng.chance(20) {
            self.header(&mut members);
        }
        for _ in 0..self.rng.range(0, 3) {
            self.body_member(&mut members, owner, true);
        }
        let client = self.rng.chance(60);
        let mut traits = Map::new();
        traits.insert(
            "smithy.api#error".into(),
            json!(if client { "client" } else { "server" }),
        );
        if self.rng.chance(50) {
            let code = if client {
                400 + self.rng.below(30)
            } else {
                500 + self.rng.below(4)
            };
            traits.insert("smithy.api#httpError".into(), json!(code));
        }
        let shape = self.structure(members, traits);
        self.shapes.insert(id.clone(), shape);
        id
    }

    fn operation(&mut self, index: usize, errors: &[String]) -> String {
        let name = self.shape_name(OPERATION_NAMES);
        let id = format!("{NAMESPACE}#{name}");
        let method = *self.rng.pick(&["GET", "PUT", "POST", "DELETE", "PATCH"]);
        let body = matches!(method, "PUT" | "POST" | "PATCH");
        let mut shape = Map::new();
        shape.insert("type".into(), json!("operation"));
        let uri = if self.rng.chance(85) {
            let (input, uri) = self.input(&name, index, body);
            shape.insert("input".into(), json!({"target": input}));
            uri
        } else {
            format!("/o{index}")
        };
        if self.rng.chance(80) {
            let output = self.output(&name);
            shape.insert("output".into(), json!({"target": output}));
        }
        if !errors.is_empty() && self.rng.chance(65) {
            let mut chosen: Vec<Value> = Vec::new();
            for error in errors {
                if self.rng.chance(60) || chosen.is_empty() {
                    chosen.push(json!({"target": error}));
                }
            }
            shape.insert("errors".into(), Value::Array(chosen));
        }
        let mut traits = Map::new();
        self.docs(&mut traits);
        if self.rest {
            let mut http = json!({"method": method, "uri": uri});
            if self.rng.chance(20) {
                http["code"] = json!(self.rng.pick(&[200, 201, 202]));
            }
            traits.insert("smithy.api#http".into(), http);
        }
        shape.insert("traits".into(), Value::Object(traits));
        self.shapes.insert(id.clone(), Value::Object(shape));
        id
    }

    fn service(&mut self, operations: Vec<Value>, errors: &[String]) {
        let name = self.shape_name(&["Client", "Service", "Config", "Option", "Weather", "Self"]);
        let mut traits = Map::new();
        let protocol = if self.rest {
            "aws.protocols#restJson1"
        } else if self.protocols.chance(50) {
            "aws.protocols#awsJson1_1"
        } else if self.protocols.chance(60) {
            *self.protocols.pick(&[
                "aws.protocols#awsJson1_0",
                "smithy.protocols#rpcv2Cbor",
                "smithy.protocols#rpcv2Json",
            ])
        } else {
            *self
                .protocols
                .pick(&["aws.protocols#awsQuery", "aws.protocols#ec2Query"])
        };
        traits.insert(protocol.into(), json!({}));
        self.docs(&mut traits);
        if self.rng.chance(50) {
            let sdk_id = *self.rng.pick(&[
                "My Service",
                "Type-Svc",
                "self",
                "2Fast Service",
                "Client",
                "ünï",
            ]);
            traits.insert("aws.api#service".into(), json!({"sdkId": sdk_id}));
        }
        if self.rng.chance(30) {
            traits.insert("aws.auth#sigv4".into(), json!({"name": "fuzz"}));
        }
        let mut service = json!({
            "type": "service",
            "version": "2024-01-01",
            "operations": operations,
            "traits": traits,
        });
        if !self.rename.is_empty() {
            service["rename"] = Value::Object(self.rename.clone());
        }
        if !errors.is_empty() && self.rng.chance(20) {
            service["errors"] = json!([{"target": errors[0]}]);
        }
        self.shapes.insert(format!("{NAMESPACE}#{name}"), service);
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A crude snake_case (good enough to make colliding names; the generator has the real one).
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A crude lowerCamelCase.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        name.to_string()
    } else {
        out
    }
}

/// A Smithy identifier: `(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*`.
pub fn is_identifier(name: &str) -> bool {
    let rest = name.trim_start_matches('_');
    let Some(first) = rest.chars().next() else {
        return false;
    };
    let starts = if rest.len() == name.len() {
        first.is_ascii_alphabetic()
    } else {
        first.is_ascii_alphanumeric()
    };
    starts && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks the Smithy rules a random model must keep that the generator's loader does not
/// check itself: names unique ignoring case (members in a shape, shape names in the closure
/// after `rename`), HTTP bindings (labels required and in the URI, one payload, a payload
/// excluding other body members, no body on GET/DELETE, unique header and query names), and
/// unique JSON keys.
pub fn check_model(model: &Value) -> Result<(), String> {
    let shapes = model["shapes"].as_object().ok_or("no shapes")?;
    let service = shapes
        .values()
        .find(|s| s["type"] == "service")
        .ok_or("no service")?;
    let rename = service["rename"].as_object().cloned().unwrap_or_default();
    let mut names = BTreeSet::new();
    for id in shapes.keys() {
        let name = match rename.get(id).and_then(Value::as_str) {
            Some(new_name) => new_name.to_string(),
            None => id.split('#').nth(1).unwrap_or_default().to_string(),
        };
        if !is_identifier(&name) {
            return Err(format!("{id}: `{name}` is not an identifier"));
        }
        if !names.insert(name.to_lowercase()) {
            return Err(format!(
                "{id}: shape name `{name}` is used twice (ignoring case)"
            ));
        }
    }
    for (id, shape) in shapes {
        let members = shape["members"].as_object().cloned().unwrap_or_default();
        let mut lower = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (name, member) in &members {
            if !is_identifier(name) || !lower.insert(name.to_lowercase()) {
                return Err(format!("{id}: member `{name}` is invalid or duplicated"));
            }
            let key = member["traits"]["smithy.api#jsonName"]
                .as_str()
                .unwrap_or(name);
            if !keys.insert(key.to_string()) {
                return Err(format!("{id}: JSON key `{key}` is used twice"));
            }
        }
        if shape["type"] == "operation" {
            check_operation(id, shape, shapes)?;
        }
    }
    Ok(())
}

fn check_operation(id: &str, op: &Value, shapes: &Map<String, Value>) -> Result<(), String> {
    let Some(http) = op["traits"].get("smithy.api#http") else {
        return Ok(());
    };
    let uri = http["uri"].as_str().unwrap_or_default();
    let method = http["method"].as_str().unwrap_or_default();
    let input = op["input"]["target"].as_str().and_then(|t| shapes.get(t));
    let members = input
        .and_then(|s| s["members"].as_object().cloned())
        .unwrap_or_default();
    let labels: Vec<&str> = uri
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|s| s.trim_end_matches('+'))
        .collect();
    let mut payloads = 0;
    let mut body = 0;
    let mut headers = BTreeSet::new();
    for (name, member) in &members {
        let traits = &member["traits"];
        if traits.get("smithy.api#httpLabel").is_some() {
            if traits.get("smithy.api#required").is_none() || !labels.contains(&name.as_str()) {
                return Err(format!(
                    "{id}: label `{name}` must be required and in `{uri}`"
                ));
            }
        } else if traits.get("smithy.api#httpPayload").is_some() {
            payloads += 1;
        } else if let Some(header) = traits.get("smithy.api#httpHeader").and_then(Value::as_str) {
            if !headers.insert(header.to_lowercase()) {
                return Err(format!("{id}: header `{header}` is bound twice"));
            }
        } else if traits.get("smithy.api#httpQuery").is_none()
            && traits.get("smithy.api#httpPrefixHeaders").is_none()
        {
            body += 1;
        }
    }
    if let Some(label) = labels.iter().find(|l| !members.contains_key(**l)) {
        return Err(format!("{id}: `{uri}` has no member for label `{label}`"));
    }
    if payloads > 1 || (payloads == 1 && body > 0) {
        return Err(format!("{id}: a payload must be the only body member"));
    }
    if matches!(method, "GET" | "DELETE") && payloads + body > 0 {
        return Err(format!("{id}: {method} has a body"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_reproduces_its_model() {
        assert_eq!(random_model(42), random_model(42));
        assert_ne!(random_model(42), random_model(43));
    }

    #[test]
    fn identifiers_follow_the_smithy_grammar() {
        assert!(is_identifier("_1abc"));
        assert!(is_identifier("a"));
        assert!(!is_identifier("1abc"));
        assert!(!is_identifier("__"));
        assert!(!is_identifier("r#type"));
    }
}
