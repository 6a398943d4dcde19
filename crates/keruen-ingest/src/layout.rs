//! Reading the word layout that `pdftotext -bbox-layout` writes.
//!
//! Why the layout and not pdftotext's plain output: in its plain modes poppler
//! joins every line that ends in `-` to the next and drops the hyphen, whatever
//! stands before it. "Alma-" + "Ata" becomes "AlmaAta", and worse for a date
//! extractor, "1992-" + "1995" becomes "19921995". The layout output has the same
//! reading order (poppler's flows, blocks and lines, so columns are still read one
//! after the other) with every word as printed, which leaves the hyphenation to
//! [`crate::page`], where it can look at what surrounds the hyphen.
//!
//! Each `<line>` becomes one line of text. Words are separated by a space unless
//! they touch: poppler splits a word where the font changes ("Navruz" in italics
//! and the comma after it), and those pieces must stay together. Flows (poppler's
//! text columns and separate regions) are separated by a blank line, as in
//! pdftotext's plain output.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Gap between two words, as a share of the line height, below which they are
/// taken to touch. Poppler itself starts a new word only at gaps above a tenth of
/// the font size (about 0.077 of the line height), or at a change of font, where
/// the gap is zero: any threshold between the two separates the cases.
const TOUCHING_GAP: f64 = 0.04;

/// The pages, each a list of lines, and the document title.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Layout {
    pub pages: Vec<Vec<String>>,
    pub title: Option<String>,
}

/// One word with its horizontal extent and height.
struct Word {
    text: String,
    x_min: f64,
    x_max: f64,
    height: f64,
}

/// Parses `pdftotext -bbox-layout` XHTML.
pub(crate) fn parse(xhtml: &str) -> Result<Layout, String> {
    let mut reader = Reader::from_str(xhtml);
    let mut layout = Layout::default();
    let mut title: Option<String> = None;
    let mut line: Option<Vec<Word>> = None;
    let mut word: Option<Word> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => match e.local_name().as_ref() {
                "title" => title = Some(String::new()),
                "page" => layout.pages.push(Vec::new()),
                "flow" => {
                    if let Some(page) = layout.pages.last_mut()
                        && page.last().is_some_and(|l| !l.is_empty())
                    {
                        page.push(String::new());
                    }
                }
                "line" => line = Some(Vec::new()),
                "word" => word = Some(start_word(&e)),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "title" => layout.title = title.take().filter(|t| !t.trim().is_empty()),
                "word" => {
                    if let (Some(done), Some(line)) = (word.take(), line.as_mut()) {
                        line.push(done);
                    }
                }
                "line" => {
                    if let (Some(words), Some(page)) = (line.take(), layout.pages.last_mut()) {
                        page.push(join_words(&words));
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(word) = word.as_mut() {
                    word.text.push_str(&text);
                } else if let Some(title) = title.as_mut() {
                    title.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default().to_owned(),
                };
                if let Some(word) = word.as_mut() {
                    word.text.push_str(&resolved);
                } else if let Some(title) = title.as_mut() {
                    title.push_str(&resolved);
                }
            }
            Event::Eof => return Ok(layout),
            _ => {}
        }
    }
}

fn start_word(element: &BytesStart<'_>) -> Word {
    let coordinate = |name: &str| -> f64 {
        element
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(0.0)
    };
    Word {
        text: String::new(),
        x_min: coordinate("xMin"),
        x_max: coordinate("xMax"),
        height: coordinate("yMax") - coordinate("yMin"),
    }
}

fn join_words(words: &[Word]) -> String {
    let mut line = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let previous = &words[i - 1];
            let gap = word.x_min - previous.x_max;
            let height = previous.height.max(word.height);
            // Vertical or rotated text has gaps that are not horizontal at all;
            // they fail this test and get a space, the safe choice.
            let touching = height > 0.0 && gap.abs() < TOUCHING_GAP * height;
            if !touching {
                line.push(' ');
            }
        }
        line.push_str(&word.text);
    }
    line.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x_min: f64, x_max: f64, text: &str) -> String {
        format!(r#"<word xMin="{x_min}" yMin="100" xMax="{x_max}" yMax="114">{text}</word>"#)
    }

    #[test]
    fn pages_flows_lines_and_words() {
        let xhtml = format!(
            r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Days &amp; Nights</title></head>
            <body><doc><page width="400" height="600">
              <flow><block><line>{}{}</line></block></flow>
              <flow><block><line>{}{}{}</line><line>{}</line></block></flow>
            </page><page width="400" height="600"></page>
            <page width="400" height="600"><flow><block><line>{}</line></block></flow></page>
            </doc></body></html>"#,
            word(10.0, 40.0, "Header"),
            word(43.5, 60.0, "1998"),
            word(10.0, 50.0, "Navruz"),
            word(50.0, 52.0, ","),
            word(56.0, 90.0, "coope-"),
            word(10.0, 50.0, "ration"),
            word(10.0, 30.0, "R&amp;D &#1040;"),
        );
        let layout = parse(&xhtml).unwrap();
        assert_eq!(layout.title.as_deref(), Some("Days & Nights"));
        assert_eq!(
            layout.pages,
            vec![
                vec![
                    "Header 1998".to_owned(),
                    String::new(),
                    "Navruz, coope-".to_owned(),
                    "ration".to_owned()
                ],
                vec![],
                vec!["R&D А".to_owned()],
            ]
        );
    }

    #[test]
    fn no_title_and_no_pages() {
        let layout = parse("<html><head><title> </title></head><body><doc></doc></body></html>").unwrap();
        assert_eq!(layout, Layout::default());
    }
}
