//! EDTF (Library of Congress Extended Date/Time Format) — STUB, to be replaced by the
//! full implementation. The public API below is the contract.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar day as a count of days since 1970-01-01 (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// The day of a proleptic Gregorian date; `None` if the date does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        let _ = (year, month, day);
        todo!()
    }
    /// Year, month (1–12), day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        todo!()
    }
}

impl fmt::Display for Day {
    /// ISO 8601: `1992-10-05`, `-0044-03-15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Why a string is not a valid EDTF value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid EDTF date: {reason}")]
pub struct EdtfError {
    /// The string that was parsed.
    pub input: String,
    /// Why it is invalid, in words.
    pub reason: String,
}

/// An EDTF value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edtf {
    text: String,
}

impl Edtf {
    /// Parses and validates.
    pub fn parse(s: &str) -> Result<Edtf, EdtfError> {
        Ok(Edtf {
            text: s.to_string(),
        })
    }
    /// A year.
    pub fn year_only(year: i32) -> Edtf {
        Edtf {
            text: format!("{year:04}"),
        }
    }
    /// Earliest day the value can denote; `None` when open or unknown at the start.
    pub fn earliest(&self) -> Option<Day> {
        todo!()
    }
    /// Latest day the value can denote; `None` when open or unknown at the end.
    pub fn latest(&self) -> Option<Day> {
        todo!()
    }
    /// Whether the two values can denote a common day (open ends extend forever).
    pub fn overlaps(&self, other: &Edtf) -> bool {
        let _ = other;
        todo!()
    }
    /// Whether it is an interval.
    pub fn is_interval(&self) -> bool {
        self.text.contains('/')
    }
    /// The year of the earliest day, else of the latest.
    pub fn year(&self) -> Option<i32> {
        todo!()
    }
}

impl fmt::Display for Edtf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl FromStr for Edtf {
    type Err = EdtfError;
    fn from_str(s: &str) -> Result<Self, EdtfError> {
        Edtf::parse(s)
    }
}
impl Serialize for Edtf {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for Edtf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
