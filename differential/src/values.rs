//! Seeded random operation inputs from a Smithy model, in the protocol tests' `params`
//! convention (the one the generator's request cases read): member names as keys, timestamps
//! as epoch seconds (milliseconds at most), blobs as UTF-8 text, floats as numbers or the
//! `NaN` / `Infinity` / `-Infinity` spellings, big numbers as strings.
//!
//! Inputs stay within the model's `@length` and `@range`; a string with a `@pattern` gets a
//! plain alphanumeric value half the time and any text otherwise (neither side validates
//! patterns, and most AWS strings have one: honouring them always would keep every hazard out
//! of labels, queries and headers); enums take their values; required members are always present and `@httpLabel`
//! strings are never empty. Recursion stops at [`MAX_DEPTH`]: below it only required members
//! are set.

use serde_json::{json, Map, Value};
use smithy_gen::model::traits::TimestampFormat;
use smithy_gen::model::{Member, Model, ShapeId, ShapeKind, Traits};
use smithy_model_fuzz::rng::Rng;

/// Nesting depth from which optional members are left out and lists, maps and documents are
/// empty (the default; [`Inputs::max_depth`]).
pub const MAX_DEPTH: usize = 4;

/// Where a string is sent, which decides the characters it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A body, a query string or a path label: any text.
    Free,
    /// An HTTP header value: no control characters.
    Header,
    /// A host label or a header name (prefix headers): lowercase letters and digits.
    Token,
}

/// Characters that need escaping somewhere (paths, queries, headers, JSON, XML), and text
/// beyond ASCII.
const HAZARDS: [&str; 30] = [
    " ", "/", "?", "&", "=", "+", "%", "#", ":", ";", ",", "\"", "'", "\\", "<", ">", "[", "]",
    "{", "}", "*", "~", "@", "$", "é", "日本", "😀", "\u{a0}", "ü", "\u{2028}",
];

/// Control characters for bodies only.
const CONTROLS: [&str; 4] = ["\n", "\t", "\r", "\u{1}"];

/// A random input generator over one model.
pub struct Inputs<'a> {
    model: &'a Model,
    rng: Rng,
    /// Writing an operation output (see [`Inputs::output`]) rather than an input.
    output: bool,
    /// The value goes into an XML document: no control character XML 1.0 cannot carry.
    xml: bool,
    /// Nesting depth from which optional members are left out ([`MAX_DEPTH`] by default).
    max_depth: usize,
}

impl<'a> Inputs<'a> {
    /// A generator for `model` seeded with `seed`.
    pub fn new(model: &'a Model, seed: u64) -> Self {
        Inputs {
            model,
            rng: Rng::new(seed),
            output: false,
            xml: false,
            max_depth: MAX_DEPTH,
        }
    }

    /// Optional members nested `depth` deep or deeper are left out, and lists, maps and
    /// documents there are empty (default [`MAX_DEPTH`]). Deeper values reach members the
    /// default leaves out, such as EC2's `@ec2QueryName`s inside list items inside list items.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Values for an XML document (restXml, awsQuery, ec2Query responses): strings hold only
    /// the control characters XML 1.0 can carry (tab, line feed, carriage return).
    pub fn for_xml(mut self, xml: bool) -> Self {
        self.xml = xml;
        self
    }

    /// A random value of the output structure `output` of an operation (or of an error
    /// structure), for the response phase: members that are `@required` or carry a
    /// `@default` are always set (a parser fills an absent default, botocore leaves it out:
    /// not a difference worth a case), an `@httpResponseCode` member holds a 2xx status,
    /// header strings stay within visible ASCII (header bytes beyond it have no agreed
    /// decoding) and timestamps sent as `http-date` have whole seconds (the format has no
    /// fraction).
    pub fn output(&mut self, output: &ShapeId) -> Value {
        self.output = true;
        let value = if output.is_unit() {
            json!({})
        } else {
            self.value(output, &Traits::default(), Place::Free, 0)
        };
        self.output = false;
        value
    }

    /// A random value of the input structure `input` of an operation.
    pub fn input(&mut self, input: &ShapeId) -> Value {
        if input.is_unit() {
            return json!({});
        }
        self.value(input, &Traits::default(), Place::Free, 0)
    }

    fn shape_kind(&self, id: &ShapeId) -> Option<&'a ShapeKind> {
        self.model.get(id).map(|s| &s.kind)
    }

    fn shape_traits(&self, id: &ShapeId) -> Traits {
        self.model
            .get(id)
            .map(|s| s.traits.clone())
            .unwrap_or_default()
    }

    /// A value of `target`; `member` are the traits of the member that points at it.
    fn value(&mut self, target: &ShapeId, member: &Traits, place: Place, depth: usize) -> Value {
        let Some(kind) = self.shape_kind(target) else {
            return Value::Null;
        };
        let traits = merged(&self.shape_traits(target), member);
        match kind {
            ShapeKind::Structure(members) => self.structure(members, depth),
            ShapeKind::Union(members) => self.union(members, depth),
            ShapeKind::List(item) => self.list(item, &traits, place, depth),
            ShapeKind::Map(key, value) => self.map(key, value, &traits, place, depth),
            ShapeKind::String => Value::String(self.string(&traits, place)),
            ShapeKind::Enum(members) => Value::String(self.pick_enum(members)),
            ShapeKind::IntEnum(members) => {
                let values: Vec<i64> = members
                    .iter()
                    .filter_map(|m| m.traits.enum_value().and_then(Value::as_i64))
                    .collect();
                json!(values
                    .get(self.rng.below(values.len()))
                    .copied()
                    .unwrap_or(0))
            }
            ShapeKind::Boolean => json!(self.rng.chance(50)),
            ShapeKind::Byte => json!(self.integer(&traits, i8::MIN as i64, i8::MAX as i64)),
            ShapeKind::Short => json!(self.integer(&traits, i16::MIN as i64, i16::MAX as i64)),
            ShapeKind::Integer => json!(self.integer(&traits, i32::MIN as i64, i32::MAX as i64)),
            ShapeKind::Long => json!(self.integer(&traits, i64::MIN, i64::MAX)),
            ShapeKind::Float => self.float(&traits, true),
            ShapeKind::Double => self.float(&traits, false),
            ShapeKind::BigInteger => Value::String(format!("{}", self.rng.next_u64())),
            ShapeKind::BigDecimal => {
                Value::String(format!("{}.{}", self.rng.below(1000), self.rng.below(1000)))
            }
            ShapeKind::Timestamp => {
                let whole = self.output
                    && match traits.timestamp_format() {
                        Some(format) => format == TimestampFormat::HttpDate,
                        None => place != Place::Free,
                    };
                if whole {
                    json!((self.rng.next_u64() % 4_102_444_800) as i64)
                } else {
                    self.timestamp()
                }
            }
            ShapeKind::Blob => Value::String(self.string(&traits, Place::Free)),
            ShapeKind::Document => self.document(depth),
            _ => Value::Null,
        }
    }

    fn structure(&mut self, members: &[Member], depth: usize) -> Value {
        let mut object = Map::new();
        for member in members {
            let required = member.traits.required() || member.traits.http_label();
            let always = required || (self.output && has_default(self.model, member));
            let wanted = always || (depth < self.max_depth && self.rng.chance(60));
            if !wanted || skipped(self.model, member) {
                continue;
            }
            let place = place_of(member);
            let mut value = if self.output && member.traits.http_response_code() {
                json!(*self.rng.pick(&[200, 201, 202, 203, 206]))
            } else if member.traits.http_label() {
                self.label(member, place)
            } else {
                self.value(&member.target, &member.traits, place, depth + 1)
            };
            // A required document is never null (null is how an unset member is written).
            if value.is_null() && required {
                value = json!({});
            }
            if !value.is_null() {
                object.insert(member.name.clone(), value);
            }
        }
        Value::Object(object)
    }

    /// A label: never empty (a greedy label may hold `/`, but not as its first or last
    /// character nor twice in a row, which would make an ambiguous path).
    fn label(&mut self, member: &Member, place: Place) -> Value {
        let value = self.value(&member.target, &member.traits, place, 1);
        match value {
            Value::String(s)
                if s.is_empty() || s.starts_with('/') || s.ends_with('/') || s.contains("//") =>
            {
                Value::String(format!("x{}", s.replace('/', "-")))
            }
            other => other,
        }
    }

    fn union(&mut self, members: &[Member], depth: usize) -> Value {
        let usable: Vec<&Member> = members.iter().filter(|m| !skipped(self.model, m)).collect();
        if usable.is_empty() {
            return Value::Null;
        }
        let member = usable[self.rng.below(usable.len())];
        let value = if member.target.is_unit() {
            json!({})
        } else {
            self.value(&member.target, &member.traits, Place::Free, depth + 1)
        };
        let mut object = Map::new();
        object.insert(member.name.clone(), value);
        Value::Object(object)
    }

    fn list(&mut self, item: &Member, traits: &Traits, place: Place, depth: usize) -> Value {
        let (min, max) = length(traits, 0, if depth < self.max_depth { 3 } else { 0 });
        let count = self.rng.range(min, max.max(min));
        let items = (0..count)
            .map(|_| self.value(&item.target, &item.traits, place, depth + 1))
            .filter(|v| !v.is_null())
            .collect();
        Value::Array(items)
    }

    fn map(
        &mut self,
        key: &Member,
        value: &Member,
        traits: &Traits,
        place: Place,
        depth: usize,
    ) -> Value {
        let (min, max) = length(traits, 0, if depth < self.max_depth { 3 } else { 0 });
        let count = self.rng.range(min, max.max(min));
        let key_place = if place == Place::Free {
            Place::Free
        } else {
            Place::Token
        };
        let mut object = Map::new();
        for _ in 0..count * 2 {
            if object.len() >= count {
                break;
            }
            let Value::String(k) = self.value(&key.target, &key.traits, key_place, depth + 1)
            else {
                break;
            };
            let v = self.value(&value.target, &value.traits, place, depth + 1);
            if !v.is_null() {
                object.insert(k, v);
            }
        }
        Value::Object(object)
    }

    fn pick_enum(&mut self, members: &[Member]) -> String {
        let values: Vec<String> = members
            .iter()
            .map(|m| {
                m.traits
                    .enum_value()
                    .and_then(Value::as_str)
                    .map_or_else(|| m.name.clone(), str::to_string)
            })
            .collect();
        values
            .get(self.rng.below(values.len()))
            .cloned()
            .unwrap_or_default()
    }

    fn string(&mut self, traits: &Traits, place: Place) -> String {
        if let Some(values) = legacy_enum(traits) {
            return values[self.rng.below(values.len())].clone();
        }
        // A host label or header name is never empty.
        let least = usize::from(place == Place::Token);
        let (min, max) = length(traits, least, 12);
        let min = min.max(least);
        let max = max.min(min + 12);
        let count = self.rng.range(min, max);
        // Neither serializer checks `@pattern`, and most AWS strings have one: honouring it
        // always would keep every hazard out of labels, queries and headers, so a pattern is
        // honoured (with plain alphanumerics) in half the strings only.
        let plain =
            place == Place::Token || (traits.has("smithy.api#pattern") && self.rng.chance(50));
        let mut text = String::new();
        let mut chars = 0;
        while chars < count {
            let piece: String = if plain || self.rng.chance(60) {
                const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
                let c = ALNUM[self.rng.below(ALNUM.len())] as char;
                if place != Place::Token && self.rng.chance(30) {
                    c.to_ascii_uppercase().to_string()
                } else {
                    c.to_string()
                }
            } else if place == Place::Free && self.rng.chance(10) {
                match *self.rng.pick(&CONTROLS) {
                    "\u{1}" if self.xml => "\t".to_string(),
                    control => control.to_string(),
                }
            } else {
                let hazard = self.rng.pick(&HAZARDS).to_string();
                if self.output && place != Place::Free && !hazard.is_ascii() {
                    "~".to_string()
                } else {
                    hazard
                }
            };
            chars += piece.chars().count();
            text.push_str(&piece);
        }
        // `@length` counts characters; a multi-character hazard may overshoot the maximum.
        text.chars().take(max.max(min)).collect()
    }

    fn integer(&mut self, traits: &Traits, low: i64, high: i64) -> i64 {
        let (low, high) = range(traits, low, high);
        let special = [0, 1, -1, low, high];
        let candidate = if self.rng.chance(30) {
            *self.rng.pick(&special)
        } else {
            let small = self.rng.below(2000) as i64 - 1000;
            if self.rng.chance(50) {
                small
            } else {
                self.rng.next_u64() as i64
            }
        };
        if candidate < low || candidate > high {
            let span = (high as i128 - low as i128 + 1) as u128;
            (low as i128 + (self.rng.next_u64() as u128 % span) as i128) as i64
        } else {
            candidate
        }
    }

    /// A float with a short exact decimal form (so every parser reads the same value), now
    /// and then a special value.
    fn float(&mut self, traits: &Traits, single: bool) -> Value {
        if !traits.has("smithy.api#range") && self.rng.chance(5) {
            return json!(*self.rng.pick(&["NaN", "Infinity", "-Infinity"]));
        }
        let (low, high) = range(traits, -1_000_000, 1_000_000);
        // A multiple of 1/8 is exact in binary, and so in f32 and f64 alike.
        let eighths = self.rng.below(16) as f64 / 8.0;
        let whole = (low as f64 + self.rng.below((high - low).clamp(0, 1 << 20) as usize) as f64)
            .clamp(low as f64, high as f64);
        let value = if whole + eighths <= high as f64 {
            whole + eighths
        } else {
            whole
        };
        let value = if !single && self.rng.chance(20) {
            // A double with many digits: still exact in its shortest decimal form.
            [
                0.1_f64,
                1e-7,
                123_456.789,
                2.5e300,
                1.797_693_134_862_315_7e308,
            ][self.rng.below(5)]
            .clamp(low as f64, high as f64)
        } else {
            value
        };
        json!(value)
    }

    /// Epoch seconds, whole or with milliseconds, from 1970 to 2100.
    fn timestamp(&mut self) -> Value {
        let seconds = (self.rng.next_u64() % 4_102_444_800) as i64;
        if self.rng.chance(50) {
            json!(seconds)
        } else {
            let millis = self.rng.below(1000) as i64;
            // Written from text so the number is the shortest decimal of seconds.millis.
            let text = format!("{seconds}.{millis:03}");
            serde_json::from_str(&text).unwrap_or(json!(seconds))
        }
    }

    fn document(&mut self, depth: usize) -> Value {
        match self.rng.below(if depth < self.max_depth { 6 } else { 4 }) {
            0 => json!(self.rng.chance(50)),
            1 => json!(self.rng.below(1000)),
            2 => Value::String(self.string(&Traits::default(), Place::Free)),
            3 => Value::Null,
            4 => Value::Array(
                (0..self.rng.below(3))
                    .map(|_| self.document(depth + 1))
                    .collect(),
            ),
            _ => {
                let mut object = Map::new();
                for i in 0..self.rng.below(3) {
                    object.insert(format!("k{i}"), self.document(depth + 1));
                }
                Value::Object(object)
            }
        }
    }
}

/// Whether a member is left out of every input: event streams are not part of the request
/// serialization compared here.
fn skipped(model: &Model, member: &Member) -> bool {
    model
        .get(&member.target)
        .is_some_and(|shape| matches!(shape.kind, ShapeKind::Union(_)) && shape.traits.streaming())
}

/// Whether a member has a non-null `@default` (its own, else its target's; a member
/// `@default(null)` cancels the target's).
fn has_default(model: &Model, member: &Member) -> bool {
    let chosen = member.traits.default_value().or_else(|| {
        model
            .get(&member.target)
            .and_then(|t| t.traits.default_value())
    });
    chosen.is_some_and(|v| !v.is_null())
}

/// Where a member's value is sent.
fn place_of(member: &Member) -> Place {
    // A host label may be a header too (S3 Control's AccountId): the host rules win.
    if member.traits.host_label() || member.traits.http_prefix_headers().is_some() {
        Place::Token
    } else if member.traits.http_header().is_some() {
        Place::Header
    } else {
        Place::Free
    }
}

/// The member's traits over the target's (a member's constraint wins).
fn merged(shape: &Traits, member: &Traits) -> Traits {
    let mut traits = shape.clone();
    for (k, v) in &member.0 {
        traits.insert(k, v.clone());
    }
    traits
}

/// `@length` bounds, clamped to `low..=high` where the trait leaves a side open.
fn length(traits: &Traits, low: usize, high: usize) -> (usize, usize) {
    let bound = |key: &str| {
        traits
            .get("smithy.api#length")
            .and_then(|l| l.get(key))
            .and_then(Value::as_u64)
            .map(|n| n as usize)
    };
    let min = bound("min").unwrap_or(low);
    let max = bound("max").unwrap_or(high.max(min)).min(min.max(high));
    (min, max.max(min))
}

/// `@range` bounds within `low..=high`.
fn range(traits: &Traits, low: i64, high: i64) -> (i64, i64) {
    let bound = |key: &str| {
        traits
            .get("smithy.api#range")
            .and_then(|r| r.get(key))
            .and_then(Value::as_f64)
    };
    let min = bound("min").map_or(low, |m| (m.ceil() as i64).max(low));
    let max = bound("max").map_or(high, |m| (m.floor() as i64).min(high));
    (min, max.max(min))
}

/// The values of a Smithy 1.0 `@enum` string.
fn legacy_enum(traits: &Traits) -> Option<Vec<String>> {
    let values: Vec<String> = traits
        .get("smithy.api#enum")?
        .as_array()?
        .iter()
        .filter_map(|e| e.get("value").and_then(Value::as_str).map(str::to_string))
        .collect();
    (!values.is_empty()).then_some(values)
}
