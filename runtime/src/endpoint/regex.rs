//! A deliberately small backtracking regular-expression matcher for partition `regionRegex`
//! values.
//!
//! Why not the `regex` crate: the only patterns the rules engine ever meets are the short,
//! anchored region patterns of `partitions.json` (`^us\-gov\-\w+\-\d+$`), and pulling a large
//! dependency into every generated client for them is not worth it. The subset supported is
//! the one partition files use plus the usual basics: literals, `.`, escapes (`\w \d \s \W \D
//! \S` and escaped punctuation), classes `[...]` with ranges and negation, groups `(...)` and
//! `(?:...)` with `|`, quantifiers `* + ? {n} {n,} {n,m}` (greedy), and anchors `^ $`.
//! Anything else is rejected when the pattern is compiled, never at match time.
//!
//! Patterns are trusted configuration (the partition data); inputs (region names) are not.
//! Inputs are length-capped and group nesting is limited so that matching cannot exhaust the
//! stack; a pathological pattern can still be slow, as with any backtracking engine.

use std::fmt;

/// Inputs longer than this never match: the matcher recurses once per consumed character,
/// and region names are short, so a cap keeps hostile input from exhausting the stack.
const MAX_INPUT_CHARS: usize = 256;

/// Groups nested deeper than this are rejected: parsing and matching recurse per level.
const MAX_NESTING: usize = 16;

/// Quantifier bounds above this are rejected, for the same stack-depth reason.
const MAX_REPEAT: u32 = 1000;

/// A compiled pattern.
#[derive(Clone)]
pub struct Regex {
    source: String,
    alternatives: Vec<Vec<Node>>,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    /// The pattern that was rejected.
    pub pattern: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported regular expression `{}`: {}",
            self.pattern, self.message
        )
    }
}

impl std::error::Error for RegexError {}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regex").field(&self.source).finish()
    }
}

impl PartialEq for Regex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Clone, Debug)]
enum ClassItem {
    Range(char, char),
    Word(bool),
    Digit(bool),
    Space(bool),
}

impl ClassItem {
    fn matches(&self, c: char) -> bool {
        match *self {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Word(positive) => (c.is_ascii_alphanumeric() || c == '_') == positive,
            ClassItem::Digit(positive) => c.is_ascii_digit() == positive,
            ClassItem::Space(positive) => c.is_ascii_whitespace() == positive,
        }
    }
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.items.iter().any(|item| item.matches(c)) != self.negated
    }
}

impl Regex {
    /// Compiles `pattern`, rejecting syntax outside the supported subset.
    pub fn new(pattern: &str) -> Result<Self, RegexError> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            depth: 0,
            pattern,
        };
        let alternatives = parser.alternation()?;
        if parser.pos < parser.chars.len() {
            return Err(parser.error("unbalanced `)`"));
        }
        Ok(Regex {
            source: pattern.to_owned(),
            alternatives,
        })
    }

    /// A regex that matches nothing, labelled with `source`; a no-panic stand-in for a pattern
    /// that failed to compile where failing is not an option.
    pub(crate) fn never(source: &str) -> Self {
        let empty_class = Node::Class(Class {
            negated: false,
            items: Vec::new(),
        });
        Regex {
            source: source.to_owned(),
            alternatives: vec![vec![empty_class]],
        }
    }

    /// The pattern text this was compiled from.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches anywhere in `input` (use `^`/`$` to anchor), like
    /// `regex::Regex::is_match`.
    pub fn is_match(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        if chars.len() > MAX_INPUT_CHARS {
            return false;
        }
        (0..=chars.len()).any(|start| {
            self.alternatives
                .iter()
                .any(|alt| match_seq(alt, &chars, start, &mut |_| true))
        })
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    pattern: &'a str,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> RegexError {
        RegexError {
            pattern: self.pattern.to_owned(),
            message: format!("{message} (at character {})", self.pos),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn alternation(&mut self) -> Result<Vec<Vec<Node>>, RegexError> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, RegexError> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            nodes.push(self.quantified(atom)?);
        }
        Ok(nodes)
    }

    fn atom(&mut self) -> Result<Node, RegexError> {
        let Some(c) = self.next() else {
            return Err(self.error("unexpected end of pattern"));
        };
        match c {
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '.' => Ok(Node::Any),
            '(' => self.group(),
            '[' => self.class().map(Node::Class),
            '\\' => self.escape().map(|item| match item {
                ClassItem::Range(lo, hi) if lo == hi => Node::Char(lo),
                other => Node::Class(Class {
                    negated: false,
                    items: vec![other],
                }),
            }),
            '*' | '+' | '?' | '{' => Err(self.error("quantifier without a preceding atom")),
            other => Ok(Node::Char(other)),
        }
    }

    fn group(&mut self) -> Result<Node, RegexError> {
        if self.peek() == Some('?') {
            // Only non-capturing groups: captures are never read by the rules engine.
            if self.chars.get(self.pos + 1) != Some(&':') {
                return Err(self.error("only `(?:` group modifiers are supported"));
            }
            self.pos += 2;
        }
        if self.depth == MAX_NESTING {
            return Err(self.error("groups nested too deeply"));
        }
        self.depth += 1;
        let alternatives = self.alternation()?;
        self.depth -= 1;
        if self.next() != Some(')') {
            return Err(self.error("missing `)`"));
        }
        Ok(Node::Group(alternatives))
    }

    fn escape(&mut self) -> Result<ClassItem, RegexError> {
        let Some(c) = self.next() else {
            return Err(self.error("trailing `\\`"));
        };
        Ok(match c {
            'w' => ClassItem::Word(true),
            'W' => ClassItem::Word(false),
            'd' => ClassItem::Digit(true),
            'D' => ClassItem::Digit(false),
            's' => ClassItem::Space(true),
            'S' => ClassItem::Space(false),
            'n' => ClassItem::Range('\n', '\n'),
            't' => ClassItem::Range('\t', '\t'),
            c if c.is_ascii_punctuation() => ClassItem::Range(c, c),
            _ => return Err(self.error("unsupported escape")),
        })
    }

    fn class(&mut self) -> Result<Class, RegexError> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        loop {
            let Some(c) = self.next() else {
                return Err(self.error("missing `]`"));
            };
            if c == ']' && !items.is_empty() {
                return Ok(Class { negated, items });
            }
            let item = if c == '\\' {
                self.escape()?
            } else {
                ClassItem::Range(c, c)
            };
            items.push(self.class_range(item)?);
        }
    }

    /// Turns `a` followed by `-z` into the range `a-z`; a `-` before `]` stays literal.
    fn class_range(&mut self, first: ClassItem) -> Result<ClassItem, RegexError> {
        let ClassItem::Range(lo, _) = first else {
            return Ok(first);
        };
        let is_range =
            self.peek() == Some('-') && !matches!(self.chars.get(self.pos + 1), Some(']') | None);
        if !is_range {
            return Ok(first);
        }
        self.pos += 1;
        let hi = match self.next() {
            Some('\\') => match self.escape()? {
                ClassItem::Range(h, _) => h,
                _ => return Err(self.error("class shorthand cannot end a range")),
            },
            Some(h) => h,
            None => return Err(self.error("missing `]`")),
        };
        if hi < lo {
            return Err(self.error("reversed class range"));
        }
        Ok(ClassItem::Range(lo, hi))
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, RegexError> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => return self.braces(atom),
            _ => return Ok(atom),
        };
        self.pos += 1;
        self.repeat(atom, min, max)
    }

    fn braces(&mut self, atom: Node) -> Result<Node, RegexError> {
        self.pos += 1;
        let min = self
            .number()?
            .ok_or_else(|| self.error("expected a number after `{`"))?;
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            self.number()?
        } else {
            Some(min)
        };
        if self.next() != Some('}') {
            return Err(self.error("missing `}`"));
        }
        if max.is_some_and(|max| max < min) {
            return Err(self.error("quantifier maximum below minimum"));
        }
        self.repeat(atom, min, max)
    }

    fn number(&mut self) -> Result<Option<u32>, RegexError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return Ok(None);
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        match digits.parse::<u32>() {
            Ok(n) if n <= MAX_REPEAT => Ok(Some(n)),
            _ => Err(self.error("quantifier too large")),
        }
    }

    fn repeat(&mut self, atom: Node, min: u32, max: Option<u32>) -> Result<Node, RegexError> {
        if matches!(atom, Node::Start | Node::End) {
            return Err(self.error("anchors cannot be repeated"));
        }
        if matches!(self.peek(), Some('?' | '+')) {
            return Err(self.error("lazy and possessive quantifiers are not supported"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

/// Matches `seq` at `pos`, then hands the end position to `k`; backtracks when `k` fails.
fn match_seq(seq: &[Node], input: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match seq.split_first() {
        None => k(pos),
        Some((node, rest)) => match_node(node, input, pos, &mut |next| {
            match_seq(rest, input, next, k)
        }),
    }
}

fn match_node(node: &Node, input: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let current = input.get(pos).copied();
    match node {
        Node::Char(c) => current == Some(*c) && k(pos + 1),
        Node::Any => current.is_some_and(|c| c != '\n') && k(pos + 1),
        Node::Class(class) => current.is_some_and(|c| class.matches(c)) && k(pos + 1),
        Node::Start => pos == 0 && k(pos),
        Node::End => pos == input.len() && k(pos),
        Node::Group(alternatives) => alternatives.iter().any(|alt| match_seq(alt, input, pos, k)),
        Node::Repeat { node, min, max } => match_repeat(node, *min, *max, 0, input, pos, k),
    }
}

fn match_repeat(
    node: &Node,
    min: u32,
    max: Option<u32>,
    count: u32,
    input: &[char],
    pos: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    // Greedy: try one more repetition first. An iteration that consumes nothing ends the loop
    // (it could repeat forever, and any remaining minimum is met by repeating it), which keeps
    // the recursion depth bounded by the input length.
    let may_repeat = max.is_none_or(|max| count < max);
    if may_repeat
        && match_node(node, input, pos, &mut |next| {
            if next == pos {
                k(pos)
            } else {
                match_repeat(node, min, max, count + 1, input, next, k)
            }
        })
    {
        return true;
    }
    count >= min && k(pos)
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn is_match(pattern: &str, input: &str) -> bool {
        Regex::new(pattern)
            .expect("pattern compiles")
            .is_match(input)
    }

    #[test]
    fn partition_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af)-\w+-\d+$";
        assert!(is_match(aws, "us-east-1"));
        assert!(is_match(aws, "af-south-1"));
        assert!(!is_match(aws, "us-gov-west-1x"));
        assert!(!is_match(aws, "cn-north-1"));
        assert!(is_match(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(is_match(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!is_match(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
    }

    #[test]
    fn basics() {
        assert!(is_match("b+c", "aabbbcc"));
        assert!(!is_match("^b+c", "abbbc"));
        assert!(is_match("^[a-c]{2,3}$", "abc"));
        assert!(!is_match("^[a-c]{2,3}$", "abca"));
        assert!(is_match("^[^0-9]?x$", "ax"));
        assert!(is_match("^(?:a*)*b$", "aaab"));
        assert!(is_match("^a.c$", "abc"));
        assert!(is_match("^[a-]+$", "a-a"));
        assert!(is_match("^(a?){3}b$", "ab"));
        assert!(is_match("^((a?){1000}){1000}$", "aaa"));
    }

    #[test]
    fn rejects_unsupported_syntax() {
        for bad in [
            "(", "a)", "[a", "*a", "a{3,1}", r"\p{L}", "(?=a)", "a*?", "a{99999}",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad} should be rejected");
        }
    }
}
