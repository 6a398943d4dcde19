//! The charset of an HTML page: a BOM, else a `<meta>` declaration, else a guess.

use encoding_rs::{Encoding, UTF_8};

use crate::charset::{self, Decoded, Undecodable};

/// Chooses the charset and decodes.
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, Undecodable> {
    if let Some(decoded) = charset::decode_with_bom(bytes)? {
        return Ok(decoded);
    }
    match declared_charset(bytes) {
        // A page saved by a browser is often re-encoded to UTF-8 while keeping its
        // old `<meta charset=windows-1251>`. Russian single-byte text is essentially
        // never valid UTF-8 (a letter byte is never followed by a continuation byte),
        // so valid UTF-8 with non-ASCII bytes outranks the declaration.
        Some(encoding) if encoding != UTF_8 && !is_utf8_beyond_ascii(bytes) => {
            charset::decode_strictly(encoding, bytes)
        }
        _ if bytes.contains(&0) => Err(Undecodable::Binary),
        // Undeclared and not UTF-8: the Russian code pages first, then what a
        // browser in a Western locale would show, Windows-1252. Unlike a plain-text
        // file, a page has a reference rendering, and refusing a page every
        // browser displays would help no one.
        _ => charset::decode_unlabelled(bytes)
            .or_else(|_| charset::decode_strictly(encoding_rs::WINDOWS_1252, bytes)),
    }
}

fn is_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// How far into the page to look for a `<meta>` charset. Browsers look at 1024
/// bytes first and re-parse later if needed; pages with long inline styles before
/// the meta are common enough to look further.
const CHARSET_SCAN_BYTES: usize = 8192;

/// The encoding declared by `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(CHARSET_SCAN_BYTES)];
    let head = head.to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag = &rest[start..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        if let Some(encoding) = charset_in_meta(&tag[..end]) {
            // A page cannot truthfully declare UTF-16 in ASCII-readable markup; the
            // HTML standard says to take UTF-8 then.
            return Some(if charset::is_utf16(encoding) { UTF_8 } else { encoding });
        }
        rest = &tag[end..];
    }
    None
}

/// The label after `charset=` inside one `<meta …` tag (already lower-cased).
fn charset_in_meta(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")?;
    let after = &tag[at + b"charset".len()..];
    let after = after.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let after = after.strip_prefix(b"\"").or_else(|| after.strip_prefix(b"'")).unwrap_or(after);
    let end = after
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(after.len());
    Encoding::for_label(&after[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_declarations() {
        let enc = |s: &str| declared_charset(s.as_bytes()).map(|e| e.name());
        assert_eq!(enc("<meta charset=windows-1251>"), Some("windows-1251"));
        assert_eq!(enc("<META CHARSET=\"KOI8-R\">"), Some("KOI8-R"));
        assert_eq!(
            enc("<meta http-equiv='Content-Type' content='text/html; charset=cp1251'>"),
            Some("windows-1251")
        );
        assert_eq!(enc("<meta charset='utf-16le'>"), Some("UTF-8"));
        assert_eq!(enc("<meta name=viewport content=width=device-width>"), None);
        assert_eq!(enc("<p>no meta</p>"), None);
    }

    #[test]
    fn declared_charset_is_honoured_unless_bytes_are_utf8() {
        let page = "<meta charset=windows-1251><p>Дни культуры</p>";
        let cp1251 = encoding_rs::WINDOWS_1251.encode(page).0;
        let decoded = decode(&cp1251).unwrap();
        assert_eq!(decoded.encoding.name(), "windows-1251");
        assert!(decoded.text.contains("Дни культуры"));
        let resaved = decode(page.as_bytes()).unwrap();
        assert_eq!(resaved.encoding.name(), "UTF-8");
    }

    #[test]
    fn undeclared_charsets_are_guessed() {
        let russian = encoding_rs::KOI8_R.encode("<p>Гастроли театра в Ташкенте</p>").0;
        assert_eq!(decode(&russian).unwrap().encoding.name(), "KOI8-R");
        let french = encoding_rs::WINDOWS_1252.encode("<p>Théâtre à Almaty — été</p>").0;
        let decoded = decode(&french).unwrap();
        assert_eq!(
            (decoded.encoding.name(), decoded.text.as_str()),
            ("windows-1252", "<p>Théâtre à Almaty — été</p>")
        );
        assert_eq!(decode(b"<p>\0\xff</p>").unwrap_err(), Undecodable::Binary);
    }
}
