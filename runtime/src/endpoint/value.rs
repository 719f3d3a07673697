//! Values: the parameter values a caller supplies ([`Value`], [`Params`]) and the richer
//! values that exist only while rules are evaluated ([`Val`]).

use std::collections::BTreeMap;
use std::fmt;

/// The value of one endpoint parameter, matching the three parameter types of the rules
/// language (`string`, `boolean`, `stringArray`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A `string` parameter value.
    String(String),
    /// A `boolean` parameter value.
    Bool(bool),
    /// A `stringArray` parameter value.
    StringArray(Vec<String>),
}

impl Value {
    /// Converts a JSON value (as found in `params` of an endpoint test case or in a parameter
    /// `default`) into a parameter value; `None` for JSON that no parameter type can hold.
    pub fn from_json(json: &serde_json::Value) -> Option<Value> {
        match json {
            serde_json::Value::String(s) => Some(Value::String(s.clone())),
            serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Value::StringArray),
            _ => None,
        }
    }

    /// The parameter type this value has.
    pub fn param_type(&self) -> ParamType {
        match self {
            Value::String(_) => ParamType::String,
            Value::Bool(_) => ParamType::Boolean,
            Value::StringArray(_) => ParamType::StringArray,
        }
    }

    pub(crate) fn to_val(&self) -> Val {
        match self {
            Value::String(s) => Val::Str(s.clone()),
            Value::Bool(b) => Val::Bool(*b),
            Value::StringArray(items) => Val::Array(items.iter().cloned().map(Val::Str).collect()),
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::String(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<Vec<String>> for Value {
    fn from(value: Vec<String>) -> Self {
        Value::StringArray(value)
    }
}

/// The declared type of an endpoint parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string` (the corpus spells it `String`).
    String,
    /// `boolean` (the corpus spells it `Boolean`).
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParamType {
    /// Parses a type name case-insensitively, because real rule sets write `String` and
    /// `Boolean` while the specification writes `string` and `boolean`.
    pub fn parse(name: &str) -> Option<ParamType> {
        match name.to_ascii_lowercase().as_str() {
            "string" => Some(ParamType::String),
            "boolean" => Some(ParamType::Boolean),
            "stringarray" => Some(ParamType::StringArray),
            _ => None,
        }
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        })
    }
}

/// Endpoint parameter values by parameter name, the input of endpoint resolution.
///
/// Parameters not set here take their rule-set `default`, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, Value>,
}

impl Params {
    /// An empty parameter map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets parameter `name` and returns `self`, for chaining.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets parameter `name`.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// The value of parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Iterates over the set parameters in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Builds parameters from a JSON object such as an endpoint test case's `params`. `null`
    /// members are treated as unset; other JSON that no parameter can hold is an error naming
    /// the parameter.
    pub fn from_json(json: &serde_json::Map<String, serde_json::Value>) -> Result<Params, String> {
        let mut params = Params::new();
        for (name, value) in json {
            if value.is_null() {
                continue;
            }
            let value = Value::from_json(value).ok_or_else(|| {
                format!("parameter `{name}` has an unsupported JSON value: {value}")
            })?;
            params.set(name.clone(), value);
        }
        Ok(params)
    }
}

/// A value during evaluation: parameter values plus the integers, arrays and records that
/// functions such as `aws.partition` and `parseURL` produce. Absence is `Option::None`, not a
/// variant, so that "unset" can never be confused with a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
}

impl Val {
    /// A short name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Str(_) => "string",
            Val::Bool(_) => "boolean",
            Val::Int(_) => "integer",
            Val::Array(_) => "array",
            Val::Object(_) => "object",
        }
    }

    /// Builds a record from `(key, value)` pairs.
    pub(crate) fn object<const N: usize>(fields: [(&str, Val); N]) -> Val {
        Val::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Converts to JSON for endpoint `properties`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Val::Str(s) => serde_json::Value::String(s.clone()),
            Val::Bool(b) => serde_json::Value::Bool(*b),
            Val::Int(i) => serde_json::Value::from(*i),
            Val::Array(items) => serde_json::Value::Array(items.iter().map(Val::to_json).collect()),
            Val::Object(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}
