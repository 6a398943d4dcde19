//! Synthetic page lists for the cleaning steps.

use super::*;

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn no_words() -> WordSet {
    WordSet::new([])
}

/// Pages as pdftotext's plain output has them: separated by form feeds.
fn pages(raw: &str) -> Vec<Vec<String>> {
    raw.split('\u{0C}').map(lines).collect()
}

#[test]
fn running_header_and_footer_are_removed() {
    let mut pages = vec![
        lines("Cultural Bulletin 1998\nFirst page text.\nMore text.\nPage 1 of 3"),
        lines("Cultural Bulletin 1998\n\nSecond page text.\nPage 2 of 3"),
        lines("Cultural Bulletin 1998\nThird page text.\nPage 3 of 3"),
    ];
    remove_running_lines(&mut pages);
    assert_eq!(pages[0], lines("First page text.\nMore text."));
    assert_eq!(pages[1], lines("\nSecond page text."));
    assert_eq!(pages[2], lines("Third page text."));
}

#[test]
fn a_header_on_half_the_pages_counts_but_not_on_fewer() {
    // Alternating even/odd headers: each on half of four pages.
    let mut pages = vec![
        lines("Journal\nText one"),
        lines("Article\nText two"),
        lines("Journal\nText three"),
        lines("Article\nText four"),
    ];
    remove_running_lines(&mut pages);
    assert!(pages.iter().all(|p| p.len() == 1), "{pages:?}");

    let mut pages = vec![
        lines("Journal\nText one"),
        lines("Other\nText two"),
        lines("Third\nText three"),
        lines("Fourth\nText four"),
        lines("Fifth\nText five"),
    ];
    remove_running_lines(&mut pages);
    assert_eq!(pages[0], lines("Journal\nText one"));
}

#[test]
fn two_pages_are_too_few_for_running_lines() {
    let mut pages = vec![lines("Header\nA"), lines("Header\nB")];
    remove_running_lines(&mut pages);
    assert_eq!(pages[0], lines("Header\nA"));
}

#[test]
fn repeated_lines_in_the_middle_stay() {
    let body = "Top one\nTop two\nRepeated middle line\nBottom one\nBottom two";
    let mut pages = vec![lines(body), lines(body), lines(body)];
    remove_running_lines(&mut pages);
    // Everything at the edges repeats and goes; the middle line is content.
    assert_eq!(pages[0], lines("Repeated middle line"));
}

#[test]
fn page_number_shapes() {
    for line in [
        "12",
        " - 12 - ",
        "— 7 —",
        "Page 3",
        "page 3 of 10",
        "p. 4",
        "Стр. 4",
        "стр 4",
        "Страница 5",
        "с. 6",
        "12 / 20",
        "12/20",
        "3 из 10",
        "xiv",
        "iv",
    ] {
        assert!(is_page_number(line), "{line:?}");
    }
    for line in ["", "1992 год", "Page", "12345", "Table 3", "vix", "mix", "In 1997, the", "2 - 3 мая"]
    {
        assert!(!is_page_number(line), "{line:?}");
    }
}

#[test]
fn page_numbers_only_at_the_edges() {
    let mut page = lines("- 4 -\nHeading\nIn 1997 the count was\n12\nof the guests.\nMore\n4");
    remove_page_numbers(&mut page);
    assert_eq!(page, lines("Heading\nIn 1997 the count was\n12\nof the guests.\nMore"));
}

#[test]
fn hyphenation_is_joined_in_latin_and_cyrillic() {
    let words = no_words();
    assert_eq!(
        join_hyphenated("cultural coope-", "ration in 1995", &words).as_deref(),
        Some("cultural cooperation in 1995")
    );
    assert_eq!(
        join_hyphenated("культурного сотрудни-", "чества", &words).as_deref(),
        Some("культурного сотрудничества")
    );
    assert_eq!(join_hyphenated("Festi\u{AD}", "val", &words).as_deref(), Some("Festival"));
}

#[test]
fn real_hyphens_stay() {
    let words = no_words();
    assert_eq!(join_hyphenated("Alma-", "Ata in 1992", &words).as_deref(), Some("Alma-Ata in 1992"));
    assert_eq!(join_hyphenated("COVID-", "19 years", &words).as_deref(), Some("COVID-19 years"));
    assert_eq!(join_hyphenated("кое-", "как", &words).as_deref(), Some("кое-как"));
    assert_eq!(join_hyphenated("что-", "то", &words).as_deref(), Some("что-то"));
    assert_eq!(join_hyphenated("по-", "казахски", &words).as_deref(), Some("по-казахски"));
    // A dash after a space, or before punctuation, is no hyphenation.
    assert_eq!(join_hyphenated("Almaty -", "Tashkent", &words), None);
    assert_eq!(join_hyphenated("1992-", "1995", &words), None);
    assert_eq!(join_hyphenated("word-", "(note)", &words), None);
}

#[test]
fn the_document_spelling_decides_compounds() {
    let words = WordSet::new(["a well-known troupe; научно-технический совет"]);
    assert_eq!(join_hyphenated("a well-", "known artist", &words).as_deref(), Some("a well-known artist"));
    assert_eq!(
        join_hyphenated("научно-", "технического", &words).as_deref(),
        Some("научнотехнического"),
        "only the exact word form counts"
    );
    assert_eq!(join_hyphenated("научно-", "технический", &words).as_deref(), Some("научно-технический"));
}

#[test]
fn clean_joins_pages_and_drops_artefacts() {
    let raw = "Silk Road Review\nThe festival of coope-\nration opened.\n1\n\u{0C}\
               Silk Road Review\nIt continued for a week, and the pro-\n2\n\u{0C}\
               Silk Road Review\ngramme closed in Bishkek.\n3\n\u{0C}";
    assert_eq!(
        clean(pages(raw)),
        "The festival of cooperation opened.\n\nIt continued for a week, and the programme closed in Bishkek."
    );
}

#[test]
fn empty_text_layer_cleans_to_nothing() {
    assert_eq!(clean(pages("\u{0C}\u{0C}\n\u{0C}")), "");
}

#[test]
fn clean_drops_page_numbers_even_where_nothing_repeats() {
    // Two pages are too few for running lines; the numbers still go.
    let raw = "Стр. 1\nДоговор подписан в Алматы.\n\u{0C}Вступил в силу в 1993 году.\n- 2 -\n";
    assert_eq!(clean(pages(raw)), "Договор подписан в Алматы.\n\nВступил в силу в 1993 году.");
}
