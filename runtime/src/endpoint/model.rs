//! The typed rule set (`smithy.rules#endpointRuleSet`) and its parser.
//!
//! Everything that can be checked without parameter values is checked here — function names,
//! argument counts, template and path syntax, parameter types and defaults — so a bad rule set
//! is reported once, at load time, with the JSON location of the problem.

use std::fmt;

use serde_json::{Map, Value as Json};

use super::template::{AttrPath, Template};
use super::value::{ParamType, Value};

/// A parsed endpoint rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The rule-set `version` (`"1.0"` throughout the AWS corpus).
    pub version: String,
    /// Parameters in declaration order.
    pub parameters: Vec<Parameter>,
    /// Top-level rules, tried in order.
    pub rules: Vec<Rule>,
}

/// One declared endpoint parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The parameter name, as referenced by rules.
    pub name: String,
    /// The declared type.
    pub param_type: ParamType,
    /// The built-in this parameter is bound to (`AWS::Region`, `SDK::Endpoint`, ...).
    pub built_in: Option<String>,
    /// Value used when the caller sets none.
    pub default: Option<Value>,
    /// Whether resolution fails when the parameter has no value (after defaults).
    pub required: bool,
    /// The parameter's documentation, if any.
    pub documentation: Option<String>,
}

/// A rule: conditions that must all hold, then an outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Conditions, evaluated in order; the first that fails skips the rule.
    pub conditions: Vec<Condition>,
    /// What the rule produces when its conditions hold.
    pub kind: RuleKind,
    /// The rule's documentation, if any.
    pub documentation: Option<String>,
}

/// The outcome of a [`Rule`].
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// Resolve to this endpoint.
    Endpoint(EndpointTemplate),
    /// Fail with this message.
    Error(Expr),
    /// Try these rules; if none matches, resolution fails.
    Tree(Vec<Rule>),
}

/// The `endpoint` of an endpoint rule, before evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTemplate {
    /// The URL expression (usually a template string).
    pub url: Expr,
    /// Header name to value expressions.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Property name to literal (whose strings are templates).
    pub properties: Vec<(String, Expr)>,
}

/// A function call whose result decides whether a rule applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: Call,
    /// Name the result is bound to for later conditions and sub-rules.
    pub assign: Option<String>,
}

/// An expression: a literal, a reference, or a function call.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string template (a plain string is a template without references).
    Template(Template),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal (e.g. `substring` bounds).
    Int(i64),
    /// An array literal.
    Array(Vec<Expr>),
    /// A record literal (only in endpoint `properties`).
    Record(Vec<(String, Expr)>),
    /// `{"ref": name}`: a parameter or assigned variable.
    Ref(String),
    /// `{"fn": .., "argv": ..}`.
    Call(Box<Call>),
}

/// A function call with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function.
    pub function: Function,
    /// Arguments; for [`Function::GetAttr`] only the first (the path is in the variant).
    pub args: Vec<Expr>,
}

/// The functions of the rules language this engine implements.
#[derive(Debug, Clone, PartialEq)]
pub enum Function {
    /// `isSet(value)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `getAttr(value, path)`, with the path parsed at load time.
    GetAttr(AttrPath),
    /// `substring(input, start, stop, reverse)`.
    Substring,
    /// `uriEncode(value)`.
    UriEncode,
    /// `parseURL(url)`.
    ParseUrl,
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel,
    /// `coalesce(a, b, ...)` (rules language 1.1).
    Coalesce,
    /// `ite(condition, then, else)` (rules language 1.1).
    Ite,
    /// `split(value, delimiter, limit)` (rules language 1.1).
    Split,
    /// `aws.partition(region)`.
    AwsPartition,
    /// `aws.parseArn(value)`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// Looks a function up by its rules-language name, with the allowed argument counts.
    fn lookup(name: &str) -> Option<(Function, usize, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1, 1),
            "not" => (Function::Not, 1, 1),
            "booleanEquals" => (Function::BooleanEquals, 2, 2),
            "stringEquals" => (Function::StringEquals, 2, 2),
            "substring" => (Function::Substring, 4, 4),
            "uriEncode" => (Function::UriEncode, 1, 1),
            "parseURL" => (Function::ParseUrl, 1, 1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2, 2),
            "coalesce" => (Function::Coalesce, 1, usize::MAX),
            "ite" => (Function::Ite, 3, 3),
            "split" => (Function::Split, 3, 3),
            "aws.partition" => (Function::AwsPartition, 1, 1),
            "aws.parseArn" => (Function::AwsParseArn, 1, 1),
            "aws.isVirtualHostableS3Bucket" => (Function::AwsIsVirtualHostableS3Bucket, 2, 2),
            _ => return None,
        })
    }
}

/// Why a rule set could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError {
    /// Where in the document, e.g. `rules[2].conditions[0].argv[1]`.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

impl RuleSetError {
    fn new(message: impl Into<String>) -> Self {
        RuleSetError {
            location: String::new(),
            message: message.into(),
        }
    }

    /// Prefixes the location with an outer path segment while the error bubbles up.
    fn within(mut self, segment: &str) -> Self {
        self.location = match (self.location.is_empty(), self.location.starts_with('[')) {
            (true, _) => segment.to_owned(),
            (false, true) => format!("{segment}{}", self.location),
            (false, false) => format!("{segment}.{}", self.location),
        };
        self
    }
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "invalid endpoint rule set: {}", self.message)
        } else {
            write!(
                f,
                "invalid endpoint rule set at {}: {}",
                self.location, self.message
            )
        }
    }
}

impl std::error::Error for RuleSetError {}

type Parsed<T> = Result<T, RuleSetError>;

impl RuleSet {
    /// Parses rule-set JSON text, e.g. the `smithy.rules#endpointRuleSet` trait value that
    /// generated code embeds as a `&'static str`.
    pub fn from_json_str(text: &str) -> Parsed<RuleSet> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| RuleSetError::new(format!("malformed JSON: {e}")))?;
        RuleSet::from_json(&json)
    }

    /// Parses an already-decoded rule-set document.
    pub fn from_json(json: &Json) -> Parsed<RuleSet> {
        let object = as_object(json)?;
        let version = match object.get("version") {
            Some(v) => as_str(v).map_err(|e| e.within("version"))?.to_owned(),
            None => String::new(),
        };
        let parameters = match object.get("parameters") {
            Some(params) => as_object(params)
                .and_then(|params| {
                    params
                        .iter()
                        .map(|(name, p)| parse_parameter(name, p))
                        .collect()
                })
                .map_err(|e| e.within("parameters"))?,
            None => Vec::new(),
        };
        let rules = parse_rules(field(object, "rules")?).map_err(|e| e.within("rules"))?;
        Ok(RuleSet {
            version,
            parameters,
            rules,
        })
    }

    /// The parameter called `name`, if declared.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

fn field<'j>(object: &'j Map<String, Json>, name: &str) -> Parsed<&'j Json> {
    object
        .get(name)
        .ok_or_else(|| RuleSetError::new(format!("missing `{name}`")))
}

fn as_object(json: &Json) -> Parsed<&Map<String, Json>> {
    json.as_object()
        .ok_or_else(|| RuleSetError::new(format!("expected an object, found {}", kind(json))))
}

fn as_array(json: &Json) -> Parsed<&Vec<Json>> {
    json.as_array()
        .ok_or_else(|| RuleSetError::new(format!("expected an array, found {}", kind(json))))
}

fn as_str(json: &Json) -> Parsed<&str> {
    json.as_str()
        .ok_or_else(|| RuleSetError::new(format!("expected a string, found {}", kind(json))))
}

fn optional_str(object: &Map<String, Json>, name: &str) -> Parsed<Option<String>> {
    object
        .get(name)
        .map(|v| as_str(v).map(str::to_owned).map_err(|e| e.within(name)))
        .transpose()
}

fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn parse_parameter(name: &str, json: &Json) -> Parsed<Parameter> {
    parse_parameter_body(name, json).map_err(|e| e.within(name))
}

fn parse_parameter_body(name: &str, json: &Json) -> Parsed<Parameter> {
    let object = as_object(json)?;
    let type_name = as_str(field(object, "type")?).map_err(|e| e.within("type"))?;
    let param_type = ParamType::parse(type_name).ok_or_else(|| {
        RuleSetError::new(format!("unknown parameter type `{type_name}`")).within("type")
    })?;
    let default = object
        .get("default")
        .map(|d| parse_default(d, param_type).map_err(|e| e.within("default")))
        .transpose()?;
    let required = match object.get("required") {
        Some(Json::Bool(b)) => *b,
        Some(other) => {
            return Err(
                RuleSetError::new(format!("expected a boolean, found {}", kind(other)))
                    .within("required"),
            )
        }
        None => false,
    };
    Ok(Parameter {
        name: name.to_owned(),
        param_type,
        built_in: optional_str(object, "builtIn")?,
        default,
        required,
        documentation: optional_str(object, "documentation")?,
    })
}

fn parse_default(json: &Json, param_type: ParamType) -> Parsed<Value> {
    match Value::from_json(json) {
        Some(value) if value.param_type() == param_type => Ok(value),
        _ => Err(RuleSetError::new(format!(
            "default {json} is not a {param_type}"
        ))),
    }
}

fn parse_rules(json: &Json) -> Parsed<Vec<Rule>> {
    as_array(json)?
        .iter()
        .enumerate()
        .map(|(i, rule)| parse_rule(rule).map_err(|e| e.within(&format!("[{i}]"))))
        .collect()
}

fn parse_rule(json: &Json) -> Parsed<Rule> {
    let object = as_object(json)?;
    let conditions = match object.get("conditions") {
        Some(conditions) => parse_conditions(conditions).map_err(|e| e.within("conditions"))?,
        None => Vec::new(),
    };
    let rule_type = as_str(field(object, "type")?).map_err(|e| e.within("type"))?;
    let kind = match rule_type {
        "endpoint" => RuleKind::Endpoint(
            parse_endpoint(field(object, "endpoint")?).map_err(|e| e.within("endpoint"))?,
        ),
        "error" => {
            RuleKind::Error(parse_expr(field(object, "error")?).map_err(|e| e.within("error"))?)
        }
        "tree" => {
            RuleKind::Tree(parse_rules(field(object, "rules")?).map_err(|e| e.within("rules"))?)
        }
        other => {
            return Err(RuleSetError::new(format!("unknown rule type `{other}`")).within("type"))
        }
    };
    Ok(Rule {
        conditions,
        kind,
        documentation: optional_str(object, "documentation")?,
    })
}

fn parse_conditions(json: &Json) -> Parsed<Vec<Condition>> {
    as_array(json)?
        .iter()
        .enumerate()
        .map(|(i, c)| parse_condition(c).map_err(|e| e.within(&format!("[{i}]"))))
        .collect()
}

fn parse_condition(json: &Json) -> Parsed<Condition> {
    let object = as_object(json)?;
    Ok(Condition {
        call: parse_call(object)?,
        assign: optional_str(object, "assign")?,
    })
}

fn parse_endpoint(json: &Json) -> Parsed<EndpointTemplate> {
    let object = as_object(json)?;
    let url = parse_expr(field(object, "url")?).map_err(|e| e.within("url"))?;
    let headers = match object.get("headers") {
        Some(headers) => parse_headers(headers).map_err(|e| e.within("headers"))?,
        None => Vec::new(),
    };
    let properties = match object.get("properties") {
        Some(properties) => as_object(properties)
            .and_then(|props| {
                props
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), parse_literal(v).map_err(|e| e.within(k))?)))
                    .collect()
            })
            .map_err(|e| e.within("properties"))?,
        None => Vec::new(),
    };
    Ok(EndpointTemplate {
        url,
        headers,
        properties,
    })
}

fn parse_headers(json: &Json) -> Parsed<Vec<(String, Vec<Expr>)>> {
    as_object(json)?
        .iter()
        .map(|(name, values)| {
            let values = as_array(values)
                .and_then(|values| values.iter().map(parse_expr).collect())
                .map_err(|e| e.within(name))?;
            Ok((name.clone(), values))
        })
        .collect()
}

/// Parses an expression position: objects are `ref` or `fn` forms.
fn parse_expr(json: &Json) -> Parsed<Expr> {
    match json {
        Json::Object(object) => match (object.get("ref"), object.contains_key("fn")) {
            (Some(name), _) => Ok(Expr::Ref(
                as_str(name).map_err(|e| e.within("ref"))?.to_owned(),
            )),
            (None, true) => Ok(Expr::Call(Box::new(parse_call(object)?))),
            (None, false) => Err(RuleSetError::new(
                "expected `ref` or `fn` in an expression object",
            )),
        },
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_expr(item).map_err(|e| e.within(&format!("[{i}]"))))
            .collect::<Parsed<_>>()
            .map(Expr::Array),
        other => parse_scalar(other),
    }
}

/// Parses a literal position (endpoint `properties`): objects are records, not expressions.
fn parse_literal(json: &Json) -> Parsed<Expr> {
    match json {
        Json::Object(object) => object
            .iter()
            .map(|(k, v)| Ok((k.clone(), parse_literal(v).map_err(|e| e.within(k))?)))
            .collect::<Parsed<_>>()
            .map(Expr::Record),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_literal(item).map_err(|e| e.within(&format!("[{i}]"))))
            .collect::<Parsed<_>>()
            .map(Expr::Array),
        other => parse_scalar(other),
    }
}

fn parse_scalar(json: &Json) -> Parsed<Expr> {
    match json {
        Json::String(text) => Template::parse(text)
            .map(Expr::Template)
            .map_err(RuleSetError::new),
        Json::Bool(b) => Ok(Expr::Bool(*b)),
        Json::Number(n) => n
            .as_i64()
            .map(Expr::Int)
            .ok_or_else(|| RuleSetError::new(format!("expected an integer, found {n}"))),
        other => Err(RuleSetError::new(format!("unexpected {}", kind(other)))),
    }
}

fn parse_call(object: &Map<String, Json>) -> Parsed<Call> {
    let name = as_str(field(object, "fn")?).map_err(|e| e.within("fn"))?;
    // `getAttr` is not in the lookup table because its variant carries the parsed path.
    let (function, min, max) = if name == "getAttr" {
        (None, 2, 2)
    } else {
        let (function, min, max) = Function::lookup(name)
            .ok_or_else(|| RuleSetError::new(format!("unknown function `{name}`")).within("fn"))?;
        (Some(function), min, max)
    };
    let argv = match object.get("argv") {
        Some(argv) => as_array(argv).map_err(|e| e.within("argv"))?.as_slice(),
        None => &[],
    };
    if argv.len() < min || argv.len() > max {
        let message = format!(
            "`{name}` takes {} arguments, found {}",
            arity(min, max),
            argv.len()
        );
        return Err(RuleSetError::new(message).within("argv"));
    }
    let args = argv
        .iter()
        .enumerate()
        .map(|(i, arg)| parse_expr(arg).map_err(|e| e.within(&format!("argv[{i}]"))))
        .collect::<Parsed<Vec<_>>>()?;
    match function {
        Some(function) => Ok(Call { function, args }),
        None => parse_get_attr(args),
    }
}

fn parse_get_attr(mut args: Vec<Expr>) -> Parsed<Call> {
    let path = match args.pop() {
        Some(Expr::Template(t)) => t.as_literal(),
        _ => None,
    }
    .ok_or_else(|| {
        RuleSetError::new("the `getAttr` path must be a literal string").within("argv[1]")
    })?;
    let path = AttrPath::parse(&path).map_err(|e| RuleSetError::new(e).within("argv[1]"))?;
    Ok(Call {
        function: Function::GetAttr(path),
        args,
    })
}

fn arity(min: usize, max: usize) -> String {
    match (min, max) {
        (min, max) if min == max => min.to_string(),
        (min, usize::MAX) => format!("at least {min}"),
        (min, max) => format!("{min} to {max}"),
    }
}
