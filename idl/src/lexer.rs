//! Tokenizer for Smithy IDL text.
//!
//! Whitespace, line breaks, commas and comments are kept as tokens because the
//! IDL grammar is whitespace sensitive (statements end at a line break, some
//! productions require a space). Strings and text blocks are decoded here so
//! the parser only sees their final values. Lexing never fails: a malformed
//! construct becomes an [`Tok::Error`] token that the parser reports when it
//! reaches it, so errors come out in source order.

use crate::error::Pos;
use serde_json::Number;

/// The kind (and payload) of one token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// One or more spaces or tabs.
    Space,
    /// A single line feed.
    Newline,
    /// A `,` (treated as whitespace by the grammar).
    Comma,
    /// A `//` comment, including its terminating line feed.
    Comment,
    /// A `///` documentation comment; the payload is the text after `///` and one optional space.
    DocComment(String),
    /// `@`
    At,
    /// `$`
    Dollar,
    /// `:`
    Colon,
    /// `:=`
    Walrus,
    /// `=`
    Equal,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `#`
    Pound,
    /// `.`
    Dot,
    /// An identifier such as `structure` or `Foo_1`.
    Ident(String),
    /// A decoded quoted string.
    Str(String),
    /// A decoded text block (`"""`).
    TextBlock(String),
    /// A number literal.
    Number(Number),
    /// A malformed construct; the payload says what was wrong.
    Error(String),
    /// End of input.
    Eof,
}

impl Tok {
    /// Describes the token for "found ..." in error messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Space => "a space".into(),
            Tok::Newline => "a line break".into(),
            Tok::Comma => "','".into(),
            Tok::Comment => "a comment".into(),
            Tok::DocComment(_) => "a documentation comment".into(),
            Tok::At => "'@'".into(),
            Tok::Dollar => "'$'".into(),
            Tok::Colon => "':'".into(),
            Tok::Walrus => "':='".into(),
            Tok::Equal => "'='".into(),
            Tok::LBrace => "'{'".into(),
            Tok::RBrace => "'}'".into(),
            Tok::LBracket => "'['".into(),
            Tok::RBracket => "']'".into(),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::Pound => "'#'".into(),
            Tok::Dot => "'.'".into(),
            Tok::Ident(s) => format!("identifier '{s}'"),
            Tok::Str(_) => "a string".into(),
            Tok::TextBlock(_) => "a text block".into(),
            Tok::Number(n) => format!("number {n}"),
            Tok::Error(m) => m.clone(),
            Tok::Eof => "end of file".into(),
        }
    }
}

/// A token with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// What was read.
    pub tok: Tok,
    /// Where it starts.
    pub pos: Pos,
}

/// Splits a whole file into tokens. The result always ends with [`Tok::Eof`],
/// and stops right after the first [`Tok::Error`] (followed by `Eof`).
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        src: text.as_bytes(),
        text,
        i: 0,
        line: 1,
        col: 1,
        err_at: None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    loop {
        let pos = lexer.pos();
        let tok = lexer.next_token();
        let stop = matches!(tok, Tok::Eof | Tok::Error(_));
        // Some errors are reported where the problem is, not where the token began.
        let pos = lexer.err_at.take().unwrap_or(pos);
        out.push(Token { tok, pos });
        if stop {
            break;
        }
    }
    if !matches!(out.last(), Some(Token { tok: Tok::Eof, .. })) {
        out.push(Token {
            tok: Tok::Eof,
            pos: lexer.pos(),
        });
    }
    out
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    i: usize,
    line: u32,
    col: u32,
    err_at: Option<Pos>,
}

impl Lexer<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.src.get(self.i + offset).copied()
    }

    /// Advances one byte, keeping line/column in characters (UTF-8
    /// continuation bytes do not move the column).
    fn advance(&mut self) {
        if let Some(&b) = self.src.get(self.i) {
            self.i += 1;
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    fn advance_n(&mut self, n: usize) {
        for _ in 0..n {
            self.advance();
        }
    }

    fn next_token(&mut self) -> Tok {
        let Some(b) = self.peek_at(0) else {
            return Tok::Eof;
        };
        match b {
            b' ' | b'\t' => {
                while matches!(self.peek_at(0), Some(b' ' | b'\t')) {
                    self.advance();
                }
                Tok::Space
            }
            b'\n' => self.single(Tok::Newline),
            b'\r' if self.peek_at(1) == Some(b'\n') => {
                self.advance_n(2);
                Tok::Newline
            }
            b',' => self.single(Tok::Comma),
            b'/' if self.peek_at(1) == Some(b'/') => self.comment(),
            b'@' => self.single(Tok::At),
            b'$' => self.single(Tok::Dollar),
            b':' if self.peek_at(1) == Some(b'=') => {
                self.advance_n(2);
                Tok::Walrus
            }
            b':' => self.single(Tok::Colon),
            b'=' => self.single(Tok::Equal),
            b'{' => self.single(Tok::LBrace),
            b'}' => self.single(Tok::RBrace),
            b'[' => self.single(Tok::LBracket),
            b']' => self.single(Tok::RBracket),
            b'(' => self.single(Tok::LParen),
            b')' => self.single(Tok::RParen),
            b'#' => self.single(Tok::Pound),
            b'.' => self.single(Tok::Dot),
            b'"' => self.string_or_text_block(),
            b'-' | b'0'..=b'9' => self.number(),
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => self.identifier(),
            _ => {
                let ch = self.text.get(self.i..).and_then(|s| s.chars().next());
                Tok::Error(format!("unexpected character '{}'", ch.unwrap_or('?')))
            }
        }
    }

    fn single(&mut self, tok: Tok) -> Tok {
        self.advance();
        tok
    }

    fn comment(&mut self) -> Tok {
        let start = self.i;
        while let Some(b) = self.peek_at(0) {
            self.advance();
            if b == b'\n' {
                break;
            }
        }
        let body = self.text.get(start..self.i).unwrap_or("");
        match body.strip_prefix("///") {
            Some(rest) => {
                let rest = rest.trim_end_matches(['\n', '\r']);
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                Tok::DocComment(rest.to_string())
            }
            None => Tok::Comment,
        }
    }

    fn identifier(&mut self) -> Tok {
        let start = self.i;
        while self.peek_at(0) == Some(b'_') {
            self.advance();
        }
        // An identifier needs a letter after any leading underscores.
        match self.peek_at(0) {
            Some(b) if b.is_ascii_alphabetic() => {}
            Some(b) if b.is_ascii_digit() && self.i > start => {}
            other => {
                self.err_at = Some(self.pos());
                let found = other
                    .map(|b| (b as char).to_string())
                    .unwrap_or_else(|| "end of file".into());
                return Tok::Error(format!(
                    "expected a valid identifier character, found '{found}'"
                ));
            }
        }
        while matches!(self.peek_at(0), Some(b) if b.is_ascii_alphanumeric() || b == b'_') {
            self.advance();
        }
        Tok::Ident(self.text.get(start..self.i).unwrap_or("").to_string())
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while matches!(self.peek_at(0), Some(b'0'..=b'9')) {
            self.advance();
            n += 1;
        }
        n
    }

    fn number(&mut self) -> Tok {
        let start = self.i;
        let mut float = false;
        if self.peek_at(0) == Some(b'-') {
            self.advance();
        }
        if self.digits() == 0 {
            return Tok::Error("invalid number '-': '-' must be followed by a digit".into());
        }
        if self.peek_at(0) == Some(b'.') {
            float = true;
            self.advance();
            if self.digits() == 0 {
                let lit = self.text.get(start..self.i).unwrap_or("");
                return Tok::Error(format!(
                    "invalid number '{lit}': '.' must be followed by a digit"
                ));
            }
        }
        if matches!(self.peek_at(0), Some(b'e' | b'E')) {
            float = true;
            self.advance();
            if matches!(self.peek_at(0), Some(b'+' | b'-')) {
                self.advance();
            }
            if self.digits() == 0 {
                let lit = self.text.get(start..self.i).unwrap_or("");
                return Tok::Error(format!(
                    "invalid number '{lit}': 'e', '+', and '-' must be followed by a digit"
                ));
            }
        }
        let lit = self.text.get(start..self.i).unwrap_or("0");
        match parse_number(lit, float) {
            Some(n) => Tok::Number(n),
            None => Tok::Error(format!("invalid number '{lit}'")),
        }
    }

    fn string_or_text_block(&mut self) -> Tok {
        if self.peek_at(1) == Some(b'"') && self.peek_at(2) == Some(b'"') {
            self.advance_n(3);
            return self.text_block();
        }
        self.advance();
        let start = self.i;
        loop {
            match self.peek_at(0) {
                None => {
                    self.err_at = Some(self.pos());
                    return Tok::Error(
                        "expected '\"' to close the string, found end of file".into(),
                    );
                }
                Some(b'"') => break,
                Some(b'\\') => self.advance_n(2),
                Some(_) => self.advance(),
            }
        }
        let raw = self.text.get(start..self.i).unwrap_or("");
        self.advance();
        match unescape(raw) {
            Ok(s) => Tok::Str(s),
            Err(e) => Tok::Error(format!("error parsing quoted string: {e}")),
        }
    }

    fn text_block(&mut self) -> Tok {
        let start = self.i;
        loop {
            match self.peek_at(0) {
                None => {
                    self.err_at = Some(self.pos());
                    return Tok::Error(
                        "expected '\"\"\"' to close the text block, found end of file".into(),
                    );
                }
                Some(b'"') if self.peek_at(1) == Some(b'"') && self.peek_at(2) == Some(b'"') => {
                    break
                }
                Some(b'\\') => self.advance_n(2),
                Some(_) => self.advance(),
            }
        }
        let raw = self.text.get(start..self.i).unwrap_or("");
        self.advance_n(3);
        match decode_text_block(raw) {
            Ok(s) => Tok::TextBlock(s),
            Err(e) => Tok::Error(format!("error parsing text block: {e}")),
        }
    }
}

/// Converts a number literal to a JSON number: integers stay integers when they
/// fit in 64 bits, everything else becomes a float.
pub(crate) fn parse_number(lit: &str, float: bool) -> Option<Number> {
    if !float {
        if let Ok(v) = lit.parse::<i64>() {
            return Some(Number::from(v));
        }
        if let Ok(v) = lit.parse::<u64>() {
            return Some(Number::from(v));
        }
    }
    let value = lit.parse::<f64>().ok()?;
    // serde_json (without arbitrary precision) cannot hold numbers beyond the
    // f64 range, so they saturate to the largest finite value.
    let value = if value.is_infinite() {
        f64::MAX.copysign(value)
    } else {
        value
    };
    Number::from_f64(value)
}

/// Removes the incidental indentation of a text block (the smallest
/// indentation among non-blank lines and the closing-delimiter line), strips
/// trailing whitespace of each line, then interprets escapes.
fn decode_text_block(raw: &str) -> Result<String, String> {
    let raw = raw.replace("\r\n", "\n");
    if raw.is_empty() {
        return Err("text block is empty".into());
    }
    let Some(body) = raw.strip_prefix('\n') else {
        return Err("text block must start with a new line".into());
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == last || !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            continue;
        }
        let stripped = line.get(indent..).unwrap_or("");
        out.push_str(stripped.trim_end_matches([' ', '\t']));
    }
    unescape(&out)
}

/// Interprets the escapes of a quoted string or text block body.
pub(crate) fn unescape(raw: &str) -> Result<String, String> {
    if !raw.contains(['\\', '\r']) {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err("invalid escape found in string: `\\`".into());
                };
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    '\n' => {}
                    '\r' if chars.peek() == Some(&'\n') => {
                        chars.next();
                    }
                    'u' => out.push(unicode_escape(&mut chars)?),
                    other => return Err(format!("invalid escape found in string: `\\{other}`")),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn hex4(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<u32, String> {
    let mut v = 0u32;
    for _ in 0..4 {
        let Some(c) = chars.next() else {
            return Err("invalid unclosed unicode escape found in string".into());
        };
        let d = c
            .to_digit(16)
            .ok_or_else(|| format!("invalid unicode escape character: `{c}`"))?;
        v = v * 16 + d;
    }
    Ok(v)
}

/// Decodes the `XXXX` of `\uXXXX`, joining UTF-16 surrogate pairs.
fn unicode_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<char, String> {
    let hi = hex4(chars)?;
    if (0xD800..0xDC00).contains(&hi) {
        if chars.next() != Some('\\') || chars.next() != Some('u') {
            return Err("unpaired unicode surrogate in escape".into());
        }
        let lo = hex4(chars)?;
        if !(0xDC00..0xE000).contains(&lo) {
            return Err("invalid unicode surrogate pair in escape".into());
        }
        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
        return char::from_u32(code).ok_or_else(|| "invalid unicode escape".to_string());
    }
    char::from_u32(hi).ok_or_else(|| "unpaired unicode surrogate in escape".to_string())
}
