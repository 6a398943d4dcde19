//! A regression guard on extraction quality (issue 3): the real extractor runs on the
//! project's fixture corpus (`tests/data/corpus`), on twenty documents written apart from
//! the rules (`tests/data/heldout`) and on the shared article (`../shared/corpus`), and the metrics of `../shared/eval/score.py` (computed by
//! keruen-eval) must stay at or above floors. The floors are the scores measured when
//! they were set, minus a small margin — not targets, and nothing in them comes from
//! the documents. Raise them when the extractor improves (docs/extraction.md has the
//! table). Without `../shared` the shared article is skipped with a notice, and under
//! CI (`CI=true`) that is a failure.
use keruen_eval::Scorer;
use keruen_extract::{Extractor, Options};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Extracts and scores every annotated document of `corpus`, as `keruen eval` does.
fn score(corpus: &Path) -> keruen_eval::Metrics {
    let mut names: Vec<String> = std::fs::read_dir(corpus)
        .expect("corpus directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".gold.json").map(str::to_string))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no gold files in {}", corpus.display());
    let mut scorer = Scorer::default();
    for stem in names {
        let gold: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(corpus.join(format!("{stem}.gold.json"))).expect("gold"),
        )
        .expect("gold JSON");
        let path = corpus.join(format!("{stem}.txt"));
        let doc = keruen_ingest::read_path(&path).expect("readable document");
        let options = Options { document: format!("{stem}.txt"), ..Options::default() };
        let pred = serde_json::to_value(Extractor::builtin().extract(&doc.text, &options)).expect("JSON");
        scorer.add_document(&gold, &pred, Some(&doc.text));
    }
    assert!(scorer.problems.is_empty(), "{:?}", scorer.problems);
    scorer.metrics()
}

fn check(corpus: &Path, floors: &[(&str, f64)]) {
    let m = score(corpus);
    let low: Vec<String> = floors
        .iter()
        .filter_map(|(k, floor)| {
            let got = m.get(k).unwrap_or_else(|| panic!("no metric {k}"));
            (got < *floor).then(|| format!("{k} = {got:.4} < {floor}"))
        })
        .collect();
    assert!(low.is_empty(), "{}: below the floor: {}", corpus.display(), low.join(", "));
}

#[test]
fn the_fixture_corpus_stays_above_its_floors() {
    check(
        &repo().join("tests/data/corpus"),
        &[
            ("timex.f1", 0.98),
            ("timex.value_f1", 0.98),
            ("entity.f1", 0.89),
            ("event.f1", 0.94),
            ("event.full_f1", 0.81),
            ("archival.f1", 0.95),
            ("citation.f1", 0.97),
            ("citation.link_acc", 0.92),
        ],
    );
}

/// Twenty documents (English and Russian: press releases, news digests, an interview,
/// annual reports, a conference paper, archival and journal articles, encyclopedia
/// entries, chronologies, a festival programme, a joint statement, a news feed) written
/// and annotated apart from the rules, by sessions that did not read them; each scored
/// before any rule was changed for it (`docs/extraction.md`).
#[test]
fn the_documents_written_apart_from_the_rules_stay_above_their_floors() {
    check(
        &repo().join("tests/data/heldout"),
        &[
            ("timex.f1", 0.97),
            ("timex.value_f1", 0.94),
            ("entity.f1", 0.89),
            ("event.f1", 0.78),
            ("event.full_f1", 0.60),
            ("archival.f1", 0.95),
            ("citation.f1", 0.95),
            ("citation.link_acc", 0.95),
        ],
    );
}

#[test]
fn the_shared_article_stays_above_its_floors() {
    let corpus = repo().join("../shared/corpus");
    if !corpus.exists() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is missing", corpus.display());
        eprintln!("notice: {} is missing; skipping the shared article", corpus.display());
        return;
    }
    check(
        &corpus,
        &[
            ("timex.f1", 0.97),
            ("timex.value_f1", 0.97),
            ("entity.f1", 0.84),
            ("event.f1", 0.86),
            ("event.full_f1", 0.77),
            ("archival.f1", 0.98),
            ("citation.f1", 0.96),
            ("citation.link_acc", 0.98),
        ],
    );
}
