//! EDTF: parsing never panics; a value that parses formats back to itself, and its
//! bounds are ordered.
#![no_main]
use keruen_model::Edtf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(e) = s.parse::<Edtf>() {
        assert_eq!(e.to_string(), s, "format(parse(x)) != x");
        if let (Some(a), Some(b)) = (e.earliest(), e.latest()) {
            assert!(a <= b, "earliest after latest for {s}");
        }
        let again: Edtf = e.to_string().parse().expect("reparse");
        assert_eq!(again, e);
    }
});
