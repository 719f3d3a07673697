//! Absolute Smithy shape IDs (`namespace#Name` or `namespace#Name$member`).

use std::fmt;

/// An absolute shape ID, validated against the Smithy ABNF when parsed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

/// The prelude's Unit shape, the default operation input and output.
pub const UNIT: &str = "smithy.api#Unit";

impl ShapeId {
    /// Parses an absolute shape ID; `Err` carries the reason it is not one.
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let (namespace, rest) = text
            .split_once('#')
            .ok_or_else(|| format!("`{text}` is not an absolute shape ID (no `#`)"))?;
        if namespace.is_empty() || !namespace.split('.').all(is_identifier) {
            return Err(format!("`{text}` has an invalid namespace `{namespace}`"));
        }
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        if !is_identifier(name) {
            return Err(format!("`{text}` has an invalid shape name `{name}`"));
        }
        if let Some(member) = member {
            if !is_identifier(member) {
                return Err(format!("`{text}` has an invalid member name `{member}`"));
            }
        }
        Ok(ShapeId(text.to_string()))
    }

    /// Builds an ID from parts already known to be valid (used for synthesized shapes).
    pub fn from_parts(namespace: &str, name: &str) -> ShapeId {
        ShapeId(format!("{namespace}#{name}"))
    }

    /// The namespace part.
    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }

    /// The shape name part (without any member).
    pub fn name(&self) -> &str {
        let rest = self.0.split_once('#').map_or(self.0.as_str(), |(_, r)| r);
        rest.split_once('$').map_or(rest, |(n, _)| n)
    }

    /// The member name, for member IDs.
    pub fn member(&self) -> Option<&str> {
        self.0.split_once('$').map(|(_, m)| m)
    }

    /// The ID without its member part.
    pub fn root(&self) -> ShapeId {
        match self.0.split_once('$') {
            Some((root, _)) => ShapeId(root.to_string()),
            None => self.clone(),
        }
    }

    /// The full text of the ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `smithy.api#Unit`.
    pub fn is_unit(&self) -> bool {
        self.0 == UNIT
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Smithy identifier: (`_`+ then alnum) or a letter first, then letters, digits and `_`.
fn is_identifier(text: &str) -> bool {
    let trimmed = text.trim_start_matches('_');
    let Some(first) = trimmed.chars().next() else {
        return false;
    };
    let first_ok = if trimmed.len() < text.len() {
        first.is_ascii_alphanumeric()
    } else {
        first.is_ascii_alphabetic()
    };
    first_ok
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let id = ShapeId::parse("com.example#Foo$bar").unwrap();
        assert_eq!(id.namespace(), "com.example");
        assert_eq!(id.name(), "Foo");
        assert_eq!(id.member(), Some("bar"));
        assert_eq!(id.root().as_str(), "com.example#Foo");
    }

    #[test]
    fn rejects_bad_ids() {
        for bad in [
            "Foo", "#Foo", "a..b#Foo", "a#1Foo", "a#Foo$", "a#_", "a#Fo-o",
        ] {
            assert!(ShapeId::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(ShapeId::parse("a#__x1").is_ok());
    }
}
