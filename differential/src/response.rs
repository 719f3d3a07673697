//! The response phase's comparison: the canonical JSON of the values both parsers read (see
//! `smithy_gen::generate_response_cases` and `botocore_side.py`), member by member.

use serde_json::Value;

/// The differences between our parsed output and botocore's, as `(field, ours, botocore)`:
/// the field is `output` followed by `.member`, `.key` of a map and `[index]` of a list; a
/// member only one side has is compared against `null`; lists of different lengths are one
/// difference. Numbers are equal when both are the same integer or the same double (one
/// parser may read `1` where the other reads `1.0`).
pub fn differences(ours: &Value, theirs: &Value) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    walk("output", ours, theirs, &mut out);
    out
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let null = Value::Null;
                walk(
                    &format!("{path}.{key}"),
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{i}]"), p, q, out);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(p), Some(q), ..) => p == q,
                (_, _, Some(p), Some(q)) => p == q,
                _ => x.as_f64() == y.as_f64(),
            };
            if !same {
                out.push((path.to_string(), a.clone(), b.clone()));
            }
        }
        _ if a == b => {}
        _ => out.push((path.to_string(), a.clone(), b.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_paths_and_numbers() {
        let a = json!({"A": 1.0, "B": [1, {"C": "x"}], "D": {"k": true}, "E": 3});
        let b = json!({"A": 1, "B": [1, {"C": "y"}], "D": {}, "F": null});
        let found = differences(&a, &b);
        let fields: Vec<&str> = found.iter().map(|(f, ..)| f.as_str()).collect();
        assert_eq!(fields, ["output.B[1].C", "output.D.k", "output.E"]);
        assert!(differences(&json!([1, 2]), &json!([1])).len() == 1);
    }
}
