//! XML, the wire format of restXml (and of the query protocols' responses): a small element tree
//! read with [`quick_xml`], helpers that generated readers call (one call per generated line),
//! and a writer that generated serializers drive.
//!
//! Reading keeps what Smithy's XML bindings need and nothing else: each element's name as
//! written (a prefix included), its attributes, its child elements and its character data (text,
//! CDATA and entity or character references joined). Comments, processing instructions and the
//! declaration are skipped; a DOCTYPE is refused (no entity expansion to exploit); nesting is
//! bounded at [`MAX_DEPTH`]. Malformed XML is an [`XmlError`], never a panic.
//!
//! Why quick-xml (README, "XML codec", has the figures): it unescapes entities and character
//! references itself, is actively maintained, and costs about 2 s of build with `memchr`, which
//! the runtime builds anyway; xmlparser (smithy-rs's choice) is smaller but unmaintained and
//! leaves unescaping to the caller.

use crate::primitives::{BigNumber, Blob, DateTime};
use crate::timestamp::{self, Format};
use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// How deep elements may nest in a document.
pub const MAX_DEPTH: usize = 128;

/// An XML element as read from a body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlElement {
    /// The name as written, with its prefix (`xsi:type`).
    pub name: String,
    /// Attributes as written (qualified names, `xmlns` declarations included), in order.
    pub attributes: Vec<(String, String)>,
    /// Child elements, in order.
    pub children: Vec<XmlElement>,
    /// The character data directly inside (text, CDATA and references, joined).
    pub text: String,
}

impl XmlElement {
    /// The name without its prefix.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// Whether this element is `name`: a prefixed name must match exactly, a plain one matches
    /// the local name (a default namespace changes nothing here).
    pub fn is(&self, name: &str) -> bool {
        if name.contains(':') {
            self.name == name
        } else {
            self.local_name() == name
        }
    }

    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Takes out the first child named `name`.
    pub fn take_child(&mut self, name: &str) -> Option<XmlElement> {
        let index = self.children.iter().position(|c| c.is(name))?;
        Some(self.children.remove(index))
    }

    /// Takes out every child named `name`, in order.
    pub fn take_children(&mut self, name: &str) -> Vec<XmlElement> {
        let (taken, kept) = std::mem::take(&mut self.children)
            .into_iter()
            .partition(|c| c.is(name));
        self.children = kept;
        taken
    }
}

/// A body was not XML, or a value did not have the expected form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    path: Vec<String>,
    reason: String,
}

impl XmlError {
    /// A new error at the current position.
    pub fn new(reason: impl Into<String>) -> XmlError {
        XmlError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn at(mut self, segment: &str) -> XmlError {
        self.path.push(segment.to_string());
        self
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.reason);
        }
        let path: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
        write!(f, "at `{}`: {}", path.join("/"), self.reason)
    }
}

impl std::error::Error for XmlError {}

/// Result of an XML conversion.
pub type Result<T> = std::result::Result<T, XmlError>;

/// A shape that can be read from an XML element (implemented by generated structures, unions
/// and enums of XML protocols).
pub trait FromXml: Sized {
    /// Reads the shape from its element (whose name the caller already matched).
    fn from_xml(element: XmlElement) -> Result<Self>;
}

/// A shape that can be written as an XML element.
pub trait ToXml {
    /// Writes the shape as the element `tag`.
    fn to_xml(&self, writer: &mut XmlWriter, tag: &Tag);
}

/// Parses a body into its root element; an empty body is `None`.
pub fn parse_document(body: &[u8]) -> Result<Option<XmlElement>> {
    let text =
        std::str::from_utf8(body).map_err(|e| XmlError::new(format!("invalid UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<XmlElement> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::new(format!("invalid XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::new(format!(
                        "invalid XML: nested deeper than {MAX_DEPTH}"
                    )));
                }
                stack.push(element(&start)?);
            }
            Event::Empty(start) => attach(&mut stack, &mut root, element(&start)?)?,
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| XmlError::new("invalid XML: an end tag without a start"))?;
                attach(&mut stack, &mut root, done)?;
            }
            Event::Text(text) => append_text(&mut stack, &text.xml10_content())?,
            Event::CData(data) => append_text(&mut stack, &data.into_inner())?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = reference.into_inner();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| {
                                XmlError::new(format!("invalid XML: unknown entity `&{name};`"))
                            })?
                            .to_string()
                    }
                    Err(e) => return Err(XmlError::new(format!("invalid XML: {e}"))),
                };
                append_text(&mut stack, &resolved)?;
            }
            Event::DocType(_) => {
                return Err(XmlError::new("invalid XML: a DOCTYPE is not accepted"))
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::new(
            "invalid XML: the document ends inside an element",
        ));
    }
    root.map(Some)
        .ok_or_else(|| XmlError::new("invalid XML: no root element"))
}

fn element(start: &BytesStart<'_>) -> Result<XmlElement> {
    let name = start.name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|e| XmlError::new(format!("invalid XML attribute: {e}")))?;
        let key = attribute.key.as_ref().to_string();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| XmlError::new(format!("invalid XML attribute `{key}`: {e}")))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(XmlElement {
        name,
        attributes,
        ..XmlElement::default()
    })
}

/// Adds a finished element to its parent, or makes it the root.
fn attach(stack: &mut [XmlElement], root: &mut Option<XmlElement>, done: XmlElement) -> Result<()> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(done),
        None if root.is_none() => *root = Some(done),
        None => return Err(XmlError::new("invalid XML: more than one root element")),
    }
    Ok(())
}

/// Character data belongs to the open element; outside the root only whitespace may appear.
fn append_text(stack: &mut [XmlElement], text: &str) -> Result<()> {
    match stack.last_mut() {
        Some(open) => open.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(XmlError::new("invalid XML: text outside the root element")),
    }
    Ok(())
}

/// Takes an optional member element out of its parent.
pub fn field<T>(
    parent: &mut XmlElement,
    name: &str,
    read: impl FnOnce(XmlElement) -> Result<T>,
) -> Result<Option<T>> {
    match parent.take_child(name) {
        None => Ok(None),
        Some(child) => match read(child) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e.at(name)),
        },
    }
}

/// Reads an optional attribute member (the value read as an element's text would be).
pub fn attribute<T>(
    element: &XmlElement,
    name: &str,
    read: impl FnOnce(XmlElement) -> Result<T>,
) -> Result<Option<T>> {
    match element.attribute(name) {
        None => Ok(None),
        Some(value) => match read(attribute_element(name, value)) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e.at(&format!("@{name}"))),
        },
    }
}

/// An attribute's value as an element, so the element readers can read it.
fn attribute_element(name: &str, value: &str) -> XmlElement {
    XmlElement {
        name: name.to_string(),
        text: value.to_string(),
        ..XmlElement::default()
    }
}

/// Applies a reader to an element (keeps generated code free of immediately-called closures).
pub fn read<T>(element: XmlElement, read: impl FnOnce(XmlElement) -> Result<T>) -> Result<T> {
    read(element)
}

/// Reads a generated shape.
pub fn shape<T: FromXml>(element: XmlElement) -> Result<T> {
    T::from_xml(element)
}

/// Reads a boxed value (a member closing a recursive cycle).
pub fn boxed<T>(element: XmlElement, read: impl FnOnce(XmlElement) -> Result<T>) -> Result<Box<T>> {
    read(element).map(Box::new)
}

/// Reads text.
pub fn string(element: XmlElement) -> Result<String> {
    Ok(element.text)
}

/// Reads an enum (open: unknown values are kept by the enum's `From<&str>`).
pub fn enumeration<T: for<'a> From<&'a str>>(element: XmlElement) -> Result<T> {
    Ok(T::from(element.text.trim()))
}

/// Reads an int enum (open: unknown values are kept by the enum's `From<i32>`).
pub fn int_enumeration<T: From<i32>>(element: XmlElement) -> Result<T> {
    int(element).map(T::from)
}

/// Reads a boolean (`true` / `false`).
pub fn boolean(element: XmlElement) -> Result<bool> {
    match element.text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(XmlError::new(format!(
            "expected a boolean, found `{other}`"
        ))),
    }
}

fn integer<T: std::str::FromStr>(element: &XmlElement, what: &str) -> Result<T> {
    let text = element.text.trim();
    text.parse()
        .map_err(|_| XmlError::new(format!("expected {what}, found `{text}`")))
}

/// Reads an `i8`.
pub fn byte(element: XmlElement) -> Result<i8> {
    integer(&element, "a byte")
}

/// Reads an `i16`.
pub fn short(element: XmlElement) -> Result<i16> {
    integer(&element, "a short")
}

/// Reads an `i32`.
pub fn int(element: XmlElement) -> Result<i32> {
    integer(&element, "an integer")
}

/// Reads an `i64`.
pub fn long(element: XmlElement) -> Result<i64> {
    integer(&element, "a long")
}

/// Reads an `f64`, with `NaN`, `Infinity` and `-Infinity`.
pub fn double(element: XmlElement) -> Result<f64> {
    let text = element.text.trim();
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => text
            .parse()
            .map_err(|_| XmlError::new(format!("expected a number, found `{text}`"))),
    }
}

/// Reads an `f32` (same rules as [`double`]).
pub fn float(element: XmlElement) -> Result<f32> {
    double(element).map(|d| d as f32)
}

/// Reads an arbitrary-precision number as its text.
pub fn big_number(element: XmlElement) -> Result<BigNumber> {
    Ok(BigNumber::new(element.text.trim()))
}

/// Reads base64 bytes (an empty element is an empty blob).
pub fn blob(element: XmlElement) -> Result<Blob> {
    base64::engine::general_purpose::STANDARD
        .decode(element.text.trim())
        .map(Blob::new)
        .map_err(|e| XmlError::new(format!("invalid base64: {e}")))
}

/// Reads a timestamp in `format`.
pub fn timestamp(element: XmlElement, format: Format) -> Result<DateTime> {
    let text = element.text.trim();
    let parsed = match format {
        Format::EpochSeconds => text
            .parse::<f64>()
            .map_err(|_| format!("expected epoch seconds, found `{text}`"))
            .and_then(timestamp::from_epoch_seconds),
        other => timestamp::parse(text, other),
    };
    parsed.map_err(XmlError::new)
}

/// Reads an epoch-seconds timestamp.
pub fn epoch_seconds(element: XmlElement) -> Result<DateTime> {
    timestamp(element, Format::EpochSeconds)
}

/// Reads an RFC 3339 timestamp (the XML default).
pub fn date_time(element: XmlElement) -> Result<DateTime> {
    timestamp(element, Format::DateTime)
}

/// Reads an HTTP-date timestamp.
pub fn http_date(element: XmlElement) -> Result<DateTime> {
    timestamp(element, Format::HttpDate)
}

/// Reads a wrapped list: each child named `member` is an item.
pub fn list<T>(
    element: XmlElement,
    member: &str,
    read: impl Fn(XmlElement) -> Result<T>,
) -> Result<Vec<T>> {
    items(element.children.into_iter().filter(|c| c.is(member)), &read)
}

/// Reads the items of a flattened list: every child of `parent` named `name`; `None` when there
/// is none.
pub fn flat_list<T>(
    parent: &mut XmlElement,
    name: &str,
    read: impl Fn(XmlElement) -> Result<T>,
) -> Result<Option<Vec<T>>> {
    let found = parent.take_children(name);
    if found.is_empty() {
        return Ok(None);
    }
    match items(found.into_iter(), &read) {
        Ok(items) => Ok(Some(items)),
        Err(e) => Err(e.at(name)),
    }
}

fn items<T>(
    elements: impl Iterator<Item = XmlElement>,
    read: &impl Fn(XmlElement) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for (index, item) in elements.enumerate() {
        match read(item) {
            Ok(value) => out.push(value),
            Err(e) => return Err(e.at(&index.to_string())),
        }
    }
    Ok(out)
}

/// The names of a map's parts: the entry element (`entry` unless flattened), key and value.
#[derive(Clone, Copy, Debug)]
pub struct MapNames {
    /// The key element's name (`key` unless `@xmlName` says otherwise).
    pub key: &'static str,
    /// The value element's name (`value` unless `@xmlName` says otherwise).
    pub value: &'static str,
}

fn entry<K, V>(
    mut entry: XmlElement,
    names: MapNames,
    key: &impl Fn(String) -> K,
    read: &impl Fn(XmlElement) -> Result<V>,
) -> Result<(K, V)> {
    let (name, value) = entry_parts(&mut entry, names)?;
    match read(value) {
        Ok(value) => Ok((key(name), value)),
        Err(e) => Err(e.at(&name)),
    }
}

/// A map entry's key text and value element (not generic: one copy for every map).
fn entry_parts(entry: &mut XmlElement, names: MapNames) -> Result<(String, XmlElement)> {
    let Some(key) = entry.take_child(names.key) else {
        return Err(XmlError::new(format!(
            "a map entry without its `{}`",
            names.key
        )));
    };
    let name = key.text;
    match entry.take_child(names.value) {
        Some(value) => Ok((name, value)),
        None => Err(XmlError::new(format!(
            "the map entry `{name}` has no `{}`",
            names.value
        ))),
    }
}

fn collect_map<K: Eq + Hash, V>(
    entries: impl Iterator<Item = XmlElement>,
    names: MapNames,
    key: impl Fn(String) -> K,
    read: impl Fn(XmlElement) -> Result<V>,
) -> Result<HashMap<K, V>> {
    entries.map(|e| entry(e, names, &key, &read)).collect()
}

/// Reads a wrapped map (`<entry><key/><value/></entry>` children).
pub fn map<V>(
    element: XmlElement,
    names: MapNames,
    read: impl Fn(XmlElement) -> Result<V>,
) -> Result<HashMap<String, V>> {
    collect_map(
        element.children.into_iter().filter(|c| c.is("entry")),
        names,
        |k| k,
        read,
    )
}

/// Reads a wrapped map with enum keys.
pub fn enum_map<K, V>(
    element: XmlElement,
    names: MapNames,
    read: impl Fn(XmlElement) -> Result<V>,
) -> Result<HashMap<K, V>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    collect_map(
        element.children.into_iter().filter(|c| c.is("entry")),
        names,
        |k| K::from(k.as_str()),
        read,
    )
}

/// Reads a flattened map: every child of `parent` named `name` is an entry; `None` when there
/// is none.
pub fn flat_map<V>(
    parent: &mut XmlElement,
    name: &str,
    names: MapNames,
    read: impl Fn(XmlElement) -> Result<V>,
) -> Result<Option<HashMap<String, V>>> {
    let found = parent.take_children(name);
    if found.is_empty() {
        return Ok(None);
    }
    match collect_map(found.into_iter(), names, |k| k, read) {
        Ok(map) => Ok(Some(map)),
        Err(e) => Err(e.at(name)),
    }
}

/// Reads a flattened map with enum keys.
pub fn flat_enum_map<K, V>(
    parent: &mut XmlElement,
    name: &str,
    names: MapNames,
    read: impl Fn(XmlElement) -> Result<V>,
) -> Result<Option<HashMap<K, V>>>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    let found = parent.take_children(name);
    if found.is_empty() {
        return Ok(None);
    }
    collect_map(found.into_iter(), names, |k| K::from(k.as_str()), read)
        .map(Some)
        .map_err(|e| e.at(name))
}

/// The single member element of a union (`None` for an empty union element).
pub fn union_member(element: XmlElement, shape: &str) -> Result<Option<XmlElement>> {
    let mut children = element.children.into_iter();
    let first = children.next();
    if children.next().is_some() {
        return Err(XmlError::new(format!(
            "a {shape} union must have exactly one member set"
        )));
    }
    Ok(first)
}

/// An element's name and the namespace it declares, as a writer needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The element name (`@xmlName` or the member name).
    pub name: &'static str,
    /// `@xmlNamespace`: the attribute (`xmlns` or `xmlns:prefix`) and the URI.
    pub namespace: Option<(&'static str, &'static str)>,
}

impl Tag {
    /// A tag without a namespace.
    pub const fn new(name: &'static str) -> Tag {
        Tag {
            name,
            namespace: None,
        }
    }

    /// A tag declaring a namespace.
    pub const fn with_namespace(
        name: &'static str,
        attribute: &'static str,
        uri: &'static str,
    ) -> Tag {
        Tag {
            name,
            namespace: Some((attribute, uri)),
        }
    }
}

/// Writes an XML document into a string. A start tag stays open for attributes until the first
/// child or text is written.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    open_start: bool,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> XmlWriter {
        XmlWriter::default()
    }

    fn close_start(&mut self) {
        if self.open_start {
            self.out.push('>');
            self.open_start = false;
        }
    }

    /// Opens the element `tag` (with its namespace declaration, if any).
    pub fn start(&mut self, tag: &Tag) {
        self.close_start();
        self.out.push('<');
        self.out.push_str(tag.name);
        self.open_start = true;
        if let Some((attribute, uri)) = tag.namespace {
            self.attribute(attribute, uri);
        }
    }

    /// Adds an attribute to the element just opened (ignored once content was written).
    pub fn attribute(&mut self, name: &str, value: &str) {
        if !self.open_start {
            return;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Writes text content, escaped.
    pub fn text(&mut self, text: &str) {
        self.close_start();
        escape_into(&mut self.out, text, false);
    }

    /// Closes the element `tag`.
    pub fn end(&mut self, tag: &Tag) {
        self.close_start();
        self.out.push_str("</");
        self.out.push_str(tag.name);
        self.out.push('>');
    }

    /// The document written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes markup characters, and the whitespace characters that XML parsers would otherwise
/// normalize (`\r` always; `\n` and `\t` in attributes), as character references.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            '\u{85}' => out.push_str("&#x85;"),
            '\u{2028}' => out.push_str("&#x2028;"),
            c => out.push(c),
        }
    }
}

/// Serialization helpers: each writes one value as the element `tag` (or, for attributes, its
/// text form).
pub mod ser {
    use super::*;

    /// Applies a writer to a value (keeps generated code free of immediately-called closures).
    pub fn with<T: ?Sized>(
        writer: &mut XmlWriter,
        tag: &Tag,
        value: &T,
        write: impl Fn(&mut XmlWriter, &Tag, &T),
    ) {
        write(writer, tag, value);
    }

    /// Writes `<tag>text</tag>`.
    pub fn text_element(writer: &mut XmlWriter, tag: &Tag, text: &str) {
        writer.start(tag);
        writer.text(text);
        writer.end(tag);
    }

    /// A string.
    pub fn string<S: AsRef<str> + ?Sized>(writer: &mut XmlWriter, tag: &Tag, value: &S) {
        text_element(writer, tag, value.as_ref());
    }

    /// An enum (its wire string).
    pub fn enumeration<T: AsRef<str>>(writer: &mut XmlWriter, tag: &Tag, value: &T) {
        text_element(writer, tag, value.as_ref());
    }

    /// An int enum (its wire integer).
    pub fn int_enumeration<T: Copy + Into<i32>>(writer: &mut XmlWriter, tag: &Tag, value: &T) {
        text_element(writer, tag, &(*value).into().to_string());
    }

    /// A boolean.
    pub fn boolean(writer: &mut XmlWriter, tag: &Tag, value: &bool) {
        text_element(writer, tag, if *value { "true" } else { "false" });
    }

    /// Any integer.
    pub fn integer<T: Copy + Into<i64>>(writer: &mut XmlWriter, tag: &Tag, value: &T) {
        text_element(writer, tag, &(*value).into().to_string());
    }

    /// A double (`NaN`, `Infinity`, `-Infinity` for the non-finite ones).
    pub fn double(writer: &mut XmlWriter, tag: &Tag, value: &f64) {
        text_element(writer, tag, &crate::wire::float_text(*value));
    }

    /// A float, printed at `f32` precision (`1.1`, not `1.100000023841858`).
    pub fn float(writer: &mut XmlWriter, tag: &Tag, value: &f32) {
        text_element(writer, tag, &crate::wire::float32_text(*value));
    }

    /// An arbitrary-precision number.
    pub fn big_number(writer: &mut XmlWriter, tag: &Tag, value: &BigNumber) {
        text_element(writer, tag, value.as_str());
    }

    /// Base64 bytes.
    pub fn blob(writer: &mut XmlWriter, tag: &Tag, value: &Blob) {
        text_element(
            writer,
            tag,
            &base64::engine::general_purpose::STANDARD.encode(value.as_bytes()),
        );
    }

    /// A generated shape.
    pub fn shape<T: ToXml>(writer: &mut XmlWriter, tag: &Tag, value: &T) {
        value.to_xml(writer, tag);
    }

    /// A boxed value (a member closing a recursive cycle).
    pub fn boxed<T: ?Sized>(
        writer: &mut XmlWriter,
        tag: &Tag,
        value: &T,
        write: impl Fn(&mut XmlWriter, &Tag, &T),
    ) {
        write(writer, tag, value);
    }

    /// A timestamp in `format`.
    pub fn timestamp(writer: &mut XmlWriter, tag: &Tag, value: &DateTime, format: Format) {
        let text = match format {
            Format::EpochSeconds => timestamp::epoch_seconds_text(value),
            other => timestamp::format(value, other),
        };
        text_element(writer, tag, &text);
    }

    /// An epoch-seconds timestamp.
    pub fn epoch_seconds(writer: &mut XmlWriter, tag: &Tag, value: &DateTime) {
        timestamp(writer, tag, value, Format::EpochSeconds);
    }

    /// An RFC 3339 timestamp (the XML default).
    pub fn date_time(writer: &mut XmlWriter, tag: &Tag, value: &DateTime) {
        timestamp(writer, tag, value, Format::DateTime);
    }

    /// An HTTP-date timestamp.
    pub fn http_date(writer: &mut XmlWriter, tag: &Tag, value: &DateTime) {
        timestamp(writer, tag, value, Format::HttpDate);
    }

    /// A wrapped list: `<tag><member>..</member>...</tag>`.
    pub fn list<T>(
        writer: &mut XmlWriter,
        tag: &Tag,
        member: &Tag,
        items: &[T],
        write: impl Fn(&mut XmlWriter, &Tag, &T),
    ) {
        writer.start(tag);
        for item in items {
            write(writer, member, item);
        }
        writer.end(tag);
    }

    /// A flattened list: each item as `<tag>..</tag>`, no wrapper.
    pub fn flat_list<T>(
        writer: &mut XmlWriter,
        tag: &Tag,
        items: &[T],
        write: impl Fn(&mut XmlWriter, &Tag, &T),
    ) {
        for item in items {
            write(writer, tag, item);
        }
    }

    /// Map entries sorted by key, so a request's bytes do not depend on hashing.
    fn sorted<K: AsRef<str>, V>(entries: &HashMap<K, V>) -> Vec<(&str, &V)> {
        crate::key_order::sorted_entries(entries)
    }

    fn entry<V>(
        writer: &mut XmlWriter,
        entry: &Tag,
        key: &Tag,
        value_tag: &Tag,
        name: &str,
        value: &V,
        write: &impl Fn(&mut XmlWriter, &Tag, &V),
    ) {
        writer.start(entry);
        text_element(writer, key, name);
        write(writer, value_tag, value);
        writer.end(entry);
    }

    /// A wrapped map: `<tag><entry><key/><value/></entry>...</tag>`.
    pub fn map<K: AsRef<str>, V>(
        writer: &mut XmlWriter,
        tag: &Tag,
        key: &Tag,
        value: &Tag,
        entries: &HashMap<K, V>,
        write: impl Fn(&mut XmlWriter, &Tag, &V),
    ) {
        writer.start(tag);
        for (name, item) in sorted(entries) {
            entry(writer, &Tag::new("entry"), key, value, name, item, &write);
        }
        writer.end(tag);
    }

    /// A flattened map: each entry as `<tag><key/><value/></tag>`, no wrapper.
    pub fn flat_map<K: AsRef<str>, V>(
        writer: &mut XmlWriter,
        tag: &Tag,
        key: &Tag,
        value: &Tag,
        entries: &HashMap<K, V>,
        write: impl Fn(&mut XmlWriter, &Tag, &V),
    ) {
        for (name, item) in sorted(entries) {
            entry(writer, tag, key, value, name, item, &write);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> XmlElement {
        parse_document(text.as_bytes())
            .expect("parses")
            .expect("a root")
    }

    #[test]
    fn reads_elements_attributes_text_and_references() {
        let root = parse(
            "<?xml version=\"1.0\"?><!-- c --><R xmlns=\"urn:x\" a=\"1 &amp; 2\"><s>x &lt;&#x41;&#66;&gt; <![CDATA[<y>]]></s><e/><p:q>z</p:q></R>",
        );
        assert_eq!(root.name, "R");
        assert_eq!(root.attribute("a"), Some("1 & 2"));
        assert_eq!(root.attribute("xmlns"), Some("urn:x"));
        assert_eq!(root.children[0].text, "x <AB> <y>");
        assert_eq!(root.children[1].name, "e");
        assert!(root.children[2].is("q") && root.children[2].is("p:q"));
        assert!(!root.children[2].is("other:q"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for text in [
            "<a>",
            "<a></b>",
            "</a>",
            "<a/><b/>",
            "text<a/>",
            "<a>&nope;</a>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            "<a x=\"1\" x=\"2\"/>",
        ] {
            assert!(parse_document(text.as_bytes()).is_err(), "{text} parsed");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse_document(deep.as_bytes()).is_err());
        assert_eq!(parse_document(b"  \n"), Ok(None));
    }

    #[test]
    fn writes_escaped_text_and_attributes() {
        let mut writer = XmlWriter::new();
        let root = Tag::with_namespace("Root", "xmlns", "https://example.com/");
        writer.start(&root);
        writer.attribute("note", "a\"b\n<c>");
        ser::string(&mut writer, &Tag::new("s"), "x & y\r\n");
        writer.end(&root);
        assert_eq!(
            writer.finish(),
            "<Root xmlns=\"https://example.com/\" note=\"a&quot;b&#xA;&lt;c&gt;\"><s>x &amp; y&#xD;\n</s></Root>"
        );
    }

    #[test]
    fn lists_and_maps_round_trip() {
        let mut writer = XmlWriter::new();
        let root = Tag::new("R");
        writer.start(&root);
        ser::list(
            &mut writer,
            &Tag::new("l"),
            &Tag::new("member"),
            &[1i32, 2],
            ser::integer,
        );
        ser::flat_list(&mut writer, &Tag::new("f"), &["a", "b"], ser::string);
        let entries = HashMap::from([("k2".to_string(), true), ("k1".to_string(), false)]);
        let names = MapNames {
            key: "key",
            value: "value",
        };
        ser::map(
            &mut writer,
            &Tag::new("m"),
            &Tag::new("key"),
            &Tag::new("value"),
            &entries,
            ser::boolean,
        );
        writer.end(&root);
        let mut root = parse(&writer.finish());
        let l = field(&mut root, "l", |e| list(e, "member", int)).expect("reads");
        assert_eq!(l, Some(vec![1, 2]));
        assert_eq!(
            flat_list(&mut root, "f", string).expect("reads"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        let m = field(&mut root, "m", |e| map(e, names, boolean)).expect("reads");
        assert_eq!(m, Some(entries));
    }
}
