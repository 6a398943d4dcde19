//! Turning the bytes of a text file into a `String`, and the one text
//! normalisation every reader applies.
//!
//! The order of checks is the order of certainty: a byte-order mark is explicit;
//! valid UTF-8 with any non-ASCII byte is almost never an accident; only then are
//! the Russian single-byte code pages guessed ([`crate::codepage`]). Anything else
//! is refused, because a wrong guess would silently feed mojibake to the extractor.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::codepage;

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text, BOM removed, line breaks not yet normalised.
    pub text: String,
    /// The encoding, named as in the WHATWG Encoding Standard (`UTF-8`, `windows-1251`).
    pub encoding: &'static Encoding,
}

/// Why bytes were not taken as text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Undecodable {
    /// NUL bytes without a UTF-16 byte-order mark.
    Binary,
    /// Not UTF-8 and neither Russian code page fits.
    Unknown,
    /// UTF-8 with broken sequences: at least as many valid multi-byte characters as
    /// broken ones, which no single-byte Russian text has (there a letter byte is
    /// almost never followed by a continuation byte). Damaged, truncated, or pasted
    /// together from two encodings; read as a code page it would be mojibake.
    BrokenUtf8 {
        /// Line (from 1) of the first broken byte.
        line: usize,
        /// Offset (from 1) of the first broken byte in the file.
        byte: usize,
    },
}

/// Decodes a plain-text file: BOM (UTF-8, UTF-16LE/BE), else UTF-8, else
/// Windows-1251 or KOI8-R.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Decoded, Undecodable> {
    if let Some(decoded) = decode_with_bom(bytes)? {
        return Ok(decoded);
    }
    if bytes.contains(&0) {
        return Err(Undecodable::Binary);
    }
    if let Some(broken) = broken_utf8(bytes) {
        return Err(broken);
    }
    decode_unlabelled(bytes)
}

/// Where UTF-8 breaks in bytes that are mostly UTF-8 (see
/// [`Undecodable::BrokenUtf8`]); `None` for valid UTF-8 and for text in which broken
/// sequences outnumber valid multi-byte characters (a single-byte code page).
fn broken_utf8(bytes: &[u8]) -> Option<Undecodable> {
    // The common case, valid UTF-8, is checked at memory speed before any counting.
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let (mut valid, mut broken, mut first, mut at) = (0usize, 0usize, None, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            broken += 1;
            first.get_or_insert(at);
            at += chunk.invalid().len();
        }
    }
    let first = first?;
    (valid >= broken).then(|| Undecodable::BrokenUtf8 {
        line: bytes[..first].iter().filter(|&&b| b == b'\n').count() + 1,
        byte: first + 1,
    })
}

/// Decodes by byte-order mark; `Ok(None)` when there is none.
pub(crate) fn decode_with_bom(bytes: &[u8]) -> Result<Option<Decoded>, Undecodable> {
    let Some((encoding, bom_length)) = Encoding::for_bom(bytes) else {
        return Ok(None);
    };
    decode_strictly(encoding, &bytes[bom_length..]).map(Some)
}

/// Decodes bytes that carry no label: UTF-8 if valid, else a Russian code page.
pub(crate) fn decode_unlabelled(bytes: &[u8]) -> Result<Decoded, Undecodable> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_owned(), encoding: UTF_8 });
    }
    let encoding = codepage::guess(bytes).ok_or(Undecodable::Unknown)?;
    decode_strictly(encoding, bytes)
}

/// Decodes with a known encoding, refusing malformed input rather than inserting
/// U+FFFD: a replacement character in the middle of a name would never match the
/// gazetteer, and the user would not know why.
pub(crate) fn decode_strictly(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, Undecodable> {
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    if malformed {
        return Err(Undecodable::Unknown);
    }
    Ok(Decoded { text: text.into_owned(), encoding })
}

/// Whether `encoding` is one of the two UTF-16s (which an HTML `<meta>` cannot
/// truthfully declare: the meta itself would not be readable as ASCII).
pub(crate) fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// `\r\n` and lone `\r` become `\n`, and a leading U+FEFF goes: the one
/// normalisation applied to every reader's output, so that character offsets do not
/// depend on which system wrote the file.
pub(crate) fn normalize_newlines(text: String) -> String {
    if !text.starts_with('\u{FEFF}') && !text.as_bytes().contains(&b'\r') {
        return text;
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{KOI8_R, WINDOWS_1251};

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode_text("Алматы".as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.encoding), ("Алматы", UTF_8));
        let with_bom = decode_text(b"\xEF\xBB\xBFAlmaty").unwrap();
        assert_eq!(with_bom.text, "Almaty");
    }

    #[test]
    fn utf16_needs_its_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Ош".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode_text(&bytes).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.encoding), ("Ош", UTF_16LE));
        let mut big = vec![0xFE, 0xFF];
        big.extend("Ош".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode_text(&big).unwrap().encoding, UTF_16BE);
        // Without the mark the NULs of ASCII letters make it look binary.
        let bare: Vec<u8> = "Osh".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_text(&bare).unwrap_err(), Undecodable::Binary);
    }

    #[test]
    fn russian_code_pages() {
        let line = "Культурное сотрудничество";
        let cp = WINDOWS_1251.encode(line).0;
        let koi = KOI8_R.encode(line).0;
        assert_eq!(decode_text(&cp).unwrap().encoding, WINDOWS_1251);
        assert_eq!(decode_text(&cp).unwrap().text, line);
        assert_eq!(decode_text(&koi).unwrap().encoding, KOI8_R);
        assert_eq!(decode_text(&koi).unwrap().text, line);
    }

    #[test]
    fn broken_utf8_is_not_taken_for_a_code_page() {
        // A truncated last character, a stray byte in Russian UTF-8.
        let mut cut = "Days of Culture of Tajikistan — Дни".as_bytes().to_vec();
        cut.pop();
        assert_eq!(decode_text(&cut).unwrap_err(), Undecodable::BrokenUtf8 { line: 1, byte: cut.len() });
        let mut stray = "Фестиваль\nв Бишкеке, 2011".as_bytes().to_vec();
        stray.insert(22, 0xFF);
        assert_eq!(decode_text(&stray).unwrap_err(), Undecodable::BrokenUtf8 { line: 2, byte: 23 });
        // Single-byte Russian text is still read as such, and Latin-1 still refused.
        let cp = WINDOWS_1251.encode("Культурное «ТВ» сотрудничество").0;
        assert_eq!(decode_text(&cp).unwrap().encoding, WINDOWS_1251);
        let latin1 = b"Coop\xe9ration culturelle, \xe9t\xe9 1997";
        assert_eq!(decode_text(latin1).unwrap_err(), Undecodable::Unknown);
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("\u{FEFF}a\r\nb\rc\n\r\nd".into()), "a\nb\nc\n\nd");
        assert_eq!(normalize_newlines("a\u{FEFF}b".into()), "a\u{FEFF}b");
    }
}
