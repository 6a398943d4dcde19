//! The whole extractor (timexes, entities, events, archival references, citations,
//! bibliography): never panics, and every reported span is the text at its offsets.
#![no_main]
use keruen_extract::{Options, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let x = extract(text, &Options::default());
    let chars: Vec<char> = text.chars().collect();
    let at = |s: usize, e: usize| -> String { chars[s..e].iter().collect() };
    for t in &x.timexes {
        assert_eq!(at(t.start, t.end), t.text);
    }
    for r in &x.archival_refs {
        assert_eq!(at(r.start, r.end), r.text);
    }
    for c in &x.citations {
        assert_eq!(at(c.start, c.end), c.text);
    }
    for r in &x.references {
        assert_eq!(at(r.start, r.end), r.text);
    }
    for e in &x.events {
        assert_eq!(at(e.evidence.start, e.evidence.end), e.evidence.text);
    }
    for e in &x.entities {
        for m in &e.mentions {
            assert_eq!(at(m.start, m.end), m.text);
        }
    }
});
