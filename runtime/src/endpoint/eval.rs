//! Evaluation of a rule set against parameter values.

use std::collections::BTreeMap;
use std::fmt;

use super::functions;
use super::model::{Call, Condition, EndpointTemplate, Expr, Rule, RuleKind, RuleSet};
use super::partition::PartitionTable;
use super::template::{Template, TemplatePart};
use super::value::{ParamType, Params, Val};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The endpoint URL.
    pub url: String,
    /// Headers to add to every request, by name; each name may carry several values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Extra properties, notably `authSchemes` (signing name, region, ...), as JSON.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// An `error` rule matched; this is its message (e.g. `Invalid Configuration: Missing
    /// Region`), meant for the user.
    Rule(String),
    /// A required parameter has neither a value nor a default.
    MissingParameter(String),
    /// A parameter value does not have the declared type.
    ParameterType {
        /// The parameter.
        name: String,
        /// Its declared type.
        expected: ParamType,
        /// The type of the value supplied.
        found: ParamType,
    },
    /// No top-level rule matched.
    NoMatchingRule,
    /// A `tree` rule matched but none of its rules did.
    TreeExhausted,
    /// The rule set is inconsistent with itself (a type error, a reference to an unset value in
    /// a template, ...): a defect of the rule set, not of the parameters.
    Evaluation(String),
}

impl ResolveError {
    /// The error text; for [`ResolveError::Rule`] exactly the rule's message, which is what
    /// `smithy.rules#endpointTests` cases compare against.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Rule(message) => f.write_str(message),
            ResolveError::MissingParameter(name) => {
                write!(f, "missing required endpoint parameter `{name}`")
            }
            ResolveError::ParameterType {
                name,
                expected,
                found,
            } => {
                write!(
                    f,
                    "endpoint parameter `{name}` must be a {expected}, found a {found}"
                )
            }
            ResolveError::NoMatchingRule => f.write_str("no endpoint rule matched the parameters"),
            ResolveError::TreeExhausted => {
                f.write_str("no rule of a matching endpoint rule tree matched the parameters")
            }
            ResolveError::Evaluation(message) => {
                write!(f, "endpoint rule evaluation failed: {message}")
            }
        }
    }
}

impl std::error::Error for ResolveError {}

/// Resolves endpoints from one rule set with one partition table.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    ruleset: &'a RuleSet,
    partitions: &'a PartitionTable,
}

impl<'a> Resolver<'a> {
    /// A resolver using the built-in partition table.
    pub fn new(ruleset: &'a RuleSet) -> Self {
        Resolver {
            ruleset,
            partitions: PartitionTable::builtin(),
        }
    }

    /// The same resolver with replacement partition data.
    pub fn with_partitions(self, partitions: &'a PartitionTable) -> Self {
        Resolver { partitions, ..self }
    }

    /// Applies defaults, checks required parameters and types, then tries the rules in order.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, ResolveError> {
        let mut scope = self.initial_scope(params)?;
        self.eval_rules(&self.ruleset.rules, &mut scope)?
            .ok_or(ResolveError::NoMatchingRule)
    }

    fn initial_scope(&self, params: &Params) -> Result<Scope<'a>, ResolveError> {
        let mut scope = Scope::default();
        for parameter in &self.ruleset.parameters {
            let value = params.get(&parameter.name).or(parameter.default.as_ref());
            match value {
                Some(value) if value.param_type() != parameter.param_type => {
                    return Err(ResolveError::ParameterType {
                        name: parameter.name.clone(),
                        expected: parameter.param_type,
                        found: value.param_type(),
                    });
                }
                Some(value) => scope.push(&parameter.name, value.to_val()),
                None if parameter.required => {
                    return Err(ResolveError::MissingParameter(parameter.name.clone()))
                }
                None => {}
            }
        }
        Ok(scope)
    }

    /// `Ok(None)` when no rule matched, so that the caller decides whether that is an error.
    fn eval_rules(
        &self,
        rules: &'a [Rule],
        scope: &mut Scope<'a>,
    ) -> Result<Option<Endpoint>, ResolveError> {
        for rule in rules {
            let mark = scope.len();
            let outcome = self.eval_rule(rule, scope);
            // Assignments are visible only inside the rule that made them.
            scope.truncate(mark);
            if let Some(endpoint) = outcome? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn eval_rule(
        &self,
        rule: &'a Rule,
        scope: &mut Scope<'a>,
    ) -> Result<Option<Endpoint>, ResolveError> {
        for condition in &rule.conditions {
            if !self.eval_condition(condition, scope)? {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Endpoint(endpoint) => self.build_endpoint(endpoint, scope).map(Some),
            RuleKind::Error(message) => Err(ResolveError::Rule(self.eval_string(
                message,
                scope,
                "error message",
            )?)),
            // A matched tree commits: siblings after it are never tried.
            RuleKind::Tree(rules) => match self.eval_rules(rules, scope)? {
                Some(endpoint) => Ok(Some(endpoint)),
                None => Err(ResolveError::TreeExhausted),
            },
        }
    }

    /// A condition holds when its call yields anything but `false` or absent.
    fn eval_condition(
        &self,
        condition: &'a Condition,
        scope: &mut Scope<'a>,
    ) -> Result<bool, ResolveError> {
        let Some(value) = self.eval_call(&condition.call, scope)? else {
            return Ok(false);
        };
        if value == Val::Bool(false) {
            return Ok(false);
        }
        if let Some(name) = &condition.assign {
            scope.push(name, value);
        }
        Ok(true)
    }

    fn build_endpoint(
        &self,
        endpoint: &EndpointTemplate,
        scope: &Scope<'a>,
    ) -> Result<Endpoint, ResolveError> {
        let url = self.eval_string(&endpoint.url, scope, "endpoint url")?;
        let mut headers = BTreeMap::new();
        for (name, values) in &endpoint.headers {
            let values = values
                .iter()
                .map(|value| self.eval_string(value, scope, "header value"))
                .collect::<Result<Vec<_>, _>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = serde_json::Map::new();
        for (name, value) in &endpoint.properties {
            let value = self.eval(value, scope)?.ok_or_else(|| {
                ResolveError::Evaluation(format!("endpoint property `{name}` is unset"))
            })?;
            properties.insert(name.clone(), value.to_json());
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn eval_string(
        &self,
        expr: &Expr,
        scope: &Scope<'a>,
        what: &str,
    ) -> Result<String, ResolveError> {
        match self.eval(expr, scope)? {
            Some(Val::Str(s)) => Ok(s),
            Some(other) => Err(ResolveError::Evaluation(format!(
                "{what} is a {}, not a string",
                other.type_name()
            ))),
            None => Err(ResolveError::Evaluation(format!("{what} is unset"))),
        }
    }

    fn eval(&self, expr: &Expr, scope: &Scope<'a>) -> Result<Option<Val>, ResolveError> {
        Ok(match expr {
            Expr::Template(template) => Some(Val::Str(eval_template(template, scope)?)),
            Expr::Bool(b) => Some(Val::Bool(*b)),
            Expr::Int(i) => Some(Val::Int(*i)),
            Expr::Array(items) => Some(Val::Array(self.eval_all(items.iter(), scope)?)),
            Expr::Record(fields) => {
                let values = self.eval_all(fields.iter().map(|(_, v)| v), scope)?;
                Some(Val::Object(
                    fields.iter().map(|(k, _)| k.clone()).zip(values).collect(),
                ))
            }
            Expr::Ref(name) => scope.get(name).cloned(),
            Expr::Call(call) => self.eval_call(call, scope)?,
        })
    }

    /// Evaluates literal members; an absent member is an error because literals cannot hold
    /// "nothing".
    fn eval_all<'e>(
        &self,
        exprs: impl Iterator<Item = &'e Expr>,
        scope: &Scope<'a>,
    ) -> Result<Vec<Val>, ResolveError> {
        exprs
            .map(|e| {
                self.eval(e, scope)?
                    .ok_or_else(|| ResolveError::Evaluation("a literal member is unset".to_owned()))
            })
            .collect()
    }

    fn eval_call(&self, call: &Call, scope: &Scope<'a>) -> Result<Option<Val>, ResolveError> {
        let args = call
            .args
            .iter()
            .map(|arg| self.eval(arg, scope))
            .collect::<Result<Vec<_>, _>>()?;
        functions::apply(&call.function, args, self.partitions).map_err(ResolveError::Evaluation)
    }
}

fn eval_template(template: &Template, scope: &Scope<'_>) -> Result<String, ResolveError> {
    let mut out = String::new();
    for part in template.parts() {
        match part {
            TemplatePart::Literal(text) => out.push_str(text),
            TemplatePart::Var { name, path } => {
                let value = scope.get(name);
                let value = match path {
                    Some(path) => value.and_then(|v| path.get(v)),
                    None => value,
                };
                match value {
                    Some(Val::Str(s)) => out.push_str(s),
                    Some(other) => {
                        let message = format!(
                            "template reference `{name}` is a {}, not a string",
                            other.type_name()
                        );
                        return Err(ResolveError::Evaluation(message));
                    }
                    None => {
                        return Err(ResolveError::Evaluation(format!(
                            "template reference `{name}` is unset"
                        )))
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Parameters and assigned variables, innermost last. A vector beats a map here: scopes hold
/// a handful of entries and are truncated on every rule exit.
#[derive(Default)]
struct Scope<'a> {
    vars: Vec<(&'a str, Val)>,
}

impl<'a> Scope<'a> {
    fn push(&mut self, name: &'a str, value: Val) {
        self.vars.push((name, value));
    }

    fn get(&self, name: &str) -> Option<&Val> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn len(&self) -> usize {
        self.vars.len()
    }

    fn truncate(&mut self, len: usize) {
        self.vars.truncate(len);
    }
}
