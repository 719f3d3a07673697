//! A rule set embedded in generated code as JSON text and parsed on first use.

use std::sync::OnceLock;

use super::model::{RuleSet, RuleSetError};

/// A `static`-friendly holder for a rule set's JSON text; parsing happens once, on first
/// [`EmbeddedRuleSet::get`], so clients that never resolve an endpoint pay nothing.
///
/// ```
/// use smithy_runtime::endpoint::EmbeddedRuleSet;
/// static RULES: EmbeddedRuleSet = EmbeddedRuleSet::new(r#"{"version":"1.0","parameters":{},"rules":[]}"#);
/// assert!(RULES.get().is_ok());
/// ```
#[derive(Debug)]
pub struct EmbeddedRuleSet {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, RuleSetError>>,
}

impl EmbeddedRuleSet {
    /// Wraps rule-set JSON text without parsing it.
    pub const fn new(json: &'static str) -> Self {
        EmbeddedRuleSet {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The parsed rule set, or why the embedded text is invalid (the same error every time).
    pub fn get(&self) -> Result<&RuleSet, &RuleSetError> {
        self.parsed
            .get_or_init(|| RuleSet::from_json_str(self.json))
            .as_ref()
    }

    /// The embedded JSON text.
    pub fn json(&self) -> &'static str {
        self.json
    }
}
