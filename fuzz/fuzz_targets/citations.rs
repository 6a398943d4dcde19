//! The author–year citation and bibliography parsers alone: never panic, every span
//! is the text at its offsets, and every link points at an existing entry.
#![no_main]
use keruen_extract::find_citations;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let chars: Vec<char> = text.chars().collect();
    let at = |s: usize, e: usize| -> String {
        assert!(s <= e && e <= chars.len(), "span {s}..{e} of {}", chars.len());
        chars[s..e].iter().collect()
    };
    let (cites, refs) = find_citations(text);
    for r in &refs {
        assert_eq!(at(r.start, r.end), r.text);
    }
    for c in &cites {
        assert_eq!(at(c.start, c.end), c.text);
        if let Some(i) = c.reference {
            assert!(refs.iter().any(|r| r.index == i), "citation links to missing entry {i}: {c:?}");
        }
    }
});
