//! The temporal expression recogniser alone (fast enough for libFuzzer to explore
//! it, unlike the whole extractor): never panics, every span is the text at its
//! offsets, every date and interval value is valid EDTF that prints back as itself, and spans do not
//! overlap.
#![no_main]
use keruen_extract::{TimexType, find_timexes};
use keruen_model::Edtf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let anchor: Edtf = "2019-03-05".parse().unwrap();
    for date in [None, Some(&anchor)] {
        let found = find_timexes(text, date);
        let chars: Vec<char> = text.chars().collect();
        let mut last_end = 0;
        for t in &found {
            assert!(t.start < t.end && t.end <= chars.len(), "{t:?}");
            assert_eq!(chars[t.start..t.end].iter().collect::<String>(), t.text);
            assert!(t.start >= last_end, "overlapping timexes: {found:?}");
            last_end = t.end;
            if let (TimexType::Date | TimexType::Interval, Some(v)) = (&t.kind, &t.value) {
                let parsed: Edtf = v.parse().unwrap_or_else(|e| panic!("{v}: {e}"));
                assert_eq!(&parsed.to_string(), v);
            }
        }
    }
});
