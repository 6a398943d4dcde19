//! The JSON-LD reader: any text gives records or messages, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = keruen_export::jsonld::read(text);
});
