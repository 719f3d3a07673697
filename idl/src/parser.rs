//! Recursive-descent parser turning tokens of one file into [`FileIr`].
//!
//! It follows the IDL 2.0 ABNF: the control, metadata and shape sections in
//! that order, statements ended by line breaks, and the places where the
//! grammar demands a space. Shape IDs are kept as written; see `resolver`.

use crate::error::{IdlError, Pos};
use crate::ir::{ApplyDef, FileIr, MemberDef, Node, RawId, ShapeDef, TraitApp, Version};
use crate::lexer::{tokenize, Tok, Token};
use std::collections::HashSet;

/// Deepest nesting of node values (and inline structures) accepted, so that
/// hostile input cannot overflow the stack.
pub(crate) const MAX_DEPTH: usize = 200;

const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];

type Result<T> = std::result::Result<T, IdlError>;

/// Parses one file into its unresolved form.
pub(crate) fn parse(path: &str, text: &str) -> Result<FileIr> {
    let mut p = Parser {
        file: path,
        toks: tokenize(text),
        i: 0,
        docs: Vec::new(),
        depth: 0,
        input_suffix: "Input".into(),
        output_suffix: "Output".into(),
        ir: FileIr {
            path: path.to_string(),
            version: Version::V1,
            namespace: None,
            uses: Vec::new(),
            metadata: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
        },
    };
    p.file_body()?;
    Ok(p.ir)
}

/// Documentation comments collected before a trait list or shape, if any.
struct Traits {
    docs: Option<(String, Pos)>,
    list: Vec<TraitApp>,
}

impl Traits {
    /// All traits, with doc comments turned into `smithy.api#documentation`.
    fn into_vec(self) -> Vec<TraitApp> {
        let mut list = self.list;
        if let Some((text, pos)) = self.docs {
            let explicit = has_trait(&list, "documentation");
            if !explicit {
                list.insert(0, doc_trait(text, pos));
            }
        }
        list
    }
}

fn doc_trait(text: String, pos: Pos) -> TraitApp {
    TraitApp {
        id: RawId {
            text: "smithy.api#documentation".into(),
            pos,
        },
        value: Some(Node::Str(text)),
    }
}

struct Parser<'a> {
    file: &'a str,
    toks: Vec<Token>,
    i: usize,
    /// Doc comment lines seen since the last significant token.
    docs: Vec<(String, Pos)>,
    depth: usize,
    input_suffix: String,
    output_suffix: String,
    ir: FileIr,
}

impl Parser<'_> {
    // ----- token access -------------------------------------------------

    fn peek(&self) -> &Tok {
        self.toks.get(self.i).map(|t| &t.tok).unwrap_or(&Tok::Eof)
    }

    fn pos(&self) -> Pos {
        self.toks
            .get(self.i)
            .or_else(|| self.toks.last())
            .map(|t| t.pos)
            .unwrap_or_default()
    }

    /// Position of the next token that is not a space.
    fn pos_past_space(&self) -> Pos {
        let mut j = self.i;
        while self.toks.get(j).is_some_and(|t| t.tok == Tok::Space) {
            j += 1;
        }
        self.toks
            .get(j)
            .or_else(|| self.toks.last())
            .map(|t| t.pos)
            .unwrap_or_default()
    }

    /// Consumes the current token. Any pending doc comments are dropped
    /// because they did not directly precede a shape or member.
    fn bump(&mut self) -> Tok {
        self.docs.clear();
        match self.toks.get_mut(self.i) {
            Some(t) if t.tok != Tok::Eof => {
                self.i += 1;
                std::mem::replace(&mut t.tok, Tok::Eof)
            }
            _ => Tok::Eof,
        }
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == word)
    }

    // ----- errors -------------------------------------------------------

    fn error_at(&self, pos: Pos, msg: impl Into<String>) -> IdlError {
        pos.error(self.file, msg)
    }

    /// "expected X, found Y" at the current token (or the lexer's own message).
    fn unexpected(&self, expected: &str) -> IdlError {
        match self.peek() {
            Tok::Error(m) => self.error_at(self.pos(), m.clone()),
            other => self.error_at(
                self.pos(),
                format!("expected {expected}, found {}", other.describe()),
            ),
        }
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> Result<Pos> {
        if *self.peek() == tok {
            let pos = self.pos();
            self.bump();
            Ok(pos)
        } else {
            Err(self.unexpected(expected))
        }
    }

    // ----- whitespace -----------------------------------------------------

    /// Skips spaces and tabs only (`SP` in the grammar).
    fn sp(&mut self) {
        while *self.peek() == Tok::Space {
            self.i += 1;
        }
    }

    /// Skips any whitespace, commas and comments (`WS`), remembering doc comments.
    fn ws(&mut self) {
        loop {
            match self.peek() {
                Tok::DocComment(text) => {
                    let entry = (text.clone(), self.pos());
                    self.docs.push(entry);
                    self.i += 1;
                }
                t if is_ws(t) => self.i += 1,
                _ => break,
            }
        }
    }

    /// Requires at least one whitespace token, then skips all of them.
    fn ws_required(&mut self) -> Result<()> {
        if !is_ws(self.peek()) {
            return Err(self.unexpected("whitespace"));
        }
        self.ws();
        Ok(())
    }

    /// A line break (`BR`): optional spaces, then a newline or comment (or the
    /// end of the file), then any whitespace.
    fn br(&mut self) -> Result<()> {
        self.sp();
        match self.peek() {
            Tok::Newline | Tok::Comment => {
                self.ws();
                Ok(())
            }
            Tok::DocComment(_) => {
                // A doc comment on the same line as the statement it ends
                // documents nothing.
                self.i += 1;
                self.ws();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => Err(self.unexpected("a line break")),
        }
    }

    fn take_docs(&mut self) -> Option<(String, Pos)> {
        let first = self.docs.first()?.1;
        let lines: Vec<String> = self.docs.drain(..).map(|(t, _)| t).collect();
        Some((lines.join("\n"), first))
    }

    // ----- identifiers and shape IDs ----------------------------------------

    fn ident(&mut self, expected: &str) -> Result<(String, Pos)> {
        let pos = self.pos();
        match self.peek() {
            Tok::Ident(_) => match self.bump() {
                Tok::Ident(s) => Ok((s, pos)),
                _ => Err(self.unexpected(expected)),
            },
            _ => Err(self.unexpected(expected)),
        }
    }

    /// `Namespace "#" Identifier ["$" Identifier]`, or a relative form.
    fn shape_id(&mut self, expected: &str) -> Result<RawId> {
        let (mut text, pos) = self.ident(expected)?;
        while *self.peek() == Tok::Dot {
            self.bump();
            text.push('.');
            text.push_str(&self.ident("an identifier after '.' in a namespace")?.0);
        }
        if *self.peek() == Tok::Pound {
            self.bump();
            text.push('#');
            text.push_str(&self.ident("a shape name after '#'")?.0);
        }
        if *self.peek() == Tok::Dollar {
            self.bump();
            text.push('$');
            text.push_str(&self.ident("a member name after '$'")?.0);
        }
        Ok(RawId { text, pos })
    }

    fn namespace_name(&mut self) -> Result<String> {
        let (mut text, _) = self.ident("a namespace")?;
        while *self.peek() == Tok::Dot {
            self.bump();
            text.push('.');
            text.push_str(&self.ident("an identifier after '.' in a namespace")?.0);
        }
        Ok(text)
    }

    // ----- node values ------------------------------------------------------

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(
                self.pos(),
                format!("nesting is deeper than the supported {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn node(&mut self) -> Result<Node> {
        match self.peek() {
            Tok::Str(_) | Tok::TextBlock(_) => match self.bump() {
                Tok::Str(s) | Tok::TextBlock(s) => Ok(Node::Str(s)),
                _ => Err(self.unexpected("a string")),
            },
            Tok::Number(n) => {
                let n = n.clone();
                self.bump();
                Ok(Node::Num(n))
            }
            Tok::Ident(word) => match word.as_str() {
                "true" | "false" | "null" => {
                    let node = match word.as_str() {
                        "true" => Node::Bool(true),
                        "false" => Node::Bool(false),
                        _ => Node::Null,
                    };
                    self.bump();
                    Ok(node)
                }
                _ => Ok(Node::Id(self.shape_id("a shape ID")?)),
            },
            Tok::LBrace => self.node_object(),
            Tok::LBracket => self.node_array(),
            _ => Err(self
                .unexpected("a node value (string, text block, number, identifier, '{' or '[')")),
        }
    }

    fn node_array(&mut self) -> Result<Node> {
        self.enter()?;
        self.expect(Tok::LBracket, "'['")?;
        self.ws();
        let mut items = Vec::new();
        while *self.peek() != Tok::RBracket {
            items.push(self.node()?);
            self.ws();
        }
        self.bump();
        self.depth -= 1;
        Ok(Node::Arr(items))
    }

    fn node_object(&mut self) -> Result<Node> {
        self.enter()?;
        self.expect(Tok::LBrace, "'{'")?;
        self.ws();
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen = HashSet::new();
        while *self.peek() != Tok::RBrace {
            let (key, pos) = self.object_key("'}' or an object key (string or identifier)")?;
            self.ws();
            self.expect(Tok::Colon, "':' after object key")?;
            self.ws();
            let value = self.node()?;
            if !seen.insert(key.clone()) {
                return Err(self.error_at(pos, format!("duplicate object key '{key}'")));
            }
            entries.push((key, value));
            self.ws();
        }
        self.bump();
        self.depth -= 1;
        Ok(Node::Obj(entries))
    }

    fn object_key(&mut self, expected: &str) -> Result<(String, Pos)> {
        let pos = self.pos();
        match self.peek() {
            Tok::Ident(_) | Tok::Str(_) => match self.bump() {
                Tok::Ident(s) | Tok::Str(s) => Ok((s, pos)),
                _ => Err(self.unexpected(expected)),
            },
            _ => Err(self.unexpected(expected)),
        }
    }

    // ----- traits -------------------------------------------------------------

    /// `TraitStatements`: whitespace, doc comments, then any number of traits.
    fn traits(&mut self) -> Result<Traits> {
        self.ws();
        let docs = self.take_docs();
        let mut list = Vec::new();
        while *self.peek() == Tok::At {
            list.push(self.trait_app()?);
            self.ws();
        }
        Ok(Traits { docs, list })
    }

    fn trait_app(&mut self) -> Result<TraitApp> {
        self.expect(Tok::At, "'@'")?;
        let id = self.shape_id("a trait shape ID after '@'")?;
        if *self.peek() != Tok::LParen {
            return Ok(TraitApp { id, value: None });
        }
        self.enter()?;
        self.bump();
        self.ws();
        let value = if *self.peek() == Tok::RParen {
            None
        } else if self.trait_body_is_structure() {
            Some(self.trait_structure()?)
        } else {
            let v = self.node()?;
            self.ws();
            Some(v)
        };
        self.expect(Tok::RParen, "')' to close the trait value")?;
        self.depth -= 1;
        Ok(TraitApp { id, value })
    }

    /// A trait body is a structure shorthand when it starts with `key:`.
    fn trait_body_is_structure(&self) -> bool {
        if !matches!(self.peek(), Tok::Ident(_) | Tok::Str(_)) {
            return false;
        }
        let mut j = self.i + 1;
        while let Some(t) = self.toks.get(j) {
            if !is_ws(&t.tok) {
                return t.tok == Tok::Colon;
            }
            j += 1;
        }
        false
    }

    fn trait_structure(&mut self) -> Result<Node> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen = HashSet::new();
        while *self.peek() != Tok::RParen {
            let (key, pos) = self.object_key("')' or a key (identifier or string)")?;
            self.ws();
            self.expect(Tok::Colon, "':' after key")?;
            self.ws();
            let value = self.node()?;
            if !seen.insert(key.clone()) {
                return Err(self.error_at(pos, format!("duplicate key '{key}' in trait value")));
            }
            entries.push((key, value));
            self.ws();
        }
        Ok(Node::Obj(entries))
    }

    // ----- file structure -------------------------------------------------------

    fn file_body(&mut self) -> Result<()> {
        self.ws();
        self.control_section()?;
        self.metadata_section()?;
        if *self.peek() == Tok::Eof {
            return Ok(());
        }
        if !self.is_ident("namespace") {
            return Err(self.unexpected("a namespace definition"));
        }
        self.bump();
        self.expect(Tok::Space, "a space after 'namespace'")?;
        self.sp();
        let ns = self.namespace_name()?;
        self.ir.namespace = Some(ns);
        self.br()?;
        while self.is_ident("use") {
            self.use_statement()?;
        }
        self.shape_section()
    }

    fn control_section(&mut self) -> Result<()> {
        let mut seen = HashSet::new();
        let mut have_version = false;
        while *self.peek() == Tok::Dollar {
            self.bump();
            let (key, _) = self.object_key("a control statement key")?;
            self.sp();
            self.expect(Tok::Colon, "':' after control statement key")?;
            self.sp();
            let value_pos = self.pos();
            let value = self.node()?;
            if !seen.insert(key.clone()) {
                return Err(
                    self.error_at(value_pos, format!("duplicate control statement `{key}`"))
                );
            }
            // Value errors are reported just after the value, as Smithy does.
            let after = self.pos();
            self.control(&key, after, value)?;
            have_version |= key == "version";
            self.br()?;
        }
        if !have_version {
            self.ir.version = Version::V1;
        }
        Ok(())
    }

    fn control(&mut self, key: &str, value_pos: Pos, value: Node) -> Result<()> {
        let text = match &value {
            Node::Str(s) => Some(s.clone()),
            _ => None,
        };
        match key {
            "version" => {
                let Some(v) = text else {
                    return Err(self.error_at(
                        value_pos,
                        "the $version control statement must have a string value",
                    ));
                };
                self.ir.version = match v.as_str() {
                    "1" | "1.0" => Version::V1,
                    "2" | "2.0" => Version::V2,
                    other => {
                        return Err(self.error_at(
                            value_pos,
                            format!("unsupported Smithy version number: {other}"),
                        ))
                    }
                };
            }
            "operationInputSuffix" | "operationOutputSuffix" => {
                let Some(v) = text else {
                    return Err(self.error_at(
                        value_pos,
                        format!("the ${key} control statement must have a string value"),
                    ));
                };
                if key == "operationInputSuffix" {
                    self.input_suffix = v;
                } else {
                    self.output_suffix = v;
                }
            }
            // Unknown control statements are allowed and ignored, as in Smithy.
            _ => {}
        }
        Ok(())
    }

    fn metadata_section(&mut self) -> Result<()> {
        while self.is_ident("metadata") {
            self.bump();
            self.expect(Tok::Space, "a space after 'metadata'")?;
            self.sp();
            let (key, pos) = self.object_key("a metadata key (identifier or string)")?;
            self.sp();
            self.expect(Tok::Equal, "'=' after metadata key")?;
            self.sp();
            let value = self.node()?;
            self.ir.metadata.push((key, value, pos));
            self.br()?;
        }
        Ok(())
    }

    fn use_statement(&mut self) -> Result<()> {
        self.bump();
        self.expect(Tok::Space, "a space after 'use'")?;
        self.sp();
        let pos = self.pos();
        let ns = self.namespace_name()?;
        self.expect(Tok::Pound, "'#' after the namespace of a use statement")?;
        let (name, _) = self.ident("a shape name after '#'")?;
        if *self.peek() == Tok::Dollar {
            return Err(self.error_at(pos, "use statements cannot use members"));
        }
        let id = RawId {
            text: format!("{ns}#{name}"),
            pos,
        };
        if let Some(prev) = self
            .ir
            .uses
            .iter()
            .find(|u| local_name(&u.text) == name && u.text != id.text)
        {
            return Err(self.error_at(
                id.pos,
                format!(
                    "cannot use name `{}` because it conflicts with `{}`",
                    id.text, prev.text
                ),
            ));
        }
        self.ir.uses.push(id);
        self.br()
    }

    fn shape_section(&mut self) -> Result<()> {
        let mut names = HashSet::new();
        loop {
            let traits = self.traits()?;
            if *self.peek() == Tok::Eof {
                if !traits.list.is_empty() {
                    return Err(self.unexpected("a shape after traits"));
                }
                return Ok(());
            }
            let (keyword, kw_pos) = self.ident("a shape or apply statement")?;
            if keyword == "apply" {
                if !traits.list.is_empty() {
                    return Err(
                        self.error_at(kw_pos, "traits cannot be applied to an apply statement")
                    );
                }
                self.apply_statement()?;
            } else {
                let first_new = self.ir.shapes.len();
                self.shape_statement(&keyword, kw_pos, traits)?;
                for shape in self.ir.shapes.get(first_new..).unwrap_or(&[]) {
                    if !names.insert(shape.name.clone()) {
                        return Err(self.error_at(
                            shape.pos,
                            format!("shape `{}` is defined more than once", shape.name),
                        ));
                    }
                    if let Some(u) = self
                        .ir
                        .uses
                        .iter()
                        .find(|u| local_name(&u.text) == shape.name)
                    {
                        return Err(self.error_at(
                            shape.pos,
                            format!(
                                "shape name `{}` conflicts with imported shape `{}`",
                                shape.name, u.text
                            ),
                        ));
                    }
                }
            }
            self.br()?;
        }
    }

    fn apply_statement(&mut self) -> Result<()> {
        self.expect(Tok::Space, "a space after 'apply'")?;
        self.sp();
        let target = self.shape_id("a shape ID to apply traits to")?;
        self.ws_required()?;
        let traits = match self.peek() {
            Tok::At => vec![self.trait_app()?],
            Tok::LBrace => {
                self.bump();
                let t = self.traits()?;
                self.expect(Tok::RBrace, "'}' to close the apply block")?;
                t.list
            }
            _ => return Err(self.unexpected("'@' or '{' after the apply target")),
        };
        self.ir.applies.push(ApplyDef { target, traits });
        Ok(())
    }

    fn shape_statement(&mut self, keyword: &str, kw_pos: Pos, traits: Traits) -> Result<()> {
        let v1 = self.ir.version == Version::V1;
        let kind =
            match keyword {
                "set" if !v1 => return Err(self.error_at(
                    kw_pos,
                    "set shapes cannot be used in Smithy version 2.0; use a list with @uniqueItems",
                )),
                "enum" | "intEnum" if v1 => {
                    return Err(self.error_at(
                        kw_pos,
                        format!("{keyword} shapes cannot be used in Smithy version 1.0"),
                    ))
                }
                k if SIMPLE_TYPES.contains(&k) => k,
                "enum" | "intEnum" | "list" | "set" | "map" | "structure" | "union" | "service"
                | "resource" | "operation" => keyword,
                other => return Err(self.error_at(kw_pos, format!("unknown shape type: {other}"))),
            };
        self.expect(Tok::Space, "a space after the shape type")?;
        self.sp();
        let (name, pos) = self.ident("a shape name")?;
        let mut shape = ShapeDef {
            name,
            pos,
            kind: kind.to_string(),
            traits: traits.into_vec(),
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            props: Vec::new(),
        };
        match kind {
            k if SIMPLE_TYPES.contains(&k) => {
                self.mixins(&mut shape)?;
            }
            "enum" | "intEnum" => {
                self.mixins(&mut shape)?;
                self.ws();
                self.enum_members(&mut shape)?;
            }
            "service" | "resource" => {
                self.mixins(&mut shape)?;
                self.ws();
                self.entity_body(&mut shape)?;
            }
            "operation" => {
                self.mixins(&mut shape)?;
                self.ws();
                self.operation_body(&mut shape)?;
            }
            _ => {
                self.for_resource(&mut shape)?;
                self.mixins(&mut shape)?;
                self.ws();
                self.members(&mut shape)?;
            }
        }
        self.ir.shapes.push(shape);
        Ok(())
    }

    /// `[SP] with [WS] "[" ShapeIds "]"`: only spaces may come before `with`.
    fn mixins(&mut self, shape: &mut ShapeDef) -> Result<()> {
        let save = self.i;
        self.sp();
        if !self.is_ident("with") {
            self.i = save;
            return Ok(());
        }
        let pos = self.pos();
        if self.ir.version == Version::V1 {
            return Err(self.error_at(
                pos,
                "mixins can only be used with Smithy version 2 or later",
            ));
        }
        self.bump();
        self.ws();
        self.expect(Tok::LBracket, "'[' after 'with'")?;
        self.ws();
        let mut first = true;
        while *self.peek() != Tok::RBracket || first {
            shape.mixins.push(self.shape_id("a mixin shape ID")?);
            self.ws();
            first = false;
        }
        self.bump();
        Ok(())
    }

    /// `SP for SP ShapeId`.
    fn for_resource(&mut self, shape: &mut ShapeDef) -> Result<()> {
        let save = self.i;
        self.sp();
        if !self.is_ident("for") {
            self.i = save;
            return Ok(());
        }
        let pos = self.pos();
        if self.ir.version == Version::V1 {
            return Err(self.error_at(
                pos,
                "structures can only be bound to resources with Smithy version 2 or later",
            ));
        }
        self.bump();
        self.expect(Tok::Space, "a space after 'for'")?;
        self.sp();
        shape.for_resource = Some(self.shape_id("a resource shape ID after 'for'")?);
        Ok(())
    }

    fn members(&mut self, shape: &mut ShapeDef) -> Result<()> {
        self.expect(Tok::LBrace, "'{' to start the shape's members")?;
        self.enter()?;
        let mut names = HashSet::new();
        loop {
            let traits = self.traits()?;
            if *self.peek() == Tok::RBrace && traits.list.is_empty() {
                break;
            }
            let member = self.member(traits)?;
            if !names.insert(member.name.clone()) {
                return Err(self.error_at(
                    member.pos,
                    format!("found conflicting member name, `{}`", member.name),
                ));
            }
            shape.members.push(member);
        }
        self.bump();
        self.depth -= 1;
        Ok(())
    }

    fn member(&mut self, traits: Traits) -> Result<MemberDef> {
        let v1 = self.ir.version == Version::V1;
        let start = self.pos();
        let (name, target) = if *self.peek() == Tok::Dollar {
            if v1 {
                return Err(self.error_at(
                    start,
                    "members can only elide targets in IDL version 2 or later",
                ));
            }
            self.bump();
            let (name, _) = self.ident("a member name after '$'")?;
            (name, None)
        } else {
            let (name, _) = self.ident("a member name")?;
            self.sp();
            self.expect(Tok::Colon, "':' after member name")?;
            self.sp();
            let target = self.shape_id("a member target shape ID")?;
            (name, Some(target))
        };
        let mut traits = traits.into_vec();
        let eq_pos = self.pos_past_space();
        if let Some(value) = self.value_assignment()? {
            if v1 {
                return Err(self.error_at(
                    eq_pos,
                    "default assignment is only supported in IDL version 2 or later",
                ));
            }
            traits.push(TraitApp {
                id: RawId {
                    text: "smithy.api#default".into(),
                    pos: start,
                },
                value: Some(value),
            });
        }
        Ok(MemberDef {
            name,
            pos: start,
            target,
            traits,
        })
    }

    /// `[SP] "=" [SP] NodeValue [SP] [","] BR`, if present.
    fn value_assignment(&mut self) -> Result<Option<Node>> {
        let save = self.i;
        self.sp();
        if *self.peek() != Tok::Equal {
            self.i = save;
            return Ok(None);
        }
        self.bump();
        self.sp();
        let value = self.node()?;
        self.sp();
        if *self.peek() == Tok::Comma {
            self.bump();
        }
        self.br()?;
        Ok(Some(value))
    }

    fn enum_members(&mut self, shape: &mut ShapeDef) -> Result<()> {
        self.expect(Tok::LBrace, "'{' to start the enum's members")?;
        let mut names = HashSet::new();
        loop {
            let traits = self.traits()?;
            if *self.peek() == Tok::RBrace && traits.list.is_empty() {
                break;
            }
            let (name, pos) = self.ident("an enum member name")?;
            let mut traits = traits.into_vec();
            if let Some(value) = self.value_assignment()? {
                self.check_enum_value(&shape.kind, &name, pos, &value)?;
                traits.push(TraitApp {
                    id: RawId {
                        text: "smithy.api#enumValue".into(),
                        pos,
                    },
                    value: Some(value),
                });
            } else if shape.kind == "enum"
                && shape.mixins.is_empty()
                && !has_trait(&traits, "enumValue")
            {
                // An enum member without a value has its name as value.
                traits.push(TraitApp {
                    id: RawId {
                        text: "smithy.api#enumValue".into(),
                        pos,
                    },
                    value: Some(Node::Str(name.clone())),
                });
            }
            if !names.insert(name.clone()) {
                return Err(self.error_at(pos, format!("found conflicting member name, `{name}`")));
            }
            shape.members.push(MemberDef {
                name,
                pos,
                target: Some(RawId {
                    text: "smithy.api#Unit".into(),
                    pos,
                }),
                traits,
            });
        }
        self.bump();
        if shape.members.is_empty() && shape.mixins.is_empty() {
            return Err(self.error_at(
                shape.pos,
                format!("{} shapes must have at least one member", shape.kind),
            ));
        }
        Ok(())
    }

    fn check_enum_value(&self, kind: &str, name: &str, pos: Pos, value: &Node) -> Result<()> {
        let ok = match (kind, value) {
            ("enum", Node::Str(s)) => !s.is_empty(),
            ("intEnum", Node::Num(n)) => n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let msg = if kind == "enum" {
            format!("enum member `{name}` can only be assigned a non-empty string value")
        } else {
            format!("intEnum member `{name}` requires an integer value that fits in 32 bits")
        };
        Err(self.error_at(pos, msg))
    }

    /// Service and resource bodies are node objects.
    fn entity_body(&mut self, shape: &mut ShapeDef) -> Result<()> {
        if *self.peek() != Tok::LBrace {
            return Err(self.unexpected("'{' to start the shape body"));
        }
        let body_pos = self.pos();
        let Node::Obj(entries) = self.node_object()? else {
            return Err(self.error_at(body_pos, "expected an object body"));
        };
        shape.props = entries.into_iter().map(|(k, v)| (k, v, body_pos)).collect();
        Ok(())
    }

    fn operation_body(&mut self, shape: &mut ShapeDef) -> Result<()> {
        self.expect(Tok::LBrace, "'{' to start the operation body")?;
        self.ws();
        while *self.peek() != Tok::RBrace {
            let (key, pos) =
                self.ident("an operation property (input, output or errors) or '}'")?;
            if shape.props.iter().any(|(k, _, _)| *k == key) {
                return Err(self.error_at(
                    pos,
                    format!("duplicate operation {key} property for `{}`", shape.name),
                ));
            }
            let value = match key.as_str() {
                "input" | "output" => self.operation_io(&key, shape)?,
                "errors" => {
                    self.ws();
                    self.expect(Tok::Colon, "':' after 'errors'")?;
                    self.ws();
                    if *self.peek() != Tok::LBracket {
                        return Err(self.unexpected("'[' to start the error list"));
                    }
                    self.node_array()?
                }
                other => {
                    return Err(self.error_at(
                        pos,
                        format!("unknown property {other} for operation `{}`", shape.name),
                    ))
                }
            };
            shape.props.push((key, value, pos));
            if *self.peek() != Tok::RBrace {
                self.ws_required()?;
            }
        }
        self.bump();
        Ok(())
    }

    /// `input: ShapeId` or `input := [traits] [for ..] [with [...]] { members }`.
    fn operation_io(&mut self, key: &str, op: &ShapeDef) -> Result<Node> {
        self.ws();
        if *self.peek() == Tok::Colon {
            self.bump();
            self.ws();
            return Ok(Node::Id(self.shape_id("a shape ID")?));
        }
        if *self.peek() != Tok::Walrus {
            return Err(self.unexpected("':' or ':='"));
        }
        let walrus = self.pos();
        if self.ir.version == Version::V1 {
            return Err(self.error_at(walrus, "inlined operation inputs and outputs can only be used with Smithy version 2 or later"));
        }
        self.bump();
        let traits = self.traits()?;
        let suffix = if key == "input" {
            &self.input_suffix
        } else {
            &self.output_suffix
        };
        let name = format!("{}{}", op.name, suffix);
        let mut shape = ShapeDef {
            name: name.clone(),
            pos: walrus,
            kind: "structure".into(),
            traits: traits.into_vec(),
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            props: Vec::new(),
        };
        let marker = format!("smithy.api#{key}");
        if !shape
            .traits
            .iter()
            .any(|t| t.id.text == key || t.id.text == marker)
        {
            shape.traits.push(TraitApp {
                id: RawId {
                    text: marker,
                    pos: walrus,
                },
                value: Some(Node::Obj(Vec::new())),
            });
        }
        self.for_resource_ws(&mut shape)?;
        self.mixins_ws(&mut shape)?;
        self.ws();
        self.members(&mut shape)?;
        let ns = self.ir.namespace.clone().unwrap_or_default();
        self.ir.shapes.push(shape);
        Ok(Node::Id(RawId {
            text: format!("{ns}#{name}"),
            pos: walrus,
        }))
    }

    /// Inline structures allow any whitespace before `for`.
    fn for_resource_ws(&mut self, shape: &mut ShapeDef) -> Result<()> {
        if self.is_ident("for") {
            self.bump();
            self.expect(Tok::Space, "a space after 'for'")?;
            self.sp();
            shape.for_resource = Some(self.shape_id("a resource shape ID after 'for'")?);
            self.ws();
        }
        Ok(())
    }

    /// Inline structures allow any whitespace before `with`.
    fn mixins_ws(&mut self, shape: &mut ShapeDef) -> Result<()> {
        self.ws();
        if self.is_ident("with") {
            self.mixins(shape)?;
        }
        Ok(())
    }
}

/// Whether a trait list has the given prelude trait (written relative or absolute).
fn has_trait(traits: &[TraitApp], name: &str) -> bool {
    traits
        .iter()
        .any(|t| t.id.text == name || t.id.text.strip_prefix("smithy.api#") == Some(name))
}

/// Whether a token is whitespace in the `WS` sense.
fn is_ws(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment(_)
    )
}

/// The part of a shape ID after `#` (or the whole text if there is none).
pub(crate) fn local_name(id: &str) -> &str {
    id.rsplit_once('#').map(|(_, n)| n).unwrap_or(id)
}
