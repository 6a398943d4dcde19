use super::*;
use serde_json::json;

#[test]
fn folding_is_the_scorers() {
    assert_eq!(fold("  Alma\u{2013}Ata, "), "alma-ata");
    assert_eq!(fold("«Ёлка»"), "елка");
    assert_eq!(fold("Straße\n\tof  Kings."), "strasse of kings");
    assert_eq!(fold("ＫＡＺ"), "kaz");
}

#[test]
fn empty_sets_score_as_the_scorer_scores_them() {
    let mut s = Scorer::default();
    s.add_document(&json!({}), &json!({}), None);
    let m = s.metrics();
    assert_eq!(m.get("timex.f1"), Some(1.0));
    assert_eq!(m.get("citation.link_acc"), Some(0.0));
    let mut s = Scorer::default();
    s.add_document(&json!({"events": [{"type": "festival"}]}), &json!({}), None);
    assert_eq!(s.metrics().get("event.p"), Some(0.0));
    assert_eq!(s.metrics().get("event.f1"), Some(0.0));
}

#[test]
fn greedy_matching_prefers_equal_values_then_overlap() {
    let gold = json!({"timexes": [
        {"start": 0, "end": 10, "value": "1992"},
        {"start": 12, "end": 20, "value": "1993"}
    ]});
    // One long prediction overlaps both gold spans; its value picks the second.
    let pred = json!({"timexes": [
        {"start": 0, "end": 20, "value": "1993"},
        {"start": 30, "end": 34, "value": null}
    ]});
    let mut s = Scorer::default();
    s.add_document(&gold, &pred, None);
    let t = s.tally("timex.value").unwrap();
    // The null-valued miss is not counted against precision.
    assert_eq!((t.tp, t.fp, t.fn_), (1, 0, 1));
    assert_eq!(s.metrics().get("timex.strict_f1"), Some(0.0));
}

#[test]
fn entities_match_by_code_or_folded_names() {
    let gold = json!({"entities": [
        {"kind": "country", "code": "KZ", "name": "Kazakhstan", "mentions": [{"start": 0, "end": 10, "text": "Kazakhstan"}]},
        {"kind": "place", "name": "Almaty", "mentions": [{"start": 20, "end": 29, "text": "Alma-Ata"}]}
    ]});
    let pred = json!({"entities": [
        {"kind": "country", "code": "kz", "name": "Qazaqstan", "mentions": [{"start": 0, "end": 10, "text": "x"}]},
        {"kind": "place", "name": "ALMA\u{2013}ATA", "mentions": [{"start": 40, "end": 49, "text": "y"}]},
        {"kind": "person", "name": "Almaty", "mentions": []}
    ]});
    let mut s = Scorer::default();
    s.add_document(&gold, &pred, None);
    let e = s.tally("entity").unwrap();
    assert_eq!((e.tp, e.fp, e.fn_), (2, 1, 0));
    let m = s.tally("mention").unwrap();
    assert_eq!((m.tp, m.fp, m.fn_), (1, 1, 1));
}

#[test]
fn events_archival_and_citations() {
    let gold = json!({
        "events": [{"type": "festival", "date": "2021", "countries": ["KZ", "UZ"], "evidence": {"start": 0, "end": 10}}],
        "archival_refs": [{"fond": "54", "inventory": "1", "case": "843", "start": 0, "end": 5}],
        "citations": [{"author": "Nazarbayev", "year": "1999a", "start": 0, "end": 8, "reference": 0}],
        "references": [{"index": 0, "text": "Nazarbayev N.A. In the stream", "start": 30, "end": 50}]
    });
    let pred = json!({
        "events": [{"type": "festival", "date": "2021", "countries": ["uz", "KZ", "KZ"], "evidence": {"start": 5, "end": 20}}],
        "archival_refs": [{"fond": "F-54", "inventory": 1, "case": "843", "start": 2, "end": 3}],
        "citations": [{"author": "nazarbayev N.", "year": "1999 a", "start": 4, "end": 6, "reference": 3}],
        "references": [{"index": 3, "text": "Nazarbayev N.A.", "start": 30, "end": 40}]
    });
    let mut s = Scorer::default();
    s.add_document(&gold, &pred, None);
    let m = s.metrics();
    assert_eq!(m.get("event.full_f1"), Some(1.0));
    assert_eq!(m.get("archival.f1"), Some(0.0), "F-54 folds to f54, not 54");
    assert_eq!(m.get("citation.f1"), Some(1.0));
    assert_eq!(m.get("citation.link_acc"), Some(1.0));
    assert_eq!(m.get("reference.f1"), Some(1.0));
}

#[test]
fn references_without_offsets_are_located_in_the_text() {
    let doc = "Intro. Ref A. Ref A. Ref B.";
    let gold = json!({"references": [{"text": "Ref A."}, {"text": "Ref A."}, {"text": "Ref B."}]});
    let pred = json!({"references": [{"index": 0, "start": 14, "end": 20}]});
    let mut s = Scorer::default();
    s.add_document(&gold, &pred, Some(doc));
    let t = s.tally("reference").unwrap();
    assert_eq!((t.tp, t.fp, t.fn_), (1, 0, 2));
}

#[test]
fn spans_whose_text_differs_are_reported() {
    let mut s = Scorer::default();
    s.add_document(&json!({}), &json!({"timexes": [{"start": 0, "end": 3, "text": "Алм"}]}), Some("Алматы"));
    assert!(s.problems.is_empty());
    s.add_document(&json!({}), &json!({"timexes": [{"start": 1, "end": 3, "text": "Алм"}]}), Some("Алматы"));
    assert_eq!(s.problems, vec!["pred.timexes[0]: text 'Алм' is not doc[1:3]"]);
}

#[test]
fn rounding_is_pythons() {
    assert_eq!(round4(2.0 / 3.0), 0.6667);
    assert_eq!(round4(0.12345), 0.1235);
    assert_eq!(round4(0.00005), 0.0001);
    assert_eq!(round4(1.0), 1.0);
}
