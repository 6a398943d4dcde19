//! The .docx reader: any bytes give a document or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = keruen_ingest::read_bytes("fuzz.docx", data);
});
