//! Every reader on the fixture documents of `tests/data/docs/` (written for these
//! tests; `crates/keruen-ingest/fixtures/make_docs.py` makes them), and every
//! refusal on files made in a temporary directory.
//!
//! The PDF tests run poppler's `pdftotext`, as keruen does (`scripts/test.sh`
//! installs poppler-utils).

use std::fs;
use std::path::{Path, PathBuf};

use keruen_ingest::{Document, Format, ReadError, read_bytes, read_path, supported_extensions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/docs").join(name)
}

fn read(name: &str) -> Document {
    read_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refusal(name: &str) -> String {
    match read_path(&fixture(name)) {
        Ok(doc) => panic!("{name} was read: {doc:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

fn assert_lacks(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(!text.contains(part), "unexpected {part:?} in:\n{text}");
    }
}

// ---- plain text ---------------------------------------------------------------

#[test]
fn russian_text_reads_the_same_in_all_three_encodings() {
    let utf8 = read("ru-utf8.txt");
    let cp1251 = read("ru-cp1251.txt");
    let koi8 = read("ru-koi8r.txt");
    assert_eq!(utf8.encoding, "UTF-8");
    assert_eq!(cp1251.encoding, "windows-1251");
    assert_eq!(koi8.encoding, "KOI8-R");
    // The cp1251 file has Windows line breaks: normalised, the texts are equal.
    assert_eq!(cp1251.text, utf8.text);
    assert_eq!(koi8.text, utf8.text);
    // And equal to the file itself, for offsets to line up with it.
    assert_eq!(utf8.text, fs::read_to_string(fixture("ru-utf8.txt")).unwrap());
    assert_contains(&utf8.text, &["В сентябре 2019 года в Ташкенте прошли Дни культуры Кыргызстана."]);
    for doc in [&utf8, &cp1251, &koi8] {
        assert_eq!(doc.format, Format::Text);
        assert_eq!(doc.language.as_deref(), Some("ru"));
        assert_eq!(doc.title, None);
    }
}

#[test]
fn english_text_loses_its_bom_and_carriage_returns() {
    let doc = read("en-utf8-bom.txt");
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.language.as_deref(), Some("en"));
    assert!(doc.text.starts_with("Cultural cooperation in Central Asia\n\nIn May 2018"), "{:?}", doc.text);
    assert_lacks(&doc.text, &["\u{FEFF}", "\r"]);
}

#[test]
fn latin1_text_is_refused() {
    let message = refusal("latin1.txt");
    assert!(
        message.ends_with(
            "latin1.txt: not UTF-8, Windows-1251 or KOI8-R text; convert it to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)"
        ),
        "{message}"
    );
}

#[test]
fn markdown_is_kept_as_written_with_its_first_heading_as_title() {
    let doc = read("notes.md");
    assert_eq!(doc.format, Format::Markdown);
    assert_eq!(doc.title.as_deref(), Some("Festival of Navruz in Khiva"));
    assert_eq!(doc.text, fs::read_to_string(fixture("notes.md")).unwrap());
    assert_contains(&doc.text, &["**dancers** from [Nukus](https://example.org/nukus)"]);
}

// ---- HTML ---------------------------------------------------------------------

#[test]
fn html_keeps_visible_text_only() {
    let doc = read("page.html");
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.title.as_deref(), Some("Silk Road Culture Days & Exchanges"));
    assert_eq!(doc.language.as_deref(), Some("en"));
    assert_contains(
        &doc.text,
        &[
            "Days of Turkmen Culture in Almaty",
            "with musicians from Ashgabat & Mary.",
            "Organisers: the ministries of culture of both countries—with support from UNESCO.",
        ],
    );
    assert_lacks(
        &doc.text,
        &[
            "TRACKING",
            "not a real tag",
            "font-family",
            "Please enable JavaScript",
            "Template text",
            "Hidden editorial note",
            "Draft paragraph",
            "analytics",
            // The title is metadata, not text.
            "Silk Road Culture Days",
        ],
    );
}

#[test]
fn html_entities_are_decoded() {
    let doc = read("page.html");
    assert_contains(
        &doc.text,
        &["«Melodies of the Steppe»", "12\u{A0}April\u{A0}2023", "“Dutar”", "© 2023", "info@example.org"],
    );
    assert_lacks(&doc.text, &["&laquo;", "&nbsp;", "&amp;", "&#64;"]);
}

#[test]
fn html_blocks_lists_and_tables_become_lines() {
    let doc = read("page.html");
    assert_contains(
        &doc.text,
        &[
            "\n\nProgramme\n\nConcerts\nFolk ensemble “Dutar”\nChamber orchestra\nExhibition of carpets\n",
            "Date\tEvent\tVenue\n12 April\tOpening concert\tPhilharmonic hall\n14 April\tFilm screening\tArman cinema",
            "© 2023 Cultural Bulletin\nContacts",
        ],
    );
    assert!(!doc.text.contains("\n\n\n"), "more than one blank line:\n{}", doc.text);
    assert!(!doc.text.contains("  "), "uncollapsed spaces:\n{}", doc.text);
}

#[test]
fn html_charset_from_meta_is_honoured() {
    let doc = read("page-cp1251.html");
    assert_eq!(doc.encoding, "windows-1251");
    assert_eq!(doc.title.as_deref(), Some("Дни казахской культуры в Бишкеке"));
    assert_eq!(doc.language.as_deref(), Some("ru"));
    assert_contains(
        &doc.text,
        &[
            "Дни казахской культуры\n\nВ октябре 2016 года в Бишкеке",
            "Спектакль «Абай» показали дважды — оба раза при полном зале.",
            "Кыргызстана\u{A0}— сроком на пять лет.",
        ],
    );
    assert_lacks(&doc.text, &["скрипт", "document.title"]);
}

// ---- DOCX ---------------------------------------------------------------------

#[test]
fn docx_paragraphs_tabs_and_breaks() {
    let doc = read("report.docx");
    assert_eq!(doc.format, Format::Docx);
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.language.as_deref(), Some("en"));
    assert!(doc.text.starts_with("Report on cultural cooperation\nIn 2022 the ministries"), "{}", doc.text);
    assert_contains(
        &doc.text,
        &[
            "Year\tEvent\n",
            "Ташкентская неделя кино\nпрошла в ноябре 2022 года.\n",
            "Стороны договорились о гастролях театров в Алматы и Самарканде.",
        ],
    );
}

#[test]
fn docx_skips_field_codes_and_deletions_and_ends_with_footnotes() {
    let doc = read("report.docx");
    assert_contains(&doc.text, &["Programme published in the Cultural Bulletin & on radio.\n"]);
    assert_lacks(&doc.text, &["HYPERLINK", "FIELD-CODE", "example.org", "Deleted draft"]);
    assert!(doc.text.ends_with("Самарканде.\n\nSigned in Astana on 5 May 2022."), "{}", doc.text);
}

#[test]
fn docx_title_from_core_properties_or_first_heading() {
    assert_eq!(
        read("report.docx").title.as_deref(),
        Some("Cultural cooperation 2022: Kazakhstan & Uzbekistan")
    );
    // No core.xml; the heading's style id is "1", named "heading 1" in styles.xml.
    let memo = read("memo-ru.docx");
    assert_eq!(memo.title.as_deref(), Some("О гастролях театра"));
    assert_eq!(memo.language.as_deref(), Some("ru"));
}

// ---- PDF ----------------------------------------------------------------------

#[test]
fn pdf_text_layer_without_headers_and_page_numbers() {
    let doc = read("report.pdf");
    assert_eq!(doc.format, Format::Pdf);
    assert_eq!(doc.title.as_deref(), Some("Cultural Cooperation in Central Asia: A Chronicle"));
    assert_eq!(doc.language.as_deref(), Some("en"));
    assert_contains(
        &doc.text,
        &[
            "The Tashkent film week of 2005",
            "Экспедиция археологов из Самарканда",
            "editorial board once a\nyear.",
        ],
    );
    assert_lacks(&doc.text, &["Silk Road Culture Bulletin", "No. 7", "\u{0C}"]);
    for line in doc.text.lines() {
        let bare = line.trim_matches(|c: char| c == '–' || c.is_whitespace());
        assert!(bare.parse::<u32>().is_err(), "page number left: {line:?}");
    }
    // Four pages joined by blank lines (one page break was a hyphenated word).
    assert_eq!(doc.text.matches("\n\n").count(), 2, "{}", doc.text);
}

#[test]
fn pdf_hyphenation_is_joined_and_real_hyphens_kept() {
    let doc = read("report.pdf");
    assert_contains(
        &doc.text,
        &[
            "regional cooperation in music",
            "composers from Alma-Ata and Dushanbe.",
            "культурного сотрудничества на пять лет.",
            // Broken across a page boundary.
            "planned a programme of translations",
        ],
    );
    assert_lacks(&doc.text, &["coope-", "AlmaAta", "сотрудни-", "pro-\n"]);
}

#[test]
fn pdf_from_memory_equals_pdf_from_disk() {
    let bytes = fs::read(fixture("report.pdf")).unwrap();
    assert_eq!(read_bytes("report.pdf", &bytes).unwrap(), read("report.pdf"));
}

#[test]
fn pdf_without_text_layer_is_refused() {
    let message = refusal("scanned.pdf");
    assert!(
        message.ends_with(
            "scanned.pdf: the PDF has no text layer (a scanned image?); run OCR first (e.g. ocrmypdf)"
        ),
        "{message}"
    );
    let bytes = fs::read(fixture("scanned.pdf")).unwrap();
    assert!(
        matches!(read_bytes("scan.pdf", &bytes), Err(ReadError::NoTextLayer { name }) if name == "scan.pdf")
    );
}

#[test]
fn damaged_pdf_is_refused_with_pdftotext_words() {
    let message = read_bytes("broken.pdf", b"%PDF-1.4\nthis is not a PDF body").unwrap_err().to_string();
    assert!(message.starts_with("broken.pdf: pdftotext could not read the PDF"), "{message}");
}

// ---- refusals -----------------------------------------------------------------

#[test]
fn empty_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["empty.txt", "empty.pdf", "empty.docx", "empty.html"] {
        let path = dir.path().join(name);
        fs::write(&path, b"").unwrap();
        let message = read_path(&path).unwrap_err().to_string();
        assert!(message.ends_with(&format!("{name}: the file is empty")), "{message}");
    }
    assert_eq!(read_bytes("x.md", b"").unwrap_err().to_string(), "x.md: the file is empty");
    assert_eq!(
        read_bytes("blank.txt", b" \r\n\t\n").unwrap_err().to_string(),
        "blank.txt: no text found in the document"
    );
}

#[test]
fn binary_files_are_refused() {
    let bytes = b"PK\x03\x04\x00\x00binary\x00data";
    assert_eq!(
        read_bytes("x.txt", bytes).unwrap_err().to_string(),
        "x.txt: looks binary (NUL bytes), not text; if it is UTF-16, save it with a byte-order mark or as UTF-8"
    );
}

#[test]
fn missing_files_and_directories_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.txt");
    let message = read_path(&missing).unwrap_err().to_string();
    assert_eq!(message, format!("{}: no such file", missing.display()));
    let folder = dir.path().join("letters.txt");
    fs::create_dir(&folder).unwrap();
    let message = read_path(&folder).unwrap_err().to_string();
    assert_eq!(
        message,
        format!("{}: is a directory, not a document; give the files inside it", folder.display())
    );
}

#[test]
fn unsupported_types_are_refused() {
    assert_eq!(
        read_bytes("report.xls", b"data").unwrap_err().to_string(),
        "report.xls: unsupported file type `.xls`; keruen reads .txt, .md, .html, .pdf, .docx"
    );
    assert_eq!(
        read_bytes("README", b"data").unwrap_err().to_string(),
        "README: unsupported file type `no extension`; keruen reads .txt, .md, .html, .pdf, .docx"
    );
}

#[test]
fn invalid_docx_is_refused() {
    let message =
        read_bytes("old.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 Word 97").unwrap_err().to_string();
    assert!(message.starts_with("old.docx: not a valid DOCX (zip) file: "), "{message}");
}

#[test]
fn extensions_are_matched_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("PAGE.HTM");
    fs::copy(fixture("page.html"), &path).unwrap();
    let doc = read_path(&path).unwrap();
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.text, read("page.html").text);
    assert_eq!(supported_extensions(), ["txt", "text", "md", "markdown", "html", "htm", "pdf", "docx"]);
}

#[test]
fn every_fixture_is_small() {
    for entry in fs::read_dir(fixture("")).unwrap() {
        let entry = entry.unwrap();
        let size = entry.metadata().unwrap().len();
        assert!(size < 100 * 1024, "{} is {size} bytes", entry.path().display());
    }
}

#[test]
fn control_characters_from_broken_documents_are_dropped() {
    let html = "<title>Arts\u{1}</title><p>Fund\u{7}ing \u{1b}for the theatre</p>";
    let doc = read_bytes("page.html", html.as_bytes()).unwrap();
    assert_eq!((doc.text.as_str(), doc.title.as_deref()), ("Funding for the theatre", Some("Arts")));
}

/// Regression (found by `scripts/fuzz.sh`, target read_pdf): a damaged PDF, mutated
/// from the seed corpus, on which poppler reading from a pipe looped for minutes. Held
/// in memory it is now handed over as a file, which poppler refuses at once: the
/// answer is "unreadable", not a timeout (the read takes tens of milliseconds; from
/// the pipe it ran for over 30 s, so only the loop reaches the 10 s allowed here).
#[test]
fn a_damaged_pdf_in_memory_is_refused_not_looped_on() {
    let bytes =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/damaged-xref.pdf")).unwrap();
    let limits = keruen_ingest::Limits { pdf_timeout: std::time::Duration::from_secs(10) };
    let err = keruen_ingest::read_bytes_with("damaged.pdf", &bytes, &limits).unwrap_err();
    assert!(matches!(err, ReadError::PdfUnreadable { .. } | ReadError::NoTextLayer { .. }), "{err}");
    assert!(err.to_string().starts_with("damaged.pdf: "), "{err}");
}
