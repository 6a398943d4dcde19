//! Spans, the greedy one-to-one matching, and the bibliography spans of the scorer.
use crate::python::py_str;
use serde_json::Value;
use std::collections::HashSet;

/// `(start, end)` in characters.
pub(crate) type Span = (i64, i64);

pub(crate) fn overlap(a: Span, b: Span) -> i64 {
    (a.1.min(b.1) - a.0.max(b.0)).max(0)
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// The span of a record that has both offsets.
pub(crate) fn span(x: &Value) -> Option<Span> {
    let (s, e) = (x.get("start")?, x.get("end")?);
    if s.is_null() || e.is_null() {
        return None;
    }
    Some((int(s)?, int(e)?))
}

/// One-to-one matching, best score first; ties keep the order of `pairs`
/// (Python's sort is stable, and so is Rust's).
pub(crate) fn greedy(mut pairs: Vec<(i64, usize, usize)>) -> Vec<(usize, usize)> {
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    let (mut used_p, mut used_g) = (HashSet::new(), HashSet::new());
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if used_p.contains(&i) || used_g.contains(&j) {
            continue;
        }
        used_p.insert(i);
        used_g.insert(j);
        out.push((i, j));
    }
    out
}

/// Python's equality of dictionary keys for the JSON values an index can be.
fn same_key(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Bibliography entries by index, in the order a Python dict keeps them (a repeated
/// index keeps its first position and takes the later span).
#[derive(Debug, Default)]
pub(crate) struct RefSpans(Vec<(Value, Option<Span>)>);

impl RefSpans {
    pub(crate) fn get(&self, key: &Value) -> Option<Span> {
        self.0.iter().find(|(k, _)| same_key(k, key)).and_then(|(_, s)| *s)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = Span> + '_ {
        self.0.iter().filter_map(|(_, s)| *s)
    }
}

/// First occurrence of `needle` in `doc` (character offsets) not yet taken.
fn locate(doc: &str, needle: &str, taken: &mut HashSet<Span>) -> Option<Span> {
    if doc.is_empty() || needle.is_empty() {
        return None;
    }
    let len = needle.chars().count() as i64;
    let mut pos = 0usize; // byte offset
    loop {
        let b = pos + doc[pos..].find(needle)?;
        let i = doc[..b].chars().count() as i64;
        if taken.insert((i, i + len)) {
            return Some((i, i + len));
        }
        pos = b + doc[b..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
}

pub(crate) fn ref_spans(refs: &[Value], doc: Option<&str>) -> RefSpans {
    let mut taken = HashSet::new();
    let mut out = RefSpans::default();
    for (k, r) in refs.iter().enumerate() {
        let s = span(r).or_else(|| {
            let text = r.get("text").and_then(Value::as_str)?;
            locate(doc?, text, &mut taken)
        });
        let key = r.get("index").cloned().unwrap_or_else(|| Value::from(k));
        match out.0.iter_mut().find(|(x, _)| same_key(x, &key)) {
            Some(slot) => slot.1 = s,
            None => out.0.push((key, s)),
        }
    }
    out
}

/// Python's `repr` of a string, near enough for a problem report.
fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `doc[s:e]` over characters.
fn slice(doc: &[char], s: i64, e: i64) -> String {
    let n = doc.len() as i64;
    let norm = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    let (a, b) = (norm(s), norm(e));
    if b <= a { String::new() } else { doc[a..b].iter().collect() }
}

/// Records whose `text` is not the document's text at their offsets.
pub(crate) fn check_spans(pred: &Value, doc: &str, problems: &mut Vec<String>) {
    fn walk(x: &Value, doc: &[char], at: &str, problems: &mut Vec<String>) {
        match x {
            Value::Object(m) => {
                if let (Some(s), Some(t)) = (span(x), m.get("text")) {
                    let got = slice(doc, s.0, s.1);
                    if t.as_str() != Some(got.as_str()) {
                        let shown = t.as_str().map(repr).unwrap_or_else(|| py_str(t));
                        problems.push(format!("{at}: text {shown} is not doc[{}:{}]", s.0, s.1));
                    }
                }
                for (k, v) in m {
                    walk(v, doc, &format!("{at}.{k}"), problems);
                }
            }
            Value::Array(a) => {
                for (k, v) in a.iter().enumerate() {
                    walk(v, doc, &format!("{at}[{k}]"), problems);
                }
            }
            _ => {}
        }
    }
    let chars: Vec<char> = doc.chars().collect();
    walk(pred, &chars, "pred", problems);
}
