//! BibTeX of sources, for LaTeX, JabRef and Zotero.
//!
//! Entry types follow the CSL type: `article-journal`, `article-newspaper` and
//! `article-magazine` → `@article`; `book` → `@book`; `chapter` → `@incollection`;
//! `report` → `@techreport`; `thesis` → `@phdthesis`; `manuscript` → `@unpublished`;
//! everything else → `@misc`. The key is the source id with characters other than
//! letters, digits, `-`, `_`, `:` and `.` replaced by `_`. Values are written in
//! braces with the LaTeX special characters escaped (`& % $ # _ { } ~ ^ \`); UTF-8
//! is kept as it is (biber and modern BibTeX read it). An archival unit becomes a
//! `note` with the archive and "f. …, op. …, d. …, l. …".
use crate::Result;
use crate::csl::archive_location;
use keruen_model::Source;
use std::io::Write;

/// The BibTeX entry type of a CSL type.
pub fn entry_type(csl: &str) -> &'static str {
    match csl {
        "article-journal" | "article-newspaper" | "article-magazine" | "article" => "article",
        "book" => "book",
        "chapter" | "entry-encyclopedia" | "paper-conference" => "incollection",
        "report" => "techreport",
        "thesis" => "phdthesis",
        "manuscript" => "unpublished",
        _ => "misc",
    }
}

/// The citation key of a source id.
pub fn key(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || "-_:.".contains(c) { c } else { '_' }).collect()
}

/// Escapes the LaTeX special characters of a value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL or DOI: kept verbatim (the `url` package reads it), braces dropped so that
/// the value stays balanced.
fn verbatim(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '{' | '}' | '\n' | '\r')).collect()
}

/// Writes one entry.
pub fn entry<W: Write + ?Sized>(out: &mut W, s: &Source) -> Result<()> {
    let ty = entry_type(&s.csl_type);
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !s.author.is_empty() {
        let names: Vec<String> = s
            .author
            .iter()
            .map(|a| match &a.given {
                Some(g) => format!("{}, {}", escape(&a.family), escape(g)),
                None => escape(&a.family),
            })
            .collect();
        fields.push(("author", names.join(" and ")));
    }
    fields.push(("title", escape(&s.title)));
    if let Some(c) = &s.container_title {
        let field = match ty {
            "article" => "journal",
            "incollection" => "booktitle",
            _ => "howpublished",
        };
        fields.push((field, escape(c)));
    }
    if let Some(y) = s.issued.as_ref().and_then(|d| d.year()) {
        fields.push(("year", y.to_string()));
        if let Some(m) = s.issued.as_ref().and_then(|d| d.as_date()).and_then(|d| d.known_month()) {
            fields.push(("month", m.to_string()));
        }
    }
    if let Some(d) = &s.issued {
        fields.push(("date", escape(&d.to_string())));
    }
    let plain = [
        ("volume", &s.volume),
        ("number", &s.issue),
        ("publisher", &s.publisher),
        ("address", &s.publisher_place),
        ("issn", &s.issn),
        ("language", &s.language),
    ];
    if let Some(p) = &s.page {
        fields.push(("pages", escape(&p.replace(['-', '–'], "--").replace("----", "--"))));
    }
    for (k, v) in plain {
        if let Some(v) = v {
            fields.push((if ty == "techreport" && k == "publisher" { "institution" } else { k }, escape(v)));
        }
    }
    if let Some(u) = &s.url {
        fields.push(("url", verbatim(u)));
    }
    if let Some(d) = &s.doi {
        fields.push(("doi", verbatim(d)));
    }
    if let Some(a) = &s.archival {
        let russian = s.language.as_deref().is_some_and(|l| l.starts_with("ru"));
        let loc = archive_location(a, russian);
        let note = match &a.archive {
            Some(archive) => format!("{archive}, {loc}"),
            None => loc,
        };
        fields.push(("note", escape(&note)));
    }
    writeln!(out, "@{ty}{{{},", key(&s.id))?;
    for (i, (k, v)) in fields.iter().enumerate() {
        let comma = if i + 1 < fields.len() { "," } else { "" };
        writeln!(out, "  {k} = {{{v}}}{comma}")?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// Writes every source as an entry, separated by blank lines.
pub fn write<'a, W: Write + ?Sized>(
    out: &mut W,
    sources: impl IntoIterator<Item = &'a Source>,
) -> Result<()> {
    writeln!(out, "% BibTeX export of keruen sources; UTF-8.")?;
    for s in sources {
        writeln!(out)?;
        entry(out, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::Author;

    #[test]
    fn entries_escape_and_map_types() {
        let mut s = Source::from_text("Culture & science: 50% {more}_x", "t");
        s.id = "src 1".into();
        s.csl_type = "article-journal".into();
        s.author = vec![Author { family: "Adiyet".into(), given: Some("Kairken".into()) }];
        s.issued = Some("2020-03".parse().unwrap());
        s.container_title = Some("PalArch's Journal".into());
        s.page = Some("803-814".into());
        s.url = Some("https://example.org/a_b?x={y}".into());
        let mut out = Vec::new();
        entry(&mut out, &s).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("@article{src_1,\n"), "{text}");
        assert!(text.contains("title = {Culture \\& science: 50\\% \\{more\\}\\_x},"), "{text}");
        assert!(text.contains("author = {Adiyet, Kairken},"));
        assert!(text.contains("journal = {PalArch's Journal},"));
        assert!(text.contains("pages = {803--814},"));
        assert!(text.contains("year = {2020},\n  month = {3},"));
        assert!(text.contains("url = {https://example.org/a_b?x=y}"));
        assert!(text.trim_end().ends_with('}'));
    }
}
