//! The languages of the interface and their strings, kept in data files
//! (`i18n/en.toml`, `i18n/ru.toml`) so that a translator can edit them without reading
//! Rust. A string missing from a language falls back to English, then to its key.
use std::collections::HashMap;
use std::sync::OnceLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

const EN: &str = include_str!("../i18n/en.toml");
const RU: &str = include_str!("../i18n/ru.toml");

type Table = HashMap<String, String>;

fn flatten(prefix: &str, value: &toml::Value, out: &mut Table) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The strings of a language file, flattened to `section.key`.
pub(crate) fn load(text: &str) -> Table {
    let value: toml::Value = toml::from_str(text).expect("the i18n files are valid TOML (tested)");
    let mut out = Table::new();
    flatten("", &value, &mut out);
    out
}

fn tables() -> &'static (Table, Table) {
    static T: OnceLock<(Table, Table)> = OnceLock::new();
    T.get_or_init(|| (load(EN), load(RU)))
}

impl Lang {
    /// Every language, in the order of the switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// `en` or `ru`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language of a code, if it is one of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }

    /// The string `key` in this language.
    pub fn t(self, key: &str) -> &'static str {
        let (en, ru) = tables();
        let own = match self {
            Lang::En => en.get(key),
            Lang::Ru => ru.get(key),
        };
        match own.or_else(|| en.get(key)) {
            Some(s) => s.as_str(),
            None => {
                tracing::warn!("missing interface string `{key}`");
                // Leaked once per missing key, which a test keeps at zero.
                Box::leak(key.to_string().into_boxed_str())
            }
        }
    }

    /// `t(key)` with `{name}` placeholders replaced.
    pub fn tf(self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), &value.to_string());
        }
        s
    }

    /// A count with a thousands separator in this language's style.
    pub fn num(self, n: u64) -> String {
        let digits = n.to_string();
        let sep = match self {
            Lang::En => ",",
            Lang::Ru => "\u{a0}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys() {
        let en: BTreeSet<String> = load(EN).into_keys().collect();
        let ru: BTreeSet<String> = load(RU).into_keys().collect();
        let missing_ru: Vec<_> = en.difference(&ru).collect();
        let missing_en: Vec<_> = ru.difference(&en).collect();
        assert!(missing_ru.is_empty(), "missing in ru.toml: {missing_ru:?}");
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
    }

    /// Every `t("…")`/`tf("…"` key written in the sources exists in en.toml.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let en = load(EN);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        let mut files = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for pat in [".t(\"", ".tf(\""] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + pat.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if !en.contains_key(key) {
                        missing.push(format!("{}: {key}", p.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from i18n/en.toml: {missing:#?}");
    }

    /// Keys built at run time from the vocabularies all exist.
    #[test]
    fn every_vocabulary_value_has_a_label() {
        use keruen_model::{EntityKind, EventStatus, EventType, Role, Sector};
        let en = load(EN);
        let mut keys: Vec<String> = Vec::new();
        keys.extend(EventType::ALL.iter().map(|t| format!("type.{}", t.as_str())));
        keys.extend(EventStatus::ALL.iter().map(|t| format!("status.{}", t.as_str())));
        keys.extend(Sector::ALL.iter().map(|t| format!("sector.{}", t.as_str())));
        keys.extend(EntityKind::ALL.iter().map(|t| format!("kind.{}", t.as_str())));
        keys.extend(EntityKind::ALL.iter().map(|t| format!("kinds.{}", t.as_str())));
        keys.extend(Role::ALL.iter().map(|t| format!("role.{}", t.as_str())));
        for r in ["viewer", "editor", "admin"] {
            keys.push(format!("role.{r}"));
        }
        for r in ["candidate", "accepted", "rejected"] {
            keys.push(format!("review.{r}"));
            keys.push(format!("review.{r}_help"));
        }
        for k in ["timex", "entity", "event", "archival", "citation", "reference"] {
            keys.push(format!("ann.{k}"));
            keys.push(format!("legend.{k}"));
        }
        for f in ["name", "official", "former", "acronym", "adjective", "variant"] {
            keys.push(format!("form.{f}"));
        }
        keys.extend((1..=12).map(|m| format!("month.{m}")));
        for n in ["search", "timeline", "map", "network", "matrix", "calendar", "review", "about"] {
            keys.push(format!("nav.{n}"));
        }
        for c in ["timeline", "map", "network", "matrix", "calendar", "sources"] {
            keys.push(format!("home.card_{c}"));
            keys.push(format!("home.card_{c}_text"));
        }
        keys.extend(["search.help", "event.evidence_help"].map(String::from));
        let missing: Vec<&String> = keys.iter().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(Lang::En.num(1234567), "1,234,567");
        assert_eq!(Lang::Ru.num(1234), "1\u{a0}234");
        assert_eq!(Lang::En.num(12), "12");
    }
}
