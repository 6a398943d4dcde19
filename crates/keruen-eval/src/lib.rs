//! keruen-eval scores what the extractor found in a document against its gold
//! annotation, metric for metric as `../shared/eval/score.py` (the shared scorer of
//! the corpus): the same folding, the same greedy one-to-one matching, the same
//! micro-averaged precision, recall and F1. A [`Scorer`] takes documents one by one
//! (gold, prediction and text as JSON values and a string) and yields [`Metrics`] in
//! the scorer's order. It is pure: no files, no extractor.
//!
//! ```
//! use keruen_eval::Scorer;
//! let gold = serde_json::json!({"timexes": [{"start": 0, "end": 4, "value": "1992"}]});
//! let pred = serde_json::json!({"timexes": [{"start": 0, "end": 4, "value": "1992"}]});
//! let mut s = Scorer::default();
//! s.add_document(&gold, &pred, Some("1992 was a year."));
//! assert_eq!(s.metrics().get("timex.value_f1"), Some(1.0));
//! ```
#![warn(missing_docs)]

mod matching;
mod python;

pub use python::fold;

use matching::{Span, greedy, overlap, span};
use python::{norm_value, py_str_or_empty};
use serde_json::Value;
use std::collections::BTreeSet;

/// True positives, false positives and false negatives of one metric.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Matched.
    pub tp: usize,
    /// Predicted and not matched.
    pub fp: usize,
    /// Gold and not matched.
    pub fn_: usize,
}

impl Tally {
    fn add(&mut self, tp: usize, npred: usize, ngold: usize) {
        self.tp += tp;
        self.fp += npred - tp;
        self.fn_ += ngold - tp;
    }

    /// Precision, recall and F1, with the scorer's conventions for empty sets.
    pub fn prf(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else if self.fn_ == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.tp + self.fn_ > 0 { tp / (tp + fn_) } else { 1.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// The tallied metrics, in the scorer's order.
const KINDS: [&str; 10] = [
    "timex",
    "timex.strict",
    "timex.value",
    "entity",
    "mention",
    "event",
    "event.full",
    "archival",
    "citation",
    "reference",
];

/// Counts over every document scored so far.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    tallies: [Tally; 10],
    timex_matched: usize,
    timex_value_ok: usize,
    event_matched: usize,
    event_date_ok: usize,
    event_ctry_ok: usize,
    link_total: usize,
    link_ok: usize,
    /// Problems found in predictions (spans whose text is not the document's).
    pub problems: Vec<String>,
    /// Documents scored.
    pub documents: usize,
}

/// Metric values rounded to four decimals, in the order `score.py` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics(pub Vec<(String, f64)>);

impl Metrics {
    /// One metric by its name (`timex.f1`, `event.full_f1`, `citation.link_acc`, …).
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }
}

/// A JSON object of the metrics, in the scorer's order.
impl serde::Serialize for Metrics {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Python's `round(x, 4)`: the nearest four-decimal value, ties to even on the exact
/// binary value (Rust's formatting rounds the same way).
fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

fn items<'a>(x: &'a Value, key: &str) -> &'a [Value] {
    x.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn str_field<'a>(x: &'a Value, key: &str) -> Option<&'a str> {
    x.get(key).and_then(Value::as_str)
}

impl Scorer {
    fn t(&mut self, kind: &str) -> &mut Tally {
        let i = KINDS.iter().position(|k| *k == kind).expect("known metric");
        &mut self.tallies[i]
    }

    /// The tally of one metric (`timex`, `timex.strict`, `event.full`, …).
    pub fn tally(&self, kind: &str) -> Option<Tally> {
        KINDS.iter().position(|k| *k == kind).map(|i| self.tallies[i])
    }

    /// Scores one document: its gold annotation, the prediction (`{}` when there is
    /// none) and, when available, its text (for records without offsets and for span
    /// checks).
    pub fn add_document(&mut self, gold: &Value, pred: &Value, doc: Option<&str>) {
        self.documents += 1;
        if let Some(d) = doc {
            matching::check_spans(pred, d, &mut self.problems);
        }
        self.timexes(items(gold, "timexes"), items(pred, "timexes"));
        self.entities(items(gold, "entities"), items(pred, "entities"));
        self.events(items(gold, "events"), items(pred, "events"));
        self.archival(items(gold, "archival_refs"), items(pred, "archival_refs"));
        self.citations(
            items(gold, "citations"),
            items(pred, "citations"),
            items(gold, "references"),
            items(pred, "references"),
            doc,
        );
    }

    fn timexes(&mut self, gold: &[Value], pred: &[Value]) {
        let g: Vec<Option<Span>> = gold.iter().map(span).collect();
        let p: Vec<Option<Span>> = pred.iter().map(span).collect();
        let value = |x: &Value| norm_value(x.get("value"));
        let mut pairs = Vec::new();
        for (i, ps) in p.iter().enumerate() {
            for (j, gs) in g.iter().enumerate() {
                if let (Some(a), Some(b)) = (ps, gs)
                    && overlap(*a, *b) > 0
                {
                    let same = value(&pred[i]) == value(&gold[j]);
                    pairs.push((overlap(*a, *b) + if same { 10_000 } else { 0 }, i, j));
                }
            }
        }
        let m = greedy(pairs);
        let matched: BTreeSet<usize> = m.iter().map(|&(i, _)| i).collect();
        // Unanchored predictions (value null) that match nothing are not counted against.
        let npred = pred
            .iter()
            .enumerate()
            .filter(|(i, x)| matched.contains(i) || x.get("value").is_some_and(|v| !v.is_null()))
            .count();
        let strict = m.iter().filter(|&&(i, j)| p[i] == g[j]).count();
        let val = m.iter().filter(|&&(i, j)| value(&pred[i]) == value(&gold[j])).count();
        self.t("timex").add(m.len(), npred, g.len());
        self.t("timex.strict").add(strict, npred, g.len());
        self.t("timex.value").add(val, npred, g.len());
        self.timex_matched += m.len();
        self.timex_value_ok += val;
    }

    fn entities(&mut self, gold: &[Value], pred: &[Value]) {
        let keys = |x: &Value| -> BTreeSet<String> {
            let mut k = BTreeSet::new();
            if let Some(c) = str_field(x, "code").filter(|c| !c.is_empty()) {
                k.insert(format!("code:{}", c.to_uppercase()));
            }
            if let Some(n) = str_field(x, "name").filter(|n| !n.is_empty()) {
                k.insert(format!("name:{}", fold(n)));
            }
            for mt in items(x, "mentions") {
                if let Some(t) = str_field(mt, "text").filter(|t| !t.is_empty()) {
                    k.insert(format!("name:{}", fold(t)));
                }
            }
            k
        };
        let kind = |x: &Value| x.get("kind").cloned();
        let code = |x: &Value| str_field(x, "code").filter(|c| !c.is_empty()).map(str::to_uppercase);
        let gk: Vec<BTreeSet<String>> = gold.iter().map(keys).collect();
        let mut pairs = Vec::new();
        for (i, px) in pred.iter().enumerate() {
            let pk = keys(px);
            for (j, gx) in gold.iter().enumerate() {
                if kind(px) != kind(gx) {
                    continue;
                }
                let common = pk.intersection(&gk[j]).count();
                let hit = match (gx.get("kind").and_then(Value::as_str), code(gx), code(px)) {
                    (Some("country"), Some(a), Some(b)) => a == b,
                    _ => common > 0,
                };
                if hit {
                    pairs.push((common as i64 + 1, i, j));
                }
            }
        }
        let m = greedy(pairs);
        self.t("entity").add(m.len(), pred.len(), gold.len());
        let mentions = |list: &[Value]| -> Vec<(Option<Span>, Option<Value>)> {
            list.iter().flat_map(|x| items(x, "mentions").iter().map(move |mt| (span(mt), kind(x)))).collect()
        };
        let (gm, pm) = (mentions(gold), mentions(pred));
        let mut mp = Vec::new();
        for (i, (ps, pk)) in pm.iter().enumerate() {
            for (j, (gs, gk)) in gm.iter().enumerate() {
                if let (Some(a), Some(b)) = (ps, gs)
                    && pk == gk
                    && overlap(*a, *b) > 0
                {
                    mp.push((overlap(*a, *b), i, j));
                }
            }
        }
        let n = greedy(mp).len();
        self.t("mention").add(n, pm.len(), gm.len());
    }

    fn events(&mut self, gold: &[Value], pred: &[Value]) {
        let codes = |x: &Value| -> Vec<String> {
            let set: BTreeSet<String> =
                items(x, "countries").iter().filter_map(Value::as_str).map(str::to_uppercase).collect();
            set.into_iter().collect()
        };
        let date = |x: &Value| norm_value(x.get("date"));
        let evidence = |x: &Value| x.get("evidence").and_then(span);
        let mut pairs = Vec::new();
        for (i, px) in pred.iter().enumerate() {
            let Some(ps) = evidence(px) else { continue };
            for (j, gx) in gold.iter().enumerate() {
                let Some(gs) = evidence(gx) else { continue };
                if px.get("type") != gx.get("type") || overlap(ps, gs) == 0 {
                    continue;
                }
                let date_ok = date(px) == date(gx);
                let ctry_ok = codes(px) == codes(gx);
                pairs.push((
                    overlap(ps, gs) + 100_000 * i64::from(date_ok) + 50_000 * i64::from(ctry_ok),
                    i,
                    j,
                ));
            }
        }
        let m = greedy(pairs);
        self.t("event").add(m.len(), pred.len(), gold.len());
        let mut full = 0;
        for &(i, j) in &m {
            let d = date(&pred[i]) == date(&gold[j]);
            let c = codes(&pred[i]) == codes(&gold[j]);
            self.event_date_ok += usize::from(d);
            self.event_ctry_ok += usize::from(c);
            full += usize::from(d && c);
        }
        self.event_matched += m.len();
        self.t("event.full").add(full, pred.len(), gold.len());
    }

    fn archival(&mut self, gold: &[Value], pred: &[Value]) {
        let triple = |x: &Value| -> [String; 3] {
            ["fond", "inventory", "case"].map(|k| {
                fold(&py_str_or_empty(x.get(k)))
                    .chars()
                    .filter(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || ('а'..='я').contains(c))
                    .collect()
            })
        };
        let mut pairs = Vec::new();
        for (i, px) in pred.iter().enumerate() {
            for (j, gx) in gold.iter().enumerate() {
                if let (Some(a), Some(b)) = (span(px), span(gx))
                    && triple(px) == triple(gx)
                    && overlap(a, b) > 0
                {
                    pairs.push((overlap(a, b), i, j));
                }
            }
        }
        let n = greedy(pairs).len();
        self.t("archival").add(n, pred.len(), gold.len());
    }

    fn citations(
        &mut self,
        gold: &[Value],
        pred: &[Value],
        grefs: &[Value],
        prefs: &[Value],
        doc: Option<&str>,
    ) {
        let surname_ok = |p: &Value, g: &Value| {
            let (a, b) =
                (fold(str_field(p, "author").unwrap_or("")), fold(str_field(g, "author").unwrap_or("")));
            !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
        };
        let year = |x: &Value| fold(&py_str_or_empty(x.get("year"))).replace(' ', "");
        let mut pairs = Vec::new();
        for (i, px) in pred.iter().enumerate() {
            for (j, gx) in gold.iter().enumerate() {
                if let (Some(a), Some(b)) = (span(px), span(gx))
                    && overlap(a, b) > 0
                    && surname_ok(px, gx)
                    && year(px) == year(gx)
                {
                    pairs.push((overlap(a, b), i, j));
                }
            }
        }
        let m = greedy(pairs);
        self.t("citation").add(m.len(), pred.len(), gold.len());
        let gs = matching::ref_spans(grefs, doc);
        let ps = matching::ref_spans(prefs, doc);
        for &(i, j) in &m {
            let gref = gold[j].get("reference").filter(|v| !v.is_null());
            let Some(gref) = gref else { continue };
            self.link_total += 1;
            let a = ps.get(pred[i].get("reference").unwrap_or(&Value::Null));
            let b = gs.get(gref);
            if let (Some(a), Some(b)) = (a, b)
                && overlap(a, b) > 0
            {
                self.link_ok += 1;
            }
        }
        let gl: Vec<Span> = gs.values().collect();
        let pl: Vec<Span> = ps.values().collect();
        let mut rp = Vec::new();
        for (i, a) in pl.iter().enumerate() {
            for (j, b) in gl.iter().enumerate() {
                if overlap(*a, *b) * 2 >= b.1 - b.0 {
                    rp.push((overlap(*a, *b), i, j));
                }
            }
        }
        let n = greedy(rp).len();
        self.t("reference").add(n, pl.len(), gl.len());
    }

    /// The metrics over every document scored, rounded as `score.py` rounds them.
    pub fn metrics(&self) -> Metrics {
        let mut out = Vec::new();
        for (k, t) in KINDS.iter().zip(&self.tallies) {
            let (p, r, f) = t.prf();
            let (base, suffix) = match k.split_once('.') {
                Some((b, s)) => (b, Some(s)),
                None => (*k, None),
            };
            match suffix {
                Some(s) => out.push((format!("{base}.{s}_f1"), round4(f))),
                None => {
                    out.push((format!("{base}.f1"), round4(f)));
                    out.push((format!("{base}.p"), round4(p)));
                    out.push((format!("{base}.r"), round4(r)));
                }
            }
        }
        let ratio = |a: usize, b: usize| if b > 0 { round4(a as f64 / b as f64) } else { 0.0 };
        out.push(("timex.value_acc".into(), ratio(self.timex_value_ok, self.timex_matched)));
        out.push(("event.date_acc".into(), ratio(self.event_date_ok, self.event_matched)));
        out.push(("event.countries_acc".into(), ratio(self.event_ctry_ok, self.event_matched)));
        out.push(("citation.link_acc".into(), ratio(self.link_ok, self.link_total)));
        Metrics(out)
    }
}

#[cfg(test)]
mod tests;
