//! The JMESPath data model used by generated waiter acceptors.
//!
//! The generator compiles each acceptor's JMESPath expression into Rust code that walks the
//! typed output and produces a [`Value`]; this module holds that value type and the few
//! operations and comparators the expressions use.

/// A JMESPath value (the parts waiters use).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (also the result of a missing member).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string (enums are their wire string).
    String(String),
    /// A list (projections produce lists).
    List(Vec<Value>),
    /// An object; its fields are not needed by waiters, only its existence and size.
    Object(usize),
}

impl Value {
    /// JMESPath truthiness: false, null, empty strings/lists/objects are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Object(size) => *size > 0,
        }
    }
}

/// Collects a projection, dropping `null` results as JMESPath does.
pub fn project(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(items.into_iter().filter(|v| *v != Value::Null).collect())
}

/// Flattens one level of nested lists (the `[]` operator on a list of lists).
pub fn flatten(value: Value) -> Value {
    match value {
        Value::List(items) => Value::List(
            items
                .into_iter()
                .flat_map(|item| match item {
                    Value::List(inner) => inner,
                    other => vec![other],
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// `a == b`.
pub fn equals(a: &Value, b: &Value) -> Value {
    Value::Bool(a == b)
}

/// Ordering comparisons (`<`, `<=`, `>`, `>=`) on numbers; `null` otherwise.
pub fn compare(a: &Value, b: &Value, op: &str) -> Value {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Bool(match op {
            "<" => x < y,
            "<=" => x <= y,
            ">" => x > y,
            _ => x >= y,
        }),
        _ => Value::Null,
    }
}

/// `a && b`: `a` when it is falsy, else `b`.
pub fn and(a: Value, b: impl FnOnce() -> Value) -> Value {
    if a.is_truthy() {
        b()
    } else {
        a
    }
}

/// `a || b`: `a` when it is truthy, else `b`.
pub fn or(a: Value, b: impl FnOnce() -> Value) -> Value {
    if a.is_truthy() {
        a
    } else {
        b()
    }
}

/// `!a`.
pub fn not(a: &Value) -> Value {
    Value::Bool(!a.is_truthy())
}

/// `length(a)` for strings, lists and objects.
pub fn length(a: &Value) -> Value {
    match a {
        Value::String(s) => Value::Number(s.chars().count() as f64),
        Value::List(items) => Value::Number(items.len() as f64),
        Value::Object(size) => Value::Number(*size as f64),
        _ => Value::Null,
    }
}

/// `contains(haystack, needle)` for lists and strings.
pub fn contains(haystack: &Value, needle: &Value) -> Value {
    match (haystack, needle) {
        (Value::List(items), _) => Value::Bool(items.contains(needle)),
        (Value::String(s), Value::String(n)) => Value::Bool(s.contains(n.as_str())),
        _ => Value::Null,
    }
}

/// The `stringEquals` comparator.
pub fn string_equals(value: &Value, expected: &str) -> bool {
    matches!(value, Value::String(s) if s == expected)
}

/// The `booleanEquals` comparator.
pub fn boolean_equals(value: &Value, expected: bool) -> bool {
    matches!(value, Value::Bool(b) if *b == expected)
}

/// The `allStringEquals` comparator: a non-empty list whose items all equal `expected`.
pub fn all_string_equals(value: &Value, expected: &str) -> bool {
    matches!(value, Value::List(items) if !items.is_empty() && items.iter().all(|v| string_equals(v, expected)))
}

/// The `anyStringEquals` comparator: a list with some item equal to `expected`.
pub fn any_string_equals(value: &Value, expected: &str) -> bool {
    matches!(value, Value::List(items) if items.iter().any(|v| string_equals(v, expected)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparators_follow_the_waiter_spec() {
        let list = Value::List(vec![Value::String("A".into()), Value::String("A".into())]);
        assert!(all_string_equals(&list, "A"));
        assert!(!all_string_equals(&Value::List(vec![]), "A"));
        assert!(any_string_equals(&list, "A"));
        assert!(!string_equals(&Value::Null, "A"));
        assert!(boolean_equals(&Value::Bool(true), true));
    }

    #[test]
    fn logic_and_projection() {
        assert_eq!(
            and(Value::Bool(true), || Value::String("x".into())),
            Value::String("x".into())
        );
        assert_eq!(or(Value::Null, || Value::Bool(false)), Value::Bool(false));
        assert_eq!(
            project([Value::Null, Value::Number(1.0)]),
            Value::List(vec![Value::Number(1.0)])
        );
        assert_eq!(length(&Value::String("abc".into())), Value::Number(3.0));
    }
}
