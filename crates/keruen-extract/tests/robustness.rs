//! The extractor never panics, and every span it reports is the text at its offsets,
//! on arbitrary input mixing the scripts, digits and punctuation of real documents.
use keruen_extract::{Extraction, Options, extract};
use proptest::prelude::*;

/// Pieces that exercise the grammars: months, years, Cyrillic, dashes, no-break and
/// other multi-byte spaces, quotes, archival and citation punctuation.
const PIECES: &[&str] = &[
    "1992",
    "2008",
    " ",
    "\u{a0}",
    "\u{202f}",
    "\n",
    "\n\n",
    ".",
    ",",
    ";",
    ":",
    "-",
    "–",
    "—",
    "(",
    ")",
    "[",
    "]",
    "«",
    "»",
    "\"",
    "'",
    "’",
    "October",
    "May",
    "5",
    "25",
    "12",
    "года",
    "г.",
    "октября",
    "с",
    "по",
    "since",
    "from",
    "to",
    "the",
    "1990s",
    "XX",
    "века",
    "century",
    "Kazakhstan",
    "Казахстана",
    "Алматы",
    "Almaty",
    "F-54",
    "I-1",
    "Case-843",
    "ф.",
    "оп.",
    "д.",
    "л.",
    "References",
    "Список литературы",
    "Nazarbayev",
    "N.A.",
    "et al.",
    "Days of Culture",
    "festival",
    "concert",
    "signed",
    "agreement",
    "🙂",
    "é",
    "e\u{301}",
    "ǅ",
    "ß",
    "İ",
    "ﬁ",
    "Ўзбекистон",
    "Oʻzbekiston",
    "#",
    "- ",
    "1.",
    "http://x.org/1992",
    "a@b.kz",
    "№",
    "$",
    "%",
    "P25Y",
    "up to",
];

fn check(text: &str, x: &Extraction) {
    let chars: Vec<char> = text.chars().collect();
    let at = |s: usize, e: usize| -> String { chars[s..e].iter().collect() };
    for t in &x.timexes {
        assert_eq!(at(t.start, t.end), t.text);
    }
    for e in &x.entities {
        for m in &e.mentions {
            assert_eq!(at(m.start, m.end), m.text);
        }
    }
    for e in &x.events {
        assert_eq!(at(e.evidence.start, e.evidence.end), e.evidence.text);
    }
    for r in &x.archival_refs {
        assert_eq!(at(r.start, r.end), r.text);
    }
    for c in &x.citations {
        assert_eq!(at(c.start, c.end), c.text);
    }
    for r in &x.references {
        assert_eq!(at(r.start, r.end), r.text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_spans_hold(pieces in proptest::collection::vec(0..PIECES.len(), 0..120)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let x = extract(&text, &Options::default());
        check(&text, &x);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,300}") {
        let x = extract(&text, &Options::default());
        check(&text, &x);
    }
}

#[test]
fn the_fixture_corpus_extracts_with_valid_spans() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().and_then(|e| e.to_str()) == Some("txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            check(&text, &extract(&text, &Options::default()));
            n += 1;
        }
    }
    assert!(n >= 10, "fixture documents: {n}");
}
