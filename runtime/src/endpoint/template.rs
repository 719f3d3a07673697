//! String templates (`"https://{Region}.{PartitionResult#dnsSuffix}"`) and `getAttr` paths
//! (`"authSchemes[0].name"`), both parsed once when the rule set is loaded so that evaluation
//! never re-scans strings.

use std::fmt;

use super::value::Val;

/// A parsed string template: literal text interleaved with `{Name}` and `{Name#path}`
/// references. `{{` and `}}` stand for literal braces.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<TemplatePart>,
}

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Text copied verbatim.
    Literal(String),
    /// `{name}` or `{name#path}`: the value of a parameter or assigned variable, optionally
    /// narrowed by a `getAttr` path.
    Var {
        /// The parameter or variable name.
        name: String,
        /// The `#path` part, if any.
        path: Option<AttrPath>,
    },
}

impl Template {
    /// Parses template text; fails on an unclosed `{` or an empty reference.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => inner.push(c),
                            None => return Err(format!("unclosed `{{` in template `{text}`")),
                        }
                    }
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(parse_var(&inner).map_err(|e| format!("{e} in template `{text}`"))?);
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Template { parts })
    }

    /// The template's pieces in order.
    pub fn parts(&self) -> &[TemplatePart] {
        &self.parts
    }

    /// The literal text if the template holds no references.
    pub fn as_literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => Some(text.as_str()),
                TemplatePart::Var { .. } => None,
            })
            .collect()
    }
}

fn parse_var(inner: &str) -> Result<TemplatePart, String> {
    let (name, path) = match inner.split_once('#') {
        Some((name, path)) => (name, Some(AttrPath::parse(path)?)),
        None => (inner, None),
    };
    if name.is_empty() {
        return Err(format!("empty reference `{{{inner}}}`"));
    }
    Ok(TemplatePart::Var {
        name: name.to_owned(),
        path,
    })
}

/// A parsed `getAttr` path: keys separated by `.`, each optionally followed by `[index]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    steps: Vec<PathStep>,
}

/// One step of an [`AttrPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// Look up a record field.
    Key(String),
    /// Index into an array; negative indexes count from the end (rules language 1.1).
    Index(i64),
}

impl AttrPath {
    /// Parses `a.b[0]`-style path text.
    pub fn parse(text: &str) -> Result<AttrPath, String> {
        let mut steps = Vec::new();
        for segment in text.split('.') {
            parse_segment(segment, &mut steps)
                .map_err(|e| format!("invalid path `{text}`: {e}"))?;
        }
        Ok(AttrPath { steps })
    }

    /// The path's steps in order.
    pub fn steps(&self) -> &[PathStep] {
        &self.steps
    }

    /// Follows the path; a missing key, an out-of-range index or a step into the wrong kind of
    /// value gives `None` (absent), as the rules language specifies.
    pub(crate) fn get<'v>(&self, value: &'v Val) -> Option<&'v Val> {
        self.steps
            .iter()
            .try_fold(value, |current, step| match (step, current) {
                (PathStep::Key(key), Val::Object(fields)) => {
                    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
                }
                (PathStep::Index(index), Val::Array(items)) => {
                    let len = i64::try_from(items.len()).ok()?;
                    let index = if *index < 0 { len + index } else { *index };
                    items.get(usize::try_from(index).ok()?)
                }
                _ => None,
            })
    }
}

fn parse_segment(segment: &str, steps: &mut Vec<PathStep>) -> Result<(), String> {
    let (key, mut rest) = match segment.find('[') {
        Some(at) => segment.split_at(at),
        None => (segment, ""),
    };
    if !key.is_empty() {
        steps.push(PathStep::Key(key.to_owned()));
    } else if rest.is_empty() {
        return Err("empty segment".to_owned());
    }
    while !rest.is_empty() {
        let close = rest.find(']').ok_or("missing `]`")?;
        if !rest.starts_with('[') {
            return Err(format!("unexpected text `{rest}`"));
        }
        let index = rest[1..close]
            .parse::<i64>()
            .map_err(|_| format!("invalid index `{}`", &rest[1..close]))?;
        steps.push(PathStep::Index(index));
        rest = &rest[close + 1..];
    }
    Ok(())
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Key(key) if i == 0 => write!(f, "{key}")?,
                PathStep::Key(key) => write!(f, ".{key}")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_templates() {
        let t = Template::parse("https://{Region}.{P#dnsSuffix}/{{x}}").unwrap();
        assert_eq!(t.parts().len(), 5);
        assert_eq!(t.parts()[4], TemplatePart::Literal("/{x}".to_owned()));
        assert!(Template::parse("{Region").is_err());
        assert!(Template::parse("{}").is_err());
        assert_eq!(
            Template::parse("plain").unwrap().as_literal().as_deref(),
            Some("plain")
        );
    }

    #[test]
    fn follows_paths() {
        let value = Val::object([("a", Val::Array(vec![Val::Int(1), Val::Int(2)]))]);
        let get = |p: &str| AttrPath::parse(p).unwrap().get(&value).cloned();
        assert_eq!(get("a[1]"), Some(Val::Int(2)));
        assert_eq!(get("a[-1]"), Some(Val::Int(2)));
        assert_eq!(get("a[2]"), None);
        assert_eq!(get("b"), None);
        assert!(AttrPath::parse("a[x]").is_err());
        assert!(AttrPath::parse("a..b").is_err());
    }
}
