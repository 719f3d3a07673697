//! Model documentation (HTML in AWS models) to rustdoc Markdown.
//!
//! A small converter for the tags AWS documentation uses (`p`, `code`, `b`, `i`, `a`, lists,
//! `br`); other tags are dropped and their text kept. Text is escaped so rustdoc neither sees
//! broken intra-doc links (`[x]`) nor accidental code blocks (indented lines).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for a documentation string (none when `html` is empty).
pub fn doc_attrs(html: Option<&str>) -> TokenStream {
    let Some(html) = html else {
        return TokenStream::new();
    };
    let markdown = html_to_markdown(html);
    if markdown.is_empty() {
        return TokenStream::new();
    }
    let lines = markdown.lines().map(|line| format!(" {line}"));
    quote!(#(#[doc = #lines])*)
}

/// A plain doc line.
pub fn doc_line(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

/// Where the converter is inside the HTML.
#[derive(Default)]
struct State {
    /// The target of the `<a href>` being written, if inside one.
    link: Option<String>,
    /// Nesting of `<ul>` / `<ol>`.
    list_depth: usize,
    /// Inside `<code>`: text is literal (no autolinks), and an empty span is dropped.
    in_code: bool,
}

/// Converts HTML documentation to Markdown.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut state = State::default();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &state, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut out, &state, &rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        apply_tag(tag, &mut out, &mut state);
        rest = &rest[start + end + 1..];
    }
    push_text(&mut out, &state, rest);
    if state.in_code {
        // An unclosed `<code>` would leave a lone backtick that swallows what follows.
        out.push('`');
    }
    tidy(&out)
}

/// Appends the text between tags: entities decoded, Markdown escaped, and bare URLs in prose
/// made autolinks (`<https://...>`), which rustdoc's `bare_urls` lint asks for.
fn push_text(out: &mut String, state: &State, html_text: &str) {
    let text = decode_entities(html_text);
    if state.in_code {
        // Markdown escapes are literal inside a code span; only a backtick would end it.
        let literal = text.replace('`', "'").replace(['\n', '\r', '\t'], " ");
        out.push_str(&literal);
        return;
    }
    if state.link.is_some() {
        out.push_str(&escape_text(&text));
        return;
    }
    let mut rest = text.as_str();
    while let Some(at) = find_url(rest) {
        out.push_str(&escape_text(&rest[..at]));
        let len = url_len(&rest[at..]);
        out.push('<');
        out.push_str(&rest[at..at + len]);
        out.push('>');
        rest = &rest[at + len..];
    }
    out.push_str(&escape_text(rest));
}

/// Where the next `http://` or `https://` URL starts in `text` (at a word start).
fn find_url(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let at = from + found;
        let rest = &text[at..];
        let word_start = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if word_start && (rest.starts_with("http://") || rest.starts_with("https://")) {
            let len = url_len(rest);
            // A scheme alone (`http://` followed by a space) is prose, not a link.
            if len > rest.find("//").unwrap_or(0) + 2 {
                return Some(at);
            }
        }
        from = at + 4;
    }
    None
}

/// Length of the URL at the start of `text`: up to whitespace or a character that cannot be
/// in an autolink, without trailing sentence punctuation.
fn url_len(text: &str) -> usize {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', ']']);
    url.len()
}

fn apply_tag(tag: &str, out: &mut String, state: &mut State) {
    let closing = tag.starts_with('/');
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        // A paragraph opening a list item stays on the bullet's line.
        ("p" | "div", _) if out.ends_with("- ") => {}
        ("p" | "div", _) => out.push_str("\n\n"),
        ("br", _) => out.push('\n'),
        ("code", false) if !state.in_code => {
            state.in_code = true;
            out.push('`');
        }
        ("code", true) if state.in_code => {
            state.in_code = false;
            // An empty span would be a stray backtick pair (three in a row open a doctest).
            if out.ends_with('`') {
                out.pop();
            } else {
                out.push('`');
            }
        }
        ("b" | "strong", _) => out.push_str("**"),
        ("i" | "em", _) => out.push('*'),
        ("ul" | "ol", false) => {
            state.list_depth += 1;
            out.push('\n');
        }
        ("ul" | "ol", true) => {
            state.list_depth = state.list_depth.saturating_sub(1);
            out.push('\n');
        }
        ("li", false) => {
            out.push('\n');
            out.push_str(&"  ".repeat(state.list_depth.saturating_sub(1)));
            out.push_str("- ");
        }
        ("a", false) => {
            state.link = attribute(tag, "href");
            if state.link.is_some() {
                out.push('[');
            }
        }
        ("a", true) => {
            if let Some(href) = state.link.take() {
                out.push_str(&format!("]({href})"));
            }
        }
        _ => {}
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))?;
    let rest = &tag[at + name.len() + 1..];
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = rest[1..].split(quote).next()?;
    let value = value.trim();
    (value.starts_with("http")).then(|| value.replace(' ', "%20").replace(')', "%29"))
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Escapes Markdown-significant characters that rustdoc would misread in prose.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '*' | '_' | '`' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Trims each line, collapses runs of blank lines, and trims the whole text.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let is_item = trimmed.starts_with("- ");
        let collapsed: String = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        let keep_indent = if is_item { indent.min(6) } else { 0 };
        lines.push(format!("{}{collapsed}", " ".repeat(keep_indent)));
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_common_tags() {
        let html = "<p>Gets a <code>Job</code> by <b>name</b>. See <a href=\"https://x.y/z\">docs</a>.</p><ul><li><p>one</p></li><li>two [x]</li></ul>";
        assert_eq!(
            html_to_markdown(html),
            "Gets a `Job` by **name**. See [docs](https://x.y/z).\n\n- one\n\n- two \\[x\\]"
        );
    }

    #[test]
    fn bare_urls_become_autolinks_outside_links_and_code() {
        assert_eq!(
            html_to_markdown("See http://id3.org/id3v2.4.0-structure. Or (https://a.b/c_d)"),
            "See <http://id3.org/id3v2.4.0-structure>. Or (<https://a.b/c_d>)"
        );
        assert_eq!(
            html_to_markdown("<code>http://x.y</code> <a href=\"https://x.y\">https://x.y</a>"),
            "`http://x.y` [https://x.y](https://x.y)"
        );
        assert_eq!(
            html_to_markdown("the http:// scheme, xhttp://no"),
            "the http:// scheme, xhttp://no"
        );
    }

    #[test]
    fn code_spans_are_closed_and_never_empty() {
        assert_eq!(
            html_to_markdown("<code></code><code></code><code>x</code>"),
            "`x`"
        );
        assert_eq!(html_to_markdown("a <code>b"), "a `b`");
        assert_eq!(html_to_markdown("<code><code>c</code></code>"), "`c`");
        assert_eq!(html_to_markdown("<code>a_b[0] `x`</code>"), "`a_b[0] 'x'`");
    }

    #[test]
    fn decodes_entities_and_escapes() {
        assert_eq!(
            html_to_markdown("a &lt;b&gt; &amp; c_d"),
            "a \\<b\\> & c\\_d"
        );
        assert_eq!(html_to_markdown("   indented   text  "), "indented text");
    }
}
