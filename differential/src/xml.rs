//! XML bodies in a canonical form: elements as `{"name", "attrs", "children" | "text"}` with
//! attributes sorted, whitespace-only text between elements dropped, entity and character
//! references resolved.

use quick_xml::events::{BytesStart, Event};
use serde_json::{json, Map, Value};

/// Elements nested deeper than this are refused (the inputs are bounded far below it).
const MAX_DEPTH: usize = 256;

/// The canonical form of one document.
pub fn canonical(text: &str) -> Result<Value, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<(Map<String, Value>, Vec<Value>, String)> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("nested too deep".into());
                }
                stack.push((element(&start)?, Vec::new(), String::new()));
            }
            Event::Empty(start) => {
                let done = finish((element(&start)?, Vec::new(), String::new()));
                attach(&mut stack, &mut root, done);
            }
            Event::End(_) => {
                let open = stack.pop().ok_or("an end tag without a start")?;
                attach(&mut stack, &mut root, finish(open));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(d) => push_text(&mut stack, &d.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.into_inner().to_string();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("unknown entity {name}"))?
                            .to_string()
                    }
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root.ok_or_else(|| "no root element".into())
}

fn element(start: &BytesStart<'_>) -> Result<Map<String, Value>, String> {
    let mut attrs: Vec<(String, String)> = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        attrs.push((attribute.key.as_ref().to_string(), value));
    }
    attrs.sort();
    let mut map = Map::new();
    map.insert("name".into(), json!(start.name().as_ref()));
    map.insert("attrs".into(), json!(attrs));
    Ok(map)
}

fn push_text(stack: &mut [(Map<String, Value>, Vec<Value>, String)], text: &str) {
    if let Some(open) = stack.last_mut() {
        open.2.push_str(text);
    }
}

/// An element with children keeps no text (whitespace between elements); a leaf keeps its
/// text exactly.
fn finish((mut map, children, text): (Map<String, Value>, Vec<Value>, String)) -> Value {
    if children.is_empty() {
        map.insert("text".into(), json!(text));
    } else {
        map.insert("children".into(), Value::Array(entries_sorted(children)));
    }
    Value::Object(map)
}

/// Map entries (`<entry>` siblings) in a canonical order: a server reads a map, so the order
/// its entries were written in (ours follow a `HashMap`) does not count.
fn entries_sorted(mut children: Vec<Value>) -> Vec<Value> {
    let is_entry = |v: &Value| v.get("name").and_then(Value::as_str) == Some("entry");
    if children.iter().all(is_entry) {
        children.sort_by_key(|v| v.to_string());
    }
    children
}

fn attach(
    stack: &mut [(Map<String, Value>, Vec<Value>, String)],
    root: &mut Option<Value>,
    done: Value,
) {
    match stack.last_mut() {
        Some(parent) => parent.1.push(done),
        None => *root = Some(done),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_between_elements_and_attribute_order_do_not_count() {
        let a = canonical("<a y=\"2\" x=\"1\">\n  <b>t &amp; u</b>\n</a>").expect("parses");
        let b = canonical("<?xml version=\"1.0\"?><a x=\"1\" y=\"2\"><b>t &#38; u</b></a>")
            .expect("parses");
        assert_eq!(a, b);
        let c = canonical("<a x=\"1\" y=\"2\"><b>t &amp; u </b></a>").expect("parses");
        assert_ne!(a, c, "text inside a leaf is significant");
    }
}
