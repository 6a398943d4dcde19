//! CSL-JSON (Citation Style Language data) of sources, for Zotero, Pandoc and
//! citeproc: a JSON array with one item per source.
//!
//! `id` is the source id. `issued` is `{"date-parts": [[y, m, d]]}` (two parts for an
//! interval), with `"circa": true` when the EDTF date is approximate or uncertain;
//! a date with unspecified digits or a set is given as `{"raw": EDTF}`. An archival
//! unit becomes `archive` and `archive_location` ("ф. 1987, оп. 1, д. 45, л. 3" for a
//! Russian-language source, "f. 1987, op. 1, d. 45, l. 3" otherwise).
use crate::Result;
use keruen_model::{ArchivalUnit, Edtf, EdtfDate, EdtfValue, Source};
use serde_json::{Map, Value, json};
use std::io::Write;

fn parts(d: &EdtfDate) -> Value {
    let mut p = vec![json!(d.year)];
    if let Some(m) = d.known_month() {
        p.push(json!(m));
        if let Some(day) = d.known_day() {
            p.push(json!(day));
        }
    }
    // A season is not a date part: CSL has a `season` field for it (see [`date`]).
    Value::Array(p)
}

/// The CSL date of an EDTF value.
pub fn date(e: &Edtf) -> Value {
    let circa = e.is_approximate() || e.is_uncertain();
    let mut m = Map::new();
    match e.value() {
        _ if e.has_unspecified() => {
            m.insert("raw".into(), json!(e.to_string()));
        }
        EdtfValue::Date(d) => {
            m.insert("date-parts".into(), json!([parts(d)]));
            if let Some(s) = d.season {
                m.insert("season".into(), json!(s.code() - 20));
            }
        }
        EdtfValue::Interval { start, end } => match (start.date(), end.date()) {
            (Some(a), Some(b)) => {
                m.insert("date-parts".into(), json!([parts(a), parts(b)]));
            }
            (Some(a), None) | (None, Some(a)) => {
                m.insert("date-parts".into(), json!([parts(a)]));
            }
            (None, None) => {
                m.insert("raw".into(), json!(e.to_string()));
            }
        },
        EdtfValue::Set { .. } => {
            m.insert("raw".into(), json!(e.to_string()));
        }
    }
    if circa {
        m.insert("circa".into(), json!(true));
    }
    Value::Object(m)
}

/// "ф. 1987, оп. 1, д. 45, л. 3" (Russian) or "f. 1987, op. 1, d. 45, l. 3".
pub fn archive_location(a: &ArchivalUnit, russian: bool) -> String {
    let labels = if russian { ["ф.", "оп.", "д.", "л."] } else { ["f.", "op.", "d.", "l."] };
    [Some(&a.fond), a.inventory.as_ref(), a.case.as_ref(), a.sheet.as_ref()]
        .into_iter()
        .zip(labels)
        .filter_map(|(v, l)| v.map(|v| format!("{l} {v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The CSL-JSON item of a source.
pub fn item(s: &Source) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(s.id));
    m.insert("type".into(), json!(s.csl_type));
    m.insert("title".into(), json!(s.title));
    if !s.author.is_empty() {
        m.insert("author".into(), serde_json::to_value(&s.author).unwrap_or_default());
    }
    if let Some(d) = &s.issued {
        m.insert("issued".into(), date(d));
    }
    let mut text = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    };
    text("container-title", &s.container_title);
    text("volume", &s.volume);
    text("issue", &s.issue);
    text("page", &s.page);
    text("publisher", &s.publisher);
    text("publisher-place", &s.publisher_place);
    text("URL", &s.url);
    text("DOI", &s.doi);
    text("ISSN", &s.issn);
    text("language", &s.language);
    if let Some(a) = &s.archival {
        let russian = s.language.as_deref().is_some_and(|l| l.starts_with("ru"));
        text("archive", &a.archive);
        m.insert("archive_location".into(), json!(archive_location(a, russian)));
    }
    Value::Object(m)
}

/// Writes sources as a CSL-JSON array, one item per line.
pub fn write<'a, W: Write + ?Sized>(
    out: &mut W,
    sources: impl IntoIterator<Item = &'a Source>,
) -> Result<()> {
    out.write_all(b"[")?;
    for (i, s) in sources.into_iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &item(s))?;
    }
    out.write_all(b"\n]\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_archival_units() {
        let d = |s: &str| date(&s.parse().unwrap());
        assert_eq!(d("1995-11-05"), json!({"date-parts": [[1995, 11, 5]]}));
        assert_eq!(d("2008-04-25/2008-05-02"), json!({"date-parts": [[2008, 4, 25], [2008, 5, 2]]}));
        assert_eq!(d("1441~"), json!({"date-parts": [[1441]], "circa": true}));
        assert_eq!(d("199X"), json!({"raw": "199X"}));
        let mut s = Source::from_text("Опись", "x");
        s.language = Some("ru".into());
        s.archival = Some(ArchivalUnit {
            archive: Some("ЦГА РК".into()),
            fond: "1987".into(),
            inventory: Some("1".into()),
            case: Some("45".into()),
            sheet: None,
        });
        let v = item(&s);
        assert_eq!(v["archive_location"], "ф. 1987, оп. 1, д. 45");
        assert_eq!(v["archive"], "ЦГА РК");
        let mut out = Vec::new();
        write(&mut out, [&s, &s]).unwrap();
        let back: Vec<Value> = serde_json::from_slice(&out).unwrap();
        assert_eq!(back.len(), 2);
    }
}
