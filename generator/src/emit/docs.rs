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

/// Converts HTML documentation to Markdown.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut link: Option<String> = None;
    let mut list_depth = 0usize;
    while let Some(start) = rest.find('<') {
        out.push_str(&escape_text(&decode_entities(&rest[..start])));
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&escape_text(&decode_entities(&rest[start..])));
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        apply_tag(tag, &mut out, &mut link, &mut list_depth);
        rest = &rest[start + end + 1..];
    }
    out.push_str(&escape_text(&decode_entities(rest)));
    tidy(&out)
}

fn apply_tag(tag: &str, out: &mut String, link: &mut Option<String>, list_depth: &mut usize) {
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
        ("code", _) => out.push('`'),
        ("b" | "strong", _) => out.push_str("**"),
        ("i" | "em", _) => out.push('*'),
        ("ul" | "ol", false) => {
            *list_depth += 1;
            out.push('\n');
        }
        ("ul" | "ol", true) => {
            *list_depth = list_depth.saturating_sub(1);
            out.push('\n');
        }
        ("li", false) => {
            out.push('\n');
            out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
            out.push_str("- ");
        }
        ("a", false) => {
            *link = attribute(tag, "href");
            if link.is_some() {
                out.push('[');
            }
        }
        ("a", true) => {
            if let Some(href) = link.take() {
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
    fn decodes_entities_and_escapes() {
        assert_eq!(
            html_to_markdown("a &lt;b&gt; &amp; c_d"),
            "a \\<b\\> & c\\_d"
        );
        assert_eq!(html_to_markdown("   indented   text  "), "indented text");
    }
}
