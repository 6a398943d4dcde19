//! The archival-reference parser alone: never panics, every span is the text at its
//! offsets, references come in text order without overlapping, and each names a fond.
#![no_main]
use keruen_extract::find_archival_refs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let chars: Vec<char> = text.chars().collect();
    let mut last_end = 0;
    for r in find_archival_refs(text) {
        assert!(r.start < r.end && r.end <= chars.len(), "{r:?}");
        assert_eq!(chars[r.start..r.end].iter().collect::<String>(), r.text);
        assert!(r.start >= last_end, "overlapping references at {}", r.start);
        last_end = r.end;
        assert!(!r.fond.is_empty(), "{r:?}");
    }
});
