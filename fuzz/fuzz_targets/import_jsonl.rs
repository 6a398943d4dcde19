//! The JSONL reader: any bytes give records or messages, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for line in keruen_export::jsonl::read(data) {
        if let Ok(r) = &line.record {
            // A record that parsed writes and parses back to itself.
            let mut out = Vec::new();
            keruen_export::jsonl::write(&mut out, r).expect("write");
            let back = keruen_export::jsonl::parse_line(std::str::from_utf8(&out).expect("utf8").trim());
            assert_eq!(back.as_ref().ok(), Some(r));
        }
    }
});
