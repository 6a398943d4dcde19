//! DOCX: the text of a Word 2007+ document.
//!
//! A `.docx` is a zip of XML parts. The text is `word/document.xml`, read as a
//! stream of XML events:
//! - each paragraph `<w:p>` is one line; table cells hold paragraphs, so a table
//!   comes out one cell per line;
//! - `<w:t>` is text, `<w:tab/>` a tab, `<w:br/>` and `<w:cr/>` a line break,
//!   `<w:noBreakHyphen/>` a hyphen;
//! - field codes (`<w:instrText>`, the `PAGE` or `HYPERLINK "…"` behind a field)
//!   are skipped, their displayed result kept; deleted text of tracked changes
//!   (`<w:del>`, `<w:delText>`) is skipped, inserted text kept; of
//!   `<mc:AlternateContent>` only the preferred `mc:Choice` is read, since the
//!   fallback repeats the same text for old readers.
//!
//! Footnotes (`word/footnotes.xml`) follow the body after a blank line, one
//! paragraph a line, without their reference marks. Headers, footers, comments and
//! endnotes are not read: they are page furniture or annotation, not the text.
//!
//! The title is `dc:title` from `docProps/core.xml`, else the first paragraph
//! styled Title or Heading 1 (style names resolved through `word/styles.xml`, since
//! localised Word writes style ids such as `1` or `a3`).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{Extracted, ReadError};

/// Largest XML part read, uncompressed. A real document.xml of a book is a few
/// megabytes; the cap stops a zip bomb from taking all memory.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a DOCX file.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Extracted, ReadError> {
    let invalid = |detail: String| ReadError::InvalidDocx { name: name.to_owned(), detail };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| invalid(format!("{e} (an old .doc or a password-protected file saved as .docx?)")))?;
    let document = read_part(&mut archive, "word/document.xml")
        .map_err(invalid)?
        .ok_or_else(|| invalid("it has no word/document.xml (an .odt or .xlsx renamed?)".to_owned()))?;
    let styles = match read_part(&mut archive, "word/styles.xml").map_err(invalid)? {
        Some(xml) => style_names(&xml).map_err(|e| invalid(format!("word/styles.xml: {e}")))?,
        None => HashMap::new(),
    };
    let body = paragraphs(&document).map_err(|e| invalid(format!("word/document.xml: {e}")))?;
    let footnotes = match read_part(&mut archive, "word/footnotes.xml").map_err(invalid)? {
        Some(xml) => paragraphs(&xml).map_err(|e| invalid(format!("word/footnotes.xml: {e}")))?,
        None => Vec::new(),
    };
    let core_title = match read_part(&mut archive, "docProps/core.xml").map_err(invalid)? {
        Some(xml) => core_title(&xml).map_err(|e| invalid(format!("docProps/core.xml: {e}")))?,
        None => None,
    };
    let title = core_title.or_else(|| {
        body.iter()
            .find(|p| {
                p.style.as_deref().is_some_and(|id| is_title_style(id, &styles)) && !p.text.trim().is_empty()
            })
            .map(|p| p.text.clone())
    });

    let mut text = join_lines(&body);
    let notes = join_lines(&footnotes);
    if !notes.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes);
    }
    Ok(Extracted { text, title, encoding: "UTF-8".to_owned() })
}

/// One line per paragraph. Leading and trailing whitespace goes: it is layout
/// (an indent typed with spaces, the space Word puts after a footnote mark), and
/// the text need not line up with the XML.
fn join_lines(paragraphs: &[Paragraph]) -> String {
    let lines: Vec<&str> = paragraphs.iter().map(|p| p.text.trim()).collect();
    lines.join("\n").trim_matches('\n').to_owned()
}

/// One part of the archive as a string, `None` if absent.
fn read_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    part: &str,
) -> Result<Option<String>, String> {
    let file = match archive.by_name(part) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{part}: {e}")),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{part}: {e}"))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(format!("{part} is larger than {} MiB", MAX_PART_BYTES >> 20));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{part} is not UTF-8 XML"))?;
    Ok(Some(text.trim_start_matches('\u{FEFF}').to_owned()))
}

/// A paragraph's text and its style id.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
}

/// Elements whose content is not part of the visible text.
fn is_skipped(element: &BytesStart<'_>) -> bool {
    match local(element.name().as_ref()) {
        "instrText" | "delText" | "del" | "Fallback" | "moveFrom" => true,
        // The separator lines Word keeps as pseudo-footnotes.
        "footnote" | "endnote" => {
            attribute(element, "type").is_some_and(|t| t.contains("eparator") || t == "continuationNotice")
        }
        _ => false,
    }
}

/// The paragraphs of a WordprocessingML part, in document order. A paragraph
/// nested in a text box comes out before the paragraph that anchors it.
fn paragraphs(xml: &str) -> Result<Vec<Paragraph>, String> {
    let mut reader = Reader::from_str(xml);
    let mut done: Vec<Paragraph> = Vec::new();
    let mut open: Vec<Paragraph> = Vec::new();
    // Name and nesting depth of the element being skipped.
    let mut skipping: Option<(String, usize)> = None;
    let mut in_text = false;
    let mut in_run = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        if let Some((skipped, depth)) = &mut skipping {
            match &event {
                Event::Start(e) if local(e.name().as_ref()) == skipped => *depth += 1,
                Event::End(e) if local(e.name().as_ref()) == skipped => {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if is_skipped(&e) => {
                skipping = Some((local(e.name().as_ref()).to_owned(), 1));
            }
            Event::Start(e) => match local(e.name().as_ref()) {
                "p" => open.push(Paragraph::default()),
                "t" => in_text = true,
                "r" => in_run += 1,
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()) {
                "p" => done.extend(open.pop()),
                "t" => in_text = false,
                "r" => in_run = in_run.saturating_sub(1),
                _ => {}
            },
            Event::Empty(e) => {
                let qualified = e.name();
                let name = local(qualified.as_ref());
                if name == "p" {
                    done.push(Paragraph::default());
                    continue;
                }
                let Some(paragraph) = open.last_mut() else {
                    continue;
                };
                match name {
                    "pStyle" => paragraph.style = attribute(&e, "val"),
                    // Tabs outside runs are tab-stop definitions, not characters.
                    "tab" | "ptab" if in_run > 0 => paragraph.text.push('\t'),
                    "br" | "cr" if in_run > 0 => paragraph.text.push('\n'),
                    "noBreakHyphen" => paragraph.text.push('-'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(paragraph) = open.last_mut() {
                    paragraph.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(paragraph) = open.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        paragraph.text.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        paragraph.text.push_str(s);
                    }
                }
            }
            Event::CData(c) if in_text => {
                if let Some(paragraph) = open.last_mut() {
                    paragraph.text.push_str(&c.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(done)
}

/// Style id → lower-cased style name, from `word/styles.xml`.
fn style_names(xml: &str) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut names = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if local(e.name().as_ref()) == "style" => current = attribute(&e, "styleId"),
            Event::End(e) if local(e.name().as_ref()) == "style" => current = None,
            Event::Empty(e) if local(e.name().as_ref()) == "name" => {
                if let (Some(id), Some(name)) = (&current, attribute(&e, "val")) {
                    names.insert(id.clone(), name.to_lowercase());
                }
            }
            Event::Eof => return Ok(names),
            _ => {}
        }
    }
}

fn is_title_style(id: &str, names: &HashMap<String, String>) -> bool {
    match names.get(id) {
        Some(name) => name == "title" || name == "heading 1",
        None => id == "Title" || id == "Heading1",
    }
}

/// `dc:title` of `docProps/core.xml`, if not blank.
fn core_title(xml: &str) -> Result<Option<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut title: Option<String> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if local(e.name().as_ref()) == "title" => title = Some(String::new()),
            Event::Text(t) => {
                if let Some(title) = &mut title {
                    title.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(title) = &mut title {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        title.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        title.push_str(s);
                    }
                }
            }
            Event::End(e) if local(e.name().as_ref()) == "title" => {
                return Ok(title.filter(|t| !t.trim().is_empty()));
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// The local part of a qualified name: `w:p` → `p`. Prefixes are matched loosely
/// because producers other than Word do not always use `w:`.
fn local(qualified: &str) -> &str {
    qualified.rsplit(':').next().unwrap_or(qualified)
}

/// The value of the attribute with local name `name` (any prefix).
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(body: &str) -> Vec<String> {
        let xml =
            format!(r#"<w:document xmlns:w="urn:w" xmlns:mc="urn:mc"><w:body>{body}</w:body></w:document>"#);
        paragraphs(&xml).unwrap().into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn runs_tabs_breaks_and_entities() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
            <w:r><w:t xml:space="preserve">Year </w:t></w:r><w:r><w:tab/><w:t>1992 &amp; 1993</w:t></w:r>
            <w:r><w:br/><w:t>&#1040;лматы</w:t><w:noBreakHyphen/><w:t>x</w:t></w:r></w:p><w:p/>"#;
        assert_eq!(text_of(body), ["Year \t1992 & 1993\nАлматы-x", ""]);
    }

    #[test]
    fn field_codes_deletions_and_fallbacks_are_skipped() {
        let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
            <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="end"/></w:r>
            <w:del><w:r><w:delText>old</w:delText></w:r></w:del><w:ins><w:r><w:t> new</w:t></w:r></w:ins>
            <mc:AlternateContent><mc:Choice><w:r><w:t> box</w:t></w:r></mc:Choice>
            <mc:Fallback><w:r><w:t> box again</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"#;
        assert_eq!(text_of(body), ["7 new box"]);
    }

    #[test]
    fn titles_from_styles() {
        let styles = style_names(
            r#"<w:styles xmlns:w="urn:w"><w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:styleId="a3"><w:name w:val="Title"/></w:style></w:styles>"#,
        )
        .unwrap();
        assert!(is_title_style("1", &styles));
        assert!(is_title_style("a3", &styles));
        assert!(is_title_style("Heading1", &HashMap::new()));
        assert!(!is_title_style("Heading2", &HashMap::new()));
    }

    #[test]
    fn core_title_is_read_and_blank_ignored() {
        let core = |t: &str| {
            core_title(&format!(
                r#"<cp:coreProperties xmlns:cp="urn:cp" xmlns:dc="urn:dc"><dc:title>{t}</dc:title></cp:coreProperties>"#
            ))
            .unwrap()
        };
        assert_eq!(core("Culture &amp; Science").as_deref(), Some("Culture & Science"));
        assert_eq!(core("  "), None);
    }

    #[test]
    fn not_a_zip_is_refused_with_a_hint() {
        let err = read("old.docx", b"\xD0\xCF\x11\xE0 not a zip").unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("old.docx: not a valid DOCX (zip) file: "), "{message}");
        assert!(message.contains("old .doc"), "{message}");
    }
}
