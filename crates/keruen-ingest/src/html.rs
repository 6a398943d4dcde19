//! HTML: the visible text of a page.
//!
//! The page goes through html5ever's tokenizer, the WHATWG-conformant one used by
//! Servo, so entities, unquoted attributes, `<script>` bodies holding `</div>` and
//! the like are handled as a browser would. The tree builder is not used: visible
//! text needs only the stream of tags and characters, and doing without a DOM keeps
//! the build light and the memory flat.
//!
//! What comes out:
//! - the text of `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>`,
//!   `<iframe>` and elements marked `hidden` or `style="display:none"` is dropped;
//!   `<title>` is the document title and not part of the text;
//! - block elements (`p`, `div`, `h1`–`h6`, `li`, `tr`, `section`, `blockquote`, …)
//!   start a new line; paragraph-like ones (`p`, headings, `blockquote`, `pre`,
//!   `table`, sectioning elements) leave a blank line, so paragraphs stay visible to
//!   the sentence splitter; `<br>` breaks a line; never more than one blank line;
//! - table cells in a row are separated by a tab: one character that cannot be
//!   mistaken for the page's own text, and the row stays one line, like a TSV row;
//! - runs of whitespace outside `<pre>` collapse to one space, as a browser shows
//!   them; a no-break space (`&nbsp;`) is kept as U+00A0, not collapsed;
//! - entities are decoded; links keep their text.
//!
//! The charset is a BOM, else `<meta charset>` / `<meta http-equiv=Content-Type>`,
//! else UTF-8, else the Russian code-page guess used for plain text, else
//! Windows-1252 as a browser would.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::charset::Undecodable;
use crate::{Extracted, ReadError};

mod charset;

use charset::decode;

/// Reads an HTML page.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Extracted, ReadError> {
    let decoded = decode(bytes).map_err(|why| match why {
        Undecodable::Binary => ReadError::Binary { name: name.to_owned() },
        Undecodable::Unknown => ReadError::UnknownEncoding { name: name.to_owned() },
        Undecodable::BrokenUtf8 { line, byte } => ReadError::BrokenUtf8 { name: name.to_owned(), line, byte },
    })?;
    let (text, title) = visible_text(&decoded.text);
    Ok(Extracted { text, title, encoding: decoded.encoding.name().to_owned() })
}

/// The visible text of an HTML string, and its title.
pub(crate) fn visible_text(html: &str) -> (String, Option<String>) {
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks to pause for a script, so one feed consumes everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    let title = state.title.or(state.first_h1).filter(|t| !t.is_empty());
    (state.out.trim_end().to_owned(), title)
}

/// Elements whose content is never shown, and the tokenizer state that reads it.
fn hidden_raw_element(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "noscript" | "iframe" | "noembed" | "noframes" | "xmp" => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// Line breaks a block element asks for before and after it: 2 leaves a blank
/// line, 1 starts a new line.
fn block_breaks(name: &str) -> u8 {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote" | "table" | "section"
        | "article" | "aside" | "header" | "footer" | "nav" | "main" | "figure" | "hr" | "address"
        | "details" | "form" | "fieldset" => 2,
        "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "tr" | "thead" | "tbody" | "tfoot" | "caption"
        | "figcaption" | "summary" | "legend" | "body" | "html" | "center" | "dialog" | "menu" | "hgroup"
        | "search" | "option" | "textarea" => 1,
        _ => 0,
    }
}

/// Elements that have no end tag, so a `hidden` on them hides nothing else.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
    )
}

#[derive(Default)]
struct TextSink {
    state: RefCell<TextState>,
}

#[derive(Default)]
struct TextState {
    out: String,
    /// Whitespace seen since the last character written.
    pending_space: bool,
    /// Line breaks owed before the next character (0–2).
    pending_breaks: u8,
    /// Cell separators owed before the next character.
    pending_tabs: usize,
    /// A cell has started in the current table row.
    row_has_cell: bool,
    /// Inside a raw-text element whose content is dropped (`script`, `style`…).
    in_hidden_raw: bool,
    /// Collecting the `<title>` text.
    title_buffer: Option<String>,
    title: Option<String>,
    /// Collecting the text of the first non-empty `<h1>`.
    h1_buffer: Option<String>,
    first_h1: Option<String>,
    /// Nesting depth of `<template>`, `<svg>`.
    template_depth: usize,
    svg_depth: usize,
    /// The element that opened a `hidden` region, and how deep inside it we are.
    hidden: Option<(String, usize)>,
    pre_depth: usize,
    /// Just after `<pre>`: its first newline is not content.
    after_pre_start: bool,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.characters(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl TextState {
    fn hiding(&self) -> bool {
        self.in_hidden_raw || self.template_depth > 0 || self.svg_depth > 0 || self.hidden.is_some()
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        // Inside svg everything is foreign content: only its own nesting matters.
        if self.svg_depth > 0 {
            match (name, start) {
                ("svg", true) if !tag.self_closing => self.svg_depth += 1,
                ("svg", false) => self.svg_depth -= 1,
                _ => {}
            }
            return TokenSinkResult::Continue;
        }
        if let Some((hidden_name, depth)) = &mut self.hidden {
            if hidden_name == name {
                if start {
                    *depth += 1;
                } else {
                    *depth -= 1;
                    if *depth == 0 {
                        self.hidden = None;
                    }
                }
            }
            if self.hidden.is_some() {
                return self.raw_mode(name, start);
            }
            return TokenSinkResult::Continue;
        }
        if start && !is_void(name) && is_hidden(tag) {
            self.hidden = Some((name.to_owned(), 1));
            return self.raw_mode(name, start);
        }
        match (name, start) {
            ("title", true) => {
                self.title_buffer = Some(String::new());
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            ("title", false) => {
                if let Some(buffer) = self.title_buffer.take()
                    && self.title.is_none()
                {
                    self.title = Some(collapse(&buffer));
                }
            }
            ("template", true) => self.template_depth += 1,
            ("template", false) => self.template_depth = self.template_depth.saturating_sub(1),
            ("svg", true) if !tag.self_closing => self.svg_depth = 1,
            ("h1", true) if self.first_h1.is_none() => self.h1_buffer = Some(String::new()),
            ("h1", false) => {
                if let Some(buffer) = self.h1_buffer.take() {
                    let heading = collapse(&buffer);
                    if !heading.is_empty() {
                        self.first_h1 = Some(heading);
                    }
                }
            }
            ("br", _) => self.pending_breaks = (self.pending_breaks + 1).min(2),
            ("pre", true) => {
                self.pre_depth += 1;
                self.after_pre_start = true;
            }
            ("pre", false) => self.pre_depth = self.pre_depth.saturating_sub(1),
            ("tr", _) => self.row_has_cell = false,
            ("td" | "th", true) => {
                if self.row_has_cell {
                    self.pending_tabs += 1;
                }
                self.row_has_cell = true;
            }
            _ => {}
        }
        if !self.hiding() {
            let breaks = block_breaks(name);
            self.pending_breaks = self.pending_breaks.max(breaks);
        }
        self.raw_mode(name, start)
    }

    /// Switches the tokenizer into raw text for elements whose content is not
    /// markup, as the tree builder would, and notes whether to drop that content.
    fn raw_mode(&mut self, name: &str, start: bool) -> TokenSinkResult<()> {
        match hidden_raw_element(name) {
            Some(kind) if start => {
                self.in_hidden_raw = true;
                TokenSinkResult::RawData(kind)
            }
            Some(_) => {
                self.in_hidden_raw = false;
                TokenSinkResult::Continue
            }
            None if start && name == "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            None if start && name == "plaintext" => TokenSinkResult::Plaintext,
            None => TokenSinkResult::Continue,
        }
    }

    fn characters(&mut self, text: &str) {
        if let Some(buffer) = &mut self.title_buffer {
            buffer.push_str(text);
            return;
        }
        if self.hiding() {
            return;
        }
        if let Some(buffer) = &mut self.h1_buffer {
            buffer.push_str(text);
        }
        let mut text = text;
        if self.after_pre_start {
            self.after_pre_start = false;
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        for c in text.chars() {
            if self.pre_depth > 0 {
                if c == '\n' {
                    self.flush_pending();
                    self.out.push('\n');
                } else {
                    self.push(c);
                }
            } else if is_html_whitespace(c) {
                self.pending_space = true;
            } else {
                self.push(c);
            }
        }
    }

    /// Writes one visible character after whatever separation is owed.
    fn push(&mut self, c: char) {
        self.flush_pending();
        self.out.push(c);
    }

    fn flush_pending(&mut self) {
        if self.out.is_empty() {
            // Nothing is owed before the first character of the document.
            self.pending_breaks = 0;
            self.pending_space = false;
        }
        if self.pending_breaks > 0 {
            let trimmed = self.out.trim_end_matches([' ', '\t']).len();
            self.out.truncate(trimmed);
            let have = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in have..usize::from(self.pending_breaks) {
                self.out.push('\n');
            }
            self.pending_space = false;
        }
        if self.pending_tabs > 0 {
            for _ in 0..self.pending_tabs {
                self.out.push('\t');
            }
            self.pending_space = false;
        }
        if self.pending_space && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.pending_breaks = 0;
        self.pending_tabs = 0;
        self.pending_space = false;
    }
}

/// The `hidden` attribute or an inline `display:none`.
fn is_hidden(tag: &Tag) -> bool {
    tag.attrs.iter().any(|attr| {
        let attr_name: &str = &attr.name.local;
        match attr_name {
            "hidden" => true,
            "style" => {
                let style: String = attr
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                style.contains("display:none")
            }
            _ => false,
        }
    })
}

/// The five whitespace characters of HTML; U+00A0 is deliberately not one.
fn is_html_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

fn collapse(text: &str) -> String {
    text.split(is_html_whitespace).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        visible_text(html).0
    }

    #[test]
    fn blocks_inline_and_whitespace() {
        assert_eq!(
            text("<p>Days  of\n <b>Kyrgyz</b>   culture</p><p>in <a href=x>Tashkent</a></p>"),
            "Days of Kyrgyz culture\n\nin Tashkent"
        );
        assert_eq!(text("<div>one</div><div>two</div>"), "one\ntwo");
        assert_eq!(text("a<br>b<br><br><br>c"), "a\nb\n\nc");
        assert_eq!(text("<b>Hel</b>lo"), "Hello");
    }

    #[test]
    fn hidden_content_is_dropped() {
        let html = "<head><title>T</title><style>p{color:red}</style>\
                    <script>var x = '</div>';</script></head>\
                    <body><noscript>enable JS</noscript><template><p>tpl</p></template>\
                    <svg><title>icon</title><text>svg</text></svg>\
                    <div hidden><p>secret <div>nested</div></p></div>\
                    <span style=\"display: none\">gone</span><p>shown</p></body>";
        assert_eq!(visible_text(html), ("shown".to_owned(), Some("T".to_owned())));
    }

    #[test]
    fn tables_use_tabs() {
        let html = "<table><tr><th>Year</th><th>Event</th></tr>\
                    <tr><td>1992</td><td>Treaty</td></tr><tr><td></td><td>x</td></tr></table>";
        assert_eq!(text(html), "Year\tEvent\n1992\tTreaty\n\tx");
    }

    #[test]
    fn pre_keeps_its_layout() {
        assert_eq!(text("<p>a</p><pre>\n  x  y\nz</pre><p>b</p>"), "a\n\n  x  y\nz\n\nb");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            text("<p>&laquo;Navruz&raquo;&nbsp;&amp; Co &#1040; &#x416; &lt;b&gt;</p>"),
            "«Navruz»\u{A0}& Co А Ж <b>"
        );
    }

    #[test]
    fn title_falls_back_to_first_h1() {
        let (_, title) = visible_text("<h1> </h1><h1>Silk <i>Road</i>\n Days</h1><h1>Other</h1>");
        assert_eq!(title.as_deref(), Some("Silk Road Days"));
        let (_, none) = visible_text("<p>no heading</p>");
        assert_eq!(none, None);
    }
}
