//! Highlighting: search hits in titles (with the same transliteration folding as the
//! store's search, so that a search for Ходжент marks "Khujand"), and the extracted
//! spans of a source's text.
use keruen_gazetteer::fold::{fold, fold_with_map};
use maud::{Markup, html};

/// Byte ranges of `text` to mark: words that begin with one of `words` (folded), and
/// whole folded `phrases` (entity names).
pub fn hit_ranges(text: &str, words: &[String], phrases: &[String]) -> Vec<(usize, usize)> {
    let (folded, map) = fold_with_map(text);
    let bytes_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let at_word_start = |i: usize| i == 0 || folded.as_bytes()[i - 1] == b' ';
    let word_end = |mut i: usize| {
        while i < folded.len() && folded.as_bytes()[i] != b' ' {
            i += 1;
        }
        i
    };
    let chars: Vec<char> = text.chars().collect();
    let mut push = |a: usize, b: usize| {
        if a < b && b <= map.len() {
            let (c0, mut c1) = (map[a] as usize, map[b - 1] as usize + 1);
            // Letters that fold to nothing (ь, ъ, combining marks) still belong to
            // the word: every match ends at a word's end.
            while c1 < chars.len() && (chars[c1].is_alphanumeric() || is_mark(chars[c1])) {
                c1 += 1;
            }
            if c1 < bytes_of_char.len() {
                ranges.push((bytes_of_char[c0], bytes_of_char[c1]));
            }
        }
    };
    for phrase in phrases.iter().filter(|p| !p.is_empty()) {
        for (i, _) in folded.match_indices(phrase.as_str()) {
            let end = i + phrase.len();
            if at_word_start(i) && (end == folded.len() || folded.as_bytes()[end] == b' ') {
                push(i, end);
            }
        }
    }
    for w in words.iter().filter(|w| !w.is_empty()) {
        for (i, _) in folded.match_indices(w.as_str()) {
            if at_word_start(i) {
                push(i, word_end(i));
            }
        }
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    merged
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x02BB..=0x02BC | 0x2019)
}

/// `text` with the hits of `words` and `phrases` in `<mark>`, escaped.
pub fn marked(text: &str, words: &[String], phrases: &[String]) -> Markup {
    let mut at = 0;
    let mut parts: Vec<(&str, &str)> = Vec::new();
    for (a, b) in hit_ranges(text, words, phrases) {
        parts.push((&text[at..a], &text[a..b]));
        at = b;
    }
    html! {
        @for (plain, hit) in &parts {
            (plain)
            mark { (hit) }
        }
        (&text[at..])
    }
}

/// Folded forms of names, for [`marked`].
pub fn folded(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| fold(n)).filter(|n| !n.is_empty()).collect()
}

/// A span to show over a source's text (character offsets).
#[derive(Debug, Clone)]
pub struct Span {
    /// `timex`, `entity`, `event`, `archival`, `citation`, `reference`.
    pub kind: String,
    /// First character.
    pub start: usize,
    /// End character (exclusive).
    pub end: usize,
    /// Where it links to.
    pub href: Option<String>,
    /// The tooltip.
    pub title: String,
    /// An id for links into the text.
    pub anchor: Option<String>,
}

/// One piece of the text between boundaries of spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Byte range in the text.
    pub range: (usize, usize),
    /// Index of the inline span covering it.
    pub inline: Option<usize>,
    /// Index of the event span covering it.
    pub event: Option<usize>,
}

/// Splits `text` into pieces: event spans are a background layer; the other spans are
/// inline elements, of which overlapping ones keep the earlier (then longer) one.
pub fn pieces(text: &str, spans: &[Span]) -> Vec<Piece> {
    let chars = text.chars().count();
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let mut inline: Vec<usize> = (0..spans.len()).filter(|&i| spans[i].kind != "event").collect();
    inline.sort_by_key(|&i| (spans[i].start, std::cmp::Reverse(spans[i].end)));
    let mut chosen: Vec<usize> = Vec::new();
    let mut reach = 0;
    for i in inline {
        let s = &spans[i];
        if s.start >= reach && s.start < s.end && s.end <= chars {
            chosen.push(i);
            reach = s.end;
        }
    }
    let events: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].kind == "event" && spans[i].start < spans[i].end && spans[i].end <= chars)
        .collect();
    let mut cuts: Vec<usize> = vec![0, chars];
    for &i in chosen.iter().chain(&events) {
        cuts.push(spans[i].start);
        cuts.push(spans[i].end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let inline = chosen.iter().copied().find(|&i| spans[i].start <= a && b <= spans[i].end);
        let event = events.iter().copied().find(|&i| spans[i].start <= a && b <= spans[i].end);
        out.push(Piece { range: (bytes[a], bytes[b]), inline, event });
    }
    out
}

/// The text with its spans: inline spans as links or marks, event spans as a
/// background with a numbered link at their start.
pub fn annotated(text: &str, spans: &[Span], event_numbers: &dyn Fn(usize) -> Option<usize>) -> Markup {
    let pieces = pieces(text, spans);
    // Group consecutive pieces of the same inline span.
    let mut groups: Vec<(Option<usize>, Vec<&Piece>)> = Vec::new();
    for p in &pieces {
        match groups.last_mut() {
            Some((g, v)) if p.inline.is_some() && *g == p.inline => v.push(p),
            _ => groups.push((p.inline, vec![p])),
        }
    }
    // Every event span starting where a piece starts gets its numbered mark there.
    let mut starts: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (i, s) in spans.iter().enumerate().filter(|(_, s)| s.kind == "event") {
        starts.entry(s.start).or_default().push(i);
    }
    let char_at = |byte: usize| text[..byte].chars().count();
    let body = |v: &Vec<&Piece>| {
        html! {
            @for p in v {
                @if p.event.is_some() {
                    @for e in starts.get(&char_at(p.range.0)).map(Vec::as_slice).unwrap_or(&[]) {
                        @if let Some(href) = &spans[*e].href {
                            a.ev-mark href=(href) title=(spans[*e].title) id=[spans[*e].anchor.as_deref()] {
                                (event_numbers(*e).map(|n| n.to_string()).unwrap_or_default())
                            }
                        }
                    }
                }
                @let seg = &text[p.range.0..p.range.1];
                @match p.event {
                    Some(_) => span.ev { (seg) },
                    None => (seg),
                }
            }
        }
    };
    html! {
        @for (g, v) in &groups {
            @match g {
                Some(i) => {
                    @let s = &spans[*i];
                    @let class = format!("hl hl-{}", s.kind);
                    @match &s.href {
                        Some(href) => a class=(class) href=(href) title=(s.title) id=[s.anchor.as_deref()] { (body(v)) },
                        None => span class=(class) title=(s.title) id=[s.anchor.as_deref()] { (body(v)) },
                    }
                }
                None => (body(v)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_found_across_scripts() {
        let r = hit_ranges("Days of Culture in Khujand", &[], &folded(&["Ходжент", "Khujand"]));
        assert_eq!(r.len(), 1);
        let text = "Days of Culture in Khujand";
        assert_eq!(&text[r[0].0..r[0].1], "Khujand");
        let text = "Фестиваль «Шарк тароналари» в Самарканде";
        let r = hit_ranges(text, &["festiv".into(), "samarkand".into()], &[]);
        let got: Vec<&str> = r.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(got, ["Фестиваль", "Самарканде"]);
    }

    #[test]
    fn marked_text_is_escaped() {
        let m = marked("<b>Almaty</b> & co", &["almaty".into()], &[]).into_string();
        assert_eq!(m, "&lt;b&gt;<mark>Almaty</mark>&lt;/b&gt; &amp; co");
    }

    #[test]
    fn overlapping_spans_keep_the_first_and_events_are_a_layer() {
        let text = "В 2008 году в Алматы прошли Дни культуры.";
        let span = |kind: &str, start, end| Span {
            kind: kind.into(),
            start,
            end,
            href: Some(format!("/x/{kind}")),
            title: kind.into(),
            anchor: None,
        };
        let spans =
            vec![span("event", 0, 41), span("timex", 2, 11), span("entity", 14, 20), span("entity", 15, 18)];
        let p = pieces(text, &spans);
        let inl: Vec<(&str, Option<usize>)> =
            p.iter().map(|p| (&text[p.range.0..p.range.1], p.inline)).collect();
        assert!(inl.contains(&("2008 году", Some(1))), "{inl:?}");
        assert!(inl.contains(&("Алматы", Some(2))), "{inl:?}");
        assert!(p.iter().all(|p| p.event == Some(0)));
        let html = annotated(text, &spans, &|_| Some(1)).into_string();
        assert!(html.contains(r#"<a class="hl hl-entity" href="/x/entity" title="entity"><span class="ev">Алматы</span></a>"#), "{html}");
        assert!(html.starts_with(r#"<a class="ev-mark" href="/x/event" title="event">1</a>"#), "{html}");
    }
}
