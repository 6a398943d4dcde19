//! The bits of Python semantics the scorer relies on: `str()` of a JSON value,
//! `casefold`, the `\s` class, `strip(chars)`, and its `fold`.
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Python's `str.isspace()`: Rust's whitespace plus the information separators.
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str(v)` of a JSON value as `json.load` returns it.
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 1e16 { format!("{f:.1}") } else { format!("{f}") }
            }
        }
        other => other.to_string(),
    }
}

/// Python's truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `str(x.get(k) or "")`.
pub(crate) fn py_str_or_empty(v: Option<&Value>) -> String {
    match v {
        Some(v) if truthy(v) => py_str(v),
        _ => String::new(),
    }
}

/// `norm_value`: `str(v).strip().upper()`, or `None` for a missing or null value.
pub(crate) fn norm_value(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(v) => Some(py_str(v).trim_matches(py_space).to_uppercase()),
    }
}

/// Python's `str.casefold()` for the letters that survive NFKC: lower case, with the
/// full foldings that differ from it (ß → ss, final sigma → sigma).
fn casefold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ς' => out.push('σ'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The scorer's name folding: NFKC, case folding, ё → е, every hyphen and dash of
/// U+2010–U+2015 → `-`, runs of white space → one space, and the surrounding
/// punctuation ` .,;:()"'«»` stripped.
pub fn fold(s: &str) -> String {
    let s: String = s.nfkc().collect();
    let s = casefold(&s).replace('ё', "е");
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if py_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        out.push(if ('\u{2010}'..='\u{2015}').contains(&c) { '-' } else { c });
    }
    out.trim_matches(|c| " .,;:()\"'«»".contains(c)).to_string()
}
