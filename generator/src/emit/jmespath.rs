//! A JMESPath subset compiled to Rust over typed outputs, for waiter acceptors.
//!
//! Supported: identifiers and sub-expressions (`a.b`), `@`, flatten projections (`a[].b`),
//! comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`), `&&`, `||`, `!`, parentheses, raw strings
//! (`'x'`), JSON literals (`` `true` ``), and the functions `length` and `contains`. That covers
//! every waiter path in the AWS restJson1 corpus; anything else is reported as unsupported.

use super::symbols::Symbols;
use crate::model::{ShapeId, ShapeKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `@`.
    Current,
    /// A field of the current value.
    Field(String),
    /// `left.right`.
    Sub(Box<Expr>, Box<Expr>),
    /// `left[]` followed by a projected right side (`Current` when nothing follows).
    Flatten(Box<Expr>, Box<Expr>),
    /// A comparison.
    Compare(String, Box<Expr>, Box<Expr>),
    /// `&&`.
    And(Box<Expr>, Box<Expr>),
    /// `||`.
    Or(Box<Expr>, Box<Expr>),
    /// `!`.
    Not(Box<Expr>),
    /// A literal.
    Literal(serde_json::Value),
    /// A function call.
    Call(String, Vec<Expr>),
}

/// Parses an expression; `Err` says what is not supported or malformed.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err(format!(
            "unexpected `{}` in `{text}`",
            parser.tokens[parser.at]
        ));
    }
    Ok(expr)
}

fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == '\'' || c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .ok_or_else(|| format!("unterminated literal in `{text}`"))?;
            tokens.push(chars[i..i + end + 2].iter().collect());
            i += end + 2;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["==", "!=", "<=", ">=", "&&", "||", "[]"].contains(&two.as_str()) {
                tokens.push(two);
                i += 2;
            } else if "@.!<>(),".contains(c) {
                tokens.push(c.to_string());
                i += 1;
            } else {
                return Err(format!("unsupported character `{c}` in `{text}`"));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.peek() == Some(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.unary()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Ok(Expr::Compare(
                    op.to_string(),
                    Box::new(left),
                    Box::new(self.unary()?),
                ));
            }
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.path()
    }

    fn path(&mut self) -> Result<Expr, String> {
        let mut expr = self.primary()?;
        loop {
            if self.eat(".") {
                let field = self.primary()?;
                expr = Expr::Sub(Box::new(expr), Box::new(field));
            } else if self.eat("[]") {
                let rest = self.projection_rest()?;
                return Ok(Expr::Flatten(Box::new(expr), Box::new(rest)));
            } else {
                return Ok(expr);
            }
        }
    }

    /// What follows `[]`: `.a.b...` (possibly with further `[]`), applied to each item.
    fn projection_rest(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(".") {
            self.at += 1;
            return self.path();
        }
        if self.eat("[]") {
            let rest = self.projection_rest()?;
            return Ok(Expr::Flatten(Box::new(Expr::Current), Box::new(rest)));
        }
        Ok(Expr::Current)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let token = self
            .peek()
            .ok_or("unexpected end of expression")?
            .to_string();
        self.at += 1;
        if token == "@" {
            return Ok(Expr::Current);
        }
        if token == "(" {
            let inner = self.or()?;
            return if self.eat(")") {
                Ok(inner)
            } else {
                Err("missing `)`".into())
            };
        }
        if let Some(raw) = token.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            return Ok(Expr::Literal(serde_json::Value::String(raw.to_string())));
        }
        if let Some(json) = token.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
            return serde_json::from_str(json)
                .map(Expr::Literal)
                .map_err(|e| format!("bad literal `{json}`: {e}"));
        }
        if token.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            if self.eat("(") {
                return self.call(token);
            }
            return Ok(Expr::Field(token));
        }
        Err(format!("unsupported token `{token}`"))
    }

    fn call(&mut self, name: String) -> Result<Expr, String> {
        if !["length", "contains"].contains(&name.as_str()) {
            return Err(format!("unsupported function `{name}`"));
        }
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.or()?);
                if self.eat(")") {
                    break;
                }
                if !self.eat(",") {
                    return Err("expected `,` or `)`".into());
                }
            }
        }
        Ok(Expr::Call(name, args))
    }
}

/// The shape of the value an expression is applied to.
#[derive(Clone, Debug)]
pub enum Subject {
    /// A typed value of this shape.
    Shape(ShapeId),
    /// An untyped JMESPath value (after a projection collected items).
    Value,
}

/// Compiles `expr`, applied to `current` (a Rust expression of type `Option<&T>` where `T` is
/// the subject's type), to a Rust expression of type `smithy_runtime::jmes::Value`.
pub fn compile(
    symbols: &Symbols,
    expr: &Expr,
    current: TokenStream,
    subject: &ShapeId,
) -> Result<TokenStream, String> {
    let j = quote!(::smithy_runtime::jmes);
    match expr {
        Expr::Current => Ok(leaf(symbols, current, subject)),
        Expr::Field(_) | Expr::Sub(..) => {
            let (access, shape) = access_chain(symbols, expr, current, subject)?;
            Ok(leaf(symbols, access, &shape))
        }
        Expr::Flatten(list, rest) => compile_flatten(symbols, list, rest, current, subject),
        Expr::Compare(op, a, b) => {
            let a = compile(symbols, a, current.clone(), subject)?;
            let b = compile(symbols, b, current, subject)?;
            Ok(match op.as_str() {
                "==" => quote!(#j::equals(&#a, &#b)),
                "!=" => quote!(#j::not(&#j::equals(&#a, &#b))),
                other => quote!(#j::compare(&#a, &#b, #other)),
            })
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            let f = if matches!(expr, Expr::And(..)) {
                quote!(and)
            } else {
                quote!(or)
            };
            let a = compile(symbols, a, current.clone(), subject)?;
            let b = compile(symbols, b, current, subject)?;
            Ok(quote!(#j::#f(#a, || #b)))
        }
        Expr::Not(a) => {
            let a = compile(symbols, a, current, subject)?;
            Ok(quote!(#j::not(&#a)))
        }
        Expr::Literal(value) => Ok(literal(value)),
        Expr::Call(name, args) => {
            let args = args
                .iter()
                .map(|a| compile(symbols, a, current.clone(), subject))
                .collect::<Result<Vec<_>, _>>()?;
            match (name.as_str(), args.as_slice()) {
                ("length", [a]) => Ok(quote!(#j::length(&#a))),
                ("contains", [a, b]) => Ok(quote!(#j::contains(&#a, &#b))),
                _ => Err(format!("wrong arguments to `{name}`")),
            }
        }
    }
}

/// `a.b.c` as an `Option<&T>` chain, returning it and the final shape.
fn access_chain(
    symbols: &Symbols,
    expr: &Expr,
    current: TokenStream,
    subject: &ShapeId,
) -> Result<(TokenStream, ShapeId), String> {
    match expr {
        Expr::Current => Ok((current, subject.clone())),
        Expr::Field(name) => field(symbols, name, current, subject),
        Expr::Sub(left, right) => {
            let (access, shape) = access_chain(symbols, left, current, subject)?;
            access_chain(symbols, right, access, &shape)
        }
        other => Err(format!("unsupported sub-expression `{other:?}`")),
    }
}

fn field(
    symbols: &Symbols,
    name: &str,
    current: TokenStream,
    subject: &ShapeId,
) -> Result<(TokenStream, ShapeId), String> {
    let shape = symbols.shape(subject);
    let ShapeKind::Structure(members) = &shape.kind else {
        return Err(format!(
            "`{name}` is not a member of {subject}, a {}",
            shape.kind.type_name()
        ));
    };
    let member = members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("{subject} has no member `{name}`"))?;
    let field = ident(&symbols.field_name(subject, &member.name));
    let boxed = symbols.is_boxed(subject, member);
    let deref = if boxed {
        quote!(.map(|v| &**v))
    } else {
        quote!()
    };
    let access = if symbols.is_optional(shape, member) {
        quote!(#current.and_then(|v| v.#field.as_ref())#deref)
    } else {
        quote!(#current.map(|v| &v.#field)#deref)
    };
    Ok((access, member.target.clone()))
}

fn compile_flatten(
    symbols: &Symbols,
    list: &Expr,
    rest: &Expr,
    current: TokenStream,
    subject: &ShapeId,
) -> Result<TokenStream, String> {
    let j = quote!(::smithy_runtime::jmes);
    let (access, shape) = access_chain(symbols, list, current, subject)?;
    let ShapeKind::List(item) = &symbols.shape(&shape).kind else {
        return Err(format!("`[]` applied to {shape}, which is not a list"));
    };
    let sparse = symbols.shape(&shape).traits.sparse();
    let each = compile(symbols, rest, quote!(item), &item.target)?;
    let items = if sparse { quote!(.flatten()) } else { quote!() };
    let projection = quote! {
        #j::project(#access.into_iter().flat_map(|list| list.iter()#items).map(|item| { let item = ::std::option::Option::Some(item); #each }))
    };
    // A `[]` further right flattens what this projection collected (JMESPath's `a[].b[].c` is
    // one flat list of every `c`, not a list per `a`): each item then gave a list, and the
    // lists are joined.
    if matches!(rest, Expr::Flatten(..)) {
        Ok(quote!(#j::flatten(#projection)))
    } else {
        Ok(projection)
    }
}

/// Converts a typed `Option<&T>` to a JMESPath value.
fn leaf(symbols: &Symbols, current: TokenStream, shape_id: &ShapeId) -> TokenStream {
    let j = quote!(::smithy_runtime::jmes);
    let shape = symbols.shape(shape_id);
    let convert = match &shape.kind {
        ShapeKind::String => quote!(#j::Value::String(v.to_string())),
        ShapeKind::Enum(_) => quote!(#j::Value::String(v.as_str().to_string())),
        ShapeKind::IntEnum(_) => quote!(#j::Value::Number(f64::from(v.as_i32()))),
        ShapeKind::Boolean => quote!(#j::Value::Bool(*v)),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Float => {
            quote!(#j::Value::Number(f64::from(*v)))
        }
        ShapeKind::Long => quote!(#j::Value::Number(*v as f64)),
        ShapeKind::Double => quote!(#j::Value::Number(*v)),
        ShapeKind::Timestamp => {
            quote!(#j::Value::Number(::smithy_runtime::timestamp::epoch_seconds_f64(v)))
        }
        ShapeKind::List(item) => {
            let each = leaf(
                symbols,
                quote!(::std::option::Option::Some(item)),
                &item.target,
            );
            let flatten = if shape.traits.sparse() {
                quote!(.flatten())
            } else {
                quote!()
            };
            quote!(#j::Value::List(v.iter()#flatten.map(|item| #each).collect()))
        }
        ShapeKind::Map(..) => quote!(#j::Value::Object(v.len())),
        ShapeKind::Structure(members) => {
            let count = members.len();
            quote!({ let _ = v; #j::Value::Object(#count) })
        }
        _ => quote!({ let _ = v; #j::Value::Object(1) }),
    };
    quote!(match #current { ::std::option::Option::Some(v) => #convert, ::std::option::Option::None => #j::Value::Null })
}

fn literal(value: &serde_json::Value) -> TokenStream {
    let j = quote!(::smithy_runtime::jmes);
    match value {
        serde_json::Value::Null => quote!(#j::Value::Null),
        serde_json::Value::Bool(b) => quote!(#j::Value::Bool(#b)),
        serde_json::Value::Number(n) => {
            let n = proc_macro2::Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
            quote!(#j::Value::Number(#n))
        }
        serde_json::Value::String(s) => quote!(#j::Value::String(#s.to_string())),
        serde_json::Value::Array(items) => {
            let items = items.iter().map(literal);
            quote!(#j::Value::List(::std::vec![#(#items),*]))
        }
        serde_json::Value::Object(map) => {
            let size = map.len();
            quote!(#j::Value::Object(#size))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_corpus_forms() {
        assert_eq!(parse("Status").unwrap(), Expr::Field("Status".into()));
        assert!(matches!(
            parse("scraper.status.statusCode").unwrap(),
            Expr::Sub(..)
        ));
        assert!(matches!(
            parse("status != 'CANCELLING' && status != 'CANCELLED'").unwrap(),
            Expr::And(..)
        ));
        assert!(matches!(
            parse("Items[].Status").unwrap(),
            Expr::Flatten(..)
        ));
        assert!(matches!(
            parse("length(Items[]) > `0`").unwrap(),
            Expr::Compare(..)
        ));
        assert!(parse("Items[?x == 'y']").is_err());
        assert!(parse("foo(bar)").is_err());
    }
}
