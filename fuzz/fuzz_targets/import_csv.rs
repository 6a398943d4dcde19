//! The CSV reader: any bytes give records or messages, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = keruen_export::csv::read(data) {
        for row in rows {
            let _ = row.record;
        }
    }
});
