//! EDTF, the Library of Congress Extended Date/Time Format (ISO 8601-2), for dates only.
//!
//! Supported, and written back exactly as read ([`Edtf::parse`] then [`Display`](fmt::Display)
//! gives back the input for every valid canonical string):
//!
//! * Level 0: `1995-11-05`, `1995-11`, `1995`, `-0044`, `0000`; intervals
//!   `2008-04-25/2008-05-02`.
//! * Level 1: unspecified digits (`199X`, `19XX`, `XXXX`, `1985-XX`, `1985-04-XX`,
//!   `1985-XX-XX`); a qualifier at the end of a date (`?` uncertain, `~` approximate, `%`
//!   both); seasons 21 spring (Mar–May), 22 summer (Jun–Aug), 23 autumn (Sep–Nov) and
//!   24 winter (December of the year to the end of February of the next year), and level
//!   2's quarters 33–36 (`2025-33`, January to March); open (`..`)
//!   and unknown (empty) interval ends (`1992/..`, `../2001`, `/2001`, `1992/`); years of
//!   more than four digits with the `Y` prefix (`Y170000002`, `Y-170000002`), which may
//!   carry a qualifier but no month or day, and must fit an `i32`.
//! * Level 2 sets: `[1870,1872]` (one of), `{1870,1872}` (all of), with ranges
//!   `1870..1872`, an open start `..1760-12-03` as first member and an open end
//!   `1760-12..` as last member.
//!
//! Not supported: times of day, per-component qualifiers (`2004?-06`), partly unspecified
//! months or days (`1984-1X`), unspecified digits in negative years, the other sub-year
//! groupings (25–32, 37–41: hemispheres, quadrimesters, semesters),
//! exponents and significant digits (`Y17E7`, `1950S2`), and spaces anywhere (callers trim).
//!
//! Bounds: [`Edtf::earliest`] and [`Edtf::latest`] are the first and last day a value can
//! denote. They are `None` at an open or unknown end, and also when the day does not fit a
//! [`Day`] (years beyond about ±5.8 million); ordering, [`Edtf::overlaps`] and
//! [`Edtf::year`] still use the exact bounds for such years.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

// ---------------------------------------------------------------- calendar arithmetic

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A calendar day as a count of days since 1970-01-01 (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// The day of a proleptic Gregorian date; `None` if the date does not exist or its
    /// day count does not fit an `i32`.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year.into(), month) {
            return None;
        }
        i32::try_from(days_from_civil(year.into(), month, day)).ok().map(Day)
    }
    /// Year, month (1–12), day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(self.0.into());
        (y as i32, m, d)
    }
}

impl fmt::Display for Day {
    /// ISO 8601: `1992-10-05`, `-0044-03-15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        let sign = if y < 0 { "-" } else { "" };
        write!(f, "{sign}{:04}-{m:02}-{d:02}", y.unsigned_abs())
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

// ---------------------------------------------------------------- structure

/// A qualifier written at the end of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    /// `?`: the source is not sure of the date.
    Uncertain,
    /// `~`: the date is approximate ("circa").
    Approximate,
    /// `%`: both uncertain and approximate.
    Both,
}

impl Qualifier {
    /// The EDTF symbol: `?`, `~` or `%`.
    pub fn symbol(self) -> char {
        match self {
            Qualifier::Uncertain => '?',
            Qualifier::Approximate => '~',
            Qualifier::Both => '%',
        }
    }
    /// Whether it is `?` or `%`.
    pub fn is_uncertain(self) -> bool {
        self != Qualifier::Approximate
    }
    /// Whether it is `~` or `%`.
    pub fn is_approximate(self) -> bool {
        self != Qualifier::Uncertain
    }
}

/// A season of a year (EDTF codes 21–24, northern-hemisphere meteorological seasons)
/// or a quarter (codes 33–36, level 2's sub-year groupings: plans and reports are
/// dated by quarter, "в I квартале 2025 года").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Season {
    /// 21: March to May.
    Spring,
    /// 22: June to August.
    Summer,
    /// 23: September to November.
    Autumn,
    /// 24: December of the year to the end of February of the next year.
    Winter,
    /// 33: January to March.
    Quarter1,
    /// 34: April to June.
    Quarter2,
    /// 35: July to September.
    Quarter3,
    /// 36: October to December.
    Quarter4,
}

impl Season {
    const ALL: [Season; 8] = [
        Season::Spring,
        Season::Summer,
        Season::Autumn,
        Season::Winter,
        Season::Quarter1,
        Season::Quarter2,
        Season::Quarter3,
        Season::Quarter4,
    ];

    /// The EDTF code, 21–24 or 33–36.
    pub fn code(self) -> u8 {
        match self as u8 {
            n @ 0..=3 => 21 + n,
            n => 29 + n,
        }
    }
    /// The season or quarter of an EDTF code 21–24 or 33–36.
    pub fn from_code(code: u8) -> Option<Season> {
        Season::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A month or day of an [`EdtfDate`]: a known number, or unspecified (`XX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// A number: month 1–12, day 1–31.
    Known(u8),
    /// `XX`.
    Unspecified,
}

impl Part {
    /// The number, if known.
    pub fn known(self) -> Option<u8> {
        match self {
            Part::Known(n) => Some(n),
            Part::Unspecified => None,
        }
    }
}

/// One EDTF date: a year, possibly a month or a season, possibly a day, and a qualifier.
///
/// The fields are public so that a value can be built with struct-update syntax
/// (`EdtfDate { qualifier: Some(Qualifier::Approximate), ..EdtfDate::from_year(1992) }`);
/// [`Edtf::new`] validates it. Inside an [`Edtf`] a date is always valid: the month and
/// season are not both set, a day has a month, and an unspecified digit is followed only
/// by unspecified digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EdtfDate {
    /// The year, with unspecified digits written as 0 (`199X` is 1990). Years beyond
    /// ±9999 are written with the `Y` prefix and have no month, season or day.
    pub year: i32,
    /// How many trailing year digits are `X` (0–4; `19XX` has 2). Only for years 0–9999.
    pub unspecified_year_digits: u8,
    /// The month, if the date is that precise.
    pub month: Option<Part>,
    /// The season, in place of a month.
    pub season: Option<Season>,
    /// The day of the month, if the date is that precise.
    pub day: Option<Part>,
    /// The qualifier written at the end.
    pub qualifier: Option<Qualifier>,
}

impl EdtfDate {
    /// A plain year.
    pub fn from_year(year: i32) -> EdtfDate {
        EdtfDate { year, unspecified_year_digits: 0, month: None, season: None, day: None, qualifier: None }
    }
    /// The month, if known (not `XX`, not a season).
    pub fn known_month(&self) -> Option<u8> {
        self.month.and_then(Part::known)
    }
    /// The day, if known; then the year and month are known too.
    pub fn known_day(&self) -> Option<u8> {
        self.day.and_then(Part::known)
    }
    /// Whether any digit is `X`.
    pub fn has_unspecified(&self) -> bool {
        self.unspecified_year_digits > 0
            || self.month == Some(Part::Unspecified)
            || self.day == Some(Part::Unspecified)
    }
    /// The first and last day the date can denote (`None` when out of [`Day`]'s range).
    pub fn bounds(&self) -> (Option<Day>, Option<Day>) {
        let (lo, hi) = date_span(self);
        (to_day(Some(lo)), to_day(Some(hi)))
    }
}

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntervalEnd {
    /// A date.
    Date(EdtfDate),
    /// `..`: the interval extends without limit.
    Open,
    /// Empty: the end exists but is not known.
    Unknown,
}

impl IntervalEnd {
    /// The date, if the end is one.
    pub fn date(&self) -> Option<&EdtfDate> {
        match self {
            IntervalEnd::Date(d) => Some(d),
            _ => None,
        }
    }
}

/// Whether a set means one of its members or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// `[…]`: exactly one of the members.
    OneOf,
    /// `{…}`: all of the members.
    AllOf,
}

/// A member of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetMember {
    /// A date.
    Date(EdtfDate),
    /// `a..b`: every date from the first to the second.
    Range(EdtfDate, EdtfDate),
    /// `..a`: any date on or before it; only as the first member.
    Earlier(EdtfDate),
    /// `a..`: any date on or after it; only as the last member.
    Later(EdtfDate),
}

/// The structure of an EDTF value, as returned by [`Edtf::value`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EdtfValue {
    /// A single date.
    Date(EdtfDate),
    /// `start/end`; at least one end is a date.
    Interval {
        /// The start.
        start: IntervalEnd,
        /// The end.
        end: IntervalEnd,
    },
    /// `[…]` or `{…}`, with at least one member.
    Set {
        /// One of, or all of.
        kind: SetKind,
        /// The members in written order.
        members: Vec<SetMember>,
    },
}

/// A valid EDTF value. Compares and hashes structurally; orders by bounds (see [`Ord`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edtf {
    value: EdtfValue,
}

/// First and last day as exact day counts; `None` for an open or unknown end.
type Span = (Option<i64>, Option<i64>);

fn date_span(d: &EdtfDate) -> (i64, i64) {
    let y = i64::from(d.year);
    let last_year = y + 10i64.pow(d.unspecified_year_digits.min(4).into()) - 1;
    let (m0, y1, m1) = match (d.season, d.known_month()) {
        (Some(Season::Spring), _) => (3, y, 5),
        (Some(Season::Summer), _) => (6, y, 8),
        (Some(Season::Autumn), _) => (9, y, 11),
        (Some(Season::Winter), _) => (12, y + 1, 2),
        (Some(Season::Quarter1), _) => (1, y, 3),
        (Some(Season::Quarter2), _) => (4, y, 6),
        (Some(Season::Quarter3), _) => (7, y, 9),
        (Some(Season::Quarter4), _) => (10, y, 12),
        (None, Some(m)) => {
            let m = u32::from(m);
            return match d.known_day() {
                Some(day) => (days_from_civil(y, m, day.into()), days_from_civil(y, m, day.into())),
                None => (days_from_civil(y, m, 1), days_from_civil(y, m, days_in_month(y, m))),
            };
        }
        (None, None) => (1, last_year, 12),
    };
    (days_from_civil(y, m0, 1), days_from_civil(y1, m1, days_in_month(y1, m1)))
}

fn to_day(d: Option<i64>) -> Option<Day> {
    d.and_then(|d| i32::try_from(d).ok()).map(Day)
}

fn spans_overlap(a: Span, b: Span) -> bool {
    let before = |hi: Option<i64>, lo: Option<i64>| matches!((hi, lo), (Some(h), Some(l)) if h < l);
    !before(a.1, b.0) && !before(b.1, a.0)
}

impl Edtf {
    /// Parses and validates a canonical EDTF string (no surrounding spaces).
    pub fn parse(s: &str) -> Result<Edtf, EdtfError> {
        parse_value(s)
            .and_then(|value| check_value(&value).map(|()| Edtf { value }))
            .map_err(|reason| EdtfError { input: s.to_string(), reason })
    }
    /// Validates a structure built by hand.
    pub fn new(value: EdtfValue) -> Result<Edtf, EdtfError> {
        match check_value(&value) {
            Ok(()) => Ok(Edtf { value }),
            Err(reason) => Err(EdtfError { input: value.to_string(), reason }),
        }
    }
    /// A year, e.g. 1992 → `1992`, 170000002 → `Y170000002`.
    pub fn year_only(year: i32) -> Edtf {
        Edtf { value: EdtfValue::Date(EdtfDate::from_year(year)) }
    }
    /// A month of a year (years −9999..=9999); `None` if the month does not exist.
    pub fn year_month(year: i32, month: u32) -> Option<Edtf> {
        let month = Some(Part::Known(u8::try_from(month).ok()?));
        Edtf::new(EdtfValue::Date(EdtfDate { month, ..EdtfDate::from_year(year) })).ok()
    }
    /// A day (years −9999..=9999); `None` if the date does not exist.
    pub fn ymd(year: i32, month: u32, day: u32) -> Option<Edtf> {
        let month = Some(Part::Known(u8::try_from(month).ok()?));
        let day = Some(Part::Known(u8::try_from(day).ok()?));
        Edtf::new(EdtfValue::Date(EdtfDate { month, day, ..EdtfDate::from_year(year) })).ok()
    }
    /// An interval; fails if both ends are not dates or it ends before it starts.
    pub fn interval(start: IntervalEnd, end: IntervalEnd) -> Result<Edtf, EdtfError> {
        Edtf::new(EdtfValue::Interval { start, end })
    }
    /// The interval from one single date to another, e.g. `1992/1995`.
    pub fn between(start: &Edtf, end: &Edtf) -> Result<Edtf, EdtfError> {
        Edtf::interval(start.as_interval_end()?, end.as_interval_end()?)
    }
    /// The interval from a single date with an open end, e.g. `1992/..`.
    pub fn open_end(start: &Edtf) -> Result<Edtf, EdtfError> {
        Edtf::interval(start.as_interval_end()?, IntervalEnd::Open)
    }
    fn as_interval_end(&self) -> Result<IntervalEnd, EdtfError> {
        self.as_date().map(|d| IntervalEnd::Date(*d)).ok_or_else(|| EdtfError {
            input: self.to_string(),
            reason: "an interval end must be a single date".into(),
        })
    }
    /// The structure.
    pub fn value(&self) -> &EdtfValue {
        &self.value
    }
    /// The date, if the value is a single date.
    pub fn as_date(&self) -> Option<&EdtfDate> {
        match &self.value {
            EdtfValue::Date(d) => Some(d),
            _ => None,
        }
    }
    /// Every date written in the value, in written order.
    pub fn dates(&self) -> Vec<&EdtfDate> {
        match &self.value {
            EdtfValue::Date(d) => vec![d],
            EdtfValue::Interval { start, end } => {
                [start, end].into_iter().filter_map(IntervalEnd::date).collect()
            }
            EdtfValue::Set { members, .. } => members
                .iter()
                .flat_map(|m| match m {
                    SetMember::Range(a, b) => vec![a, b],
                    SetMember::Date(d) | SetMember::Earlier(d) | SetMember::Later(d) => vec![d],
                })
                .collect(),
        }
    }
    /// Whether it is an interval (`a/b`); sets are not intervals.
    pub fn is_interval(&self) -> bool {
        matches!(self.value, EdtfValue::Interval { .. })
    }
    /// Whether it is a set (`[…]` or `{…}`).
    pub fn is_set(&self) -> bool {
        matches!(self.value, EdtfValue::Set { .. })
    }
    /// Whether any date is qualified `~` or `%`.
    pub fn is_approximate(&self) -> bool {
        self.dates().iter().any(|d| d.qualifier.is_some_and(Qualifier::is_approximate))
    }
    /// Whether any date is qualified `?` or `%`.
    pub fn is_uncertain(&self) -> bool {
        self.dates().iter().any(|d| d.qualifier.is_some_and(Qualifier::is_uncertain))
    }
    /// Whether any digit is `X`.
    pub fn has_unspecified(&self) -> bool {
        self.dates().iter().any(|d| d.has_unspecified())
    }
    /// The spans of the parts: one for a date or interval, one per member of a set.
    fn spans(&self) -> Vec<Span> {
        let date = |d: &EdtfDate| date_span(d);
        match &self.value {
            EdtfValue::Date(d) => vec![(Some(date(d).0), Some(date(d).1))],
            EdtfValue::Interval { start, end } => {
                vec![(start.date().map(|d| date(d).0), end.date().map(|d| date(d).1))]
            }
            EdtfValue::Set { members, .. } => members
                .iter()
                .map(|m| match m {
                    SetMember::Date(d) => (Some(date(d).0), Some(date(d).1)),
                    SetMember::Range(a, b) => (Some(date(a).0), Some(date(b).1)),
                    SetMember::Earlier(d) => (None, Some(date(d).1)),
                    SetMember::Later(d) => (Some(date(d).0), None),
                })
                .collect(),
        }
    }
    /// The overall span: minimum of starts and maximum of ends, `None` if any is open.
    fn span(&self) -> Span {
        let spans = self.spans();
        let lo = spans.iter().map(|s| s.0).min().flatten(); // `None` sorts first
        let hi = spans.iter().try_fold(i64::MIN, |m, s| s.1.map(|h| m.max(h)));
        (lo, hi)
    }
    /// Earliest day the value can denote; `None` when open or unknown at the start (or
    /// beyond [`Day`]'s range). For a set, the earliest of its members.
    pub fn earliest(&self) -> Option<Day> {
        to_day(self.span().0)
    }
    /// Latest day the value can denote; `None` when open or unknown at the end (or
    /// beyond [`Day`]'s range). For a set, the latest of its members.
    pub fn latest(&self) -> Option<Day> {
        to_day(self.span().1)
    }
    /// `(earliest, latest)`.
    pub fn bounds(&self) -> (Option<Day>, Option<Day>) {
        let (lo, hi) = self.span();
        (to_day(lo), to_day(hi))
    }
    /// Whether the two values can denote a common day. Open and unknown ends extend
    /// forever; a set is compared member by member, so `[1870,1872]` does not overlap `1871`.
    pub fn overlaps(&self, other: &Edtf) -> bool {
        let theirs = other.spans();
        self.spans().into_iter().any(|a| theirs.iter().any(|&b| spans_overlap(a, b)))
    }
    /// The year of the earliest day, else of the latest (also for `Y` years beyond
    /// [`Day`]'s range).
    pub fn year(&self) -> Option<i32> {
        let (lo, hi) = self.span();
        i32::try_from(civil_from_days(lo.or(hi)?).0).ok()
    }
}

impl Ord for Edtf {
    /// By earliest day (open or unknown first), then latest day (open or unknown last),
    /// then the canonical string.
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |e: &Edtf| {
            let (lo, hi) = e.span();
            (lo, hi.is_none(), hi)
        };
        key(self).cmp(&key(other)).then_with(|| self.to_string().cmp(&other.to_string()))
    }
}
impl PartialOrd for Edtf {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// ---------------------------------------------------------------- formatting

fn fmt_year(f: &mut fmt::Formatter<'_>, year: i32, unspecified: u8) -> fmt::Result {
    if year.unsigned_abs() > 9999 {
        return write!(f, "Y{year}");
    }
    let mut digits = format!("{:04}", year.unsigned_abs());
    let n = usize::from(unspecified.min(4));
    digits.replace_range(4 - n.., &"X".repeat(n));
    write!(f, "{}{digits}", if year < 0 { "-" } else { "" })
}

impl fmt::Display for Part {
    /// `05` or `XX`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Known(n) => write!(f, "{n:02}"),
            Part::Unspecified => f.write_str("XX"),
        }
    }
}

impl fmt::Display for EdtfDate {
    /// EDTF: `1985-04-XX~`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_year(f, self.year, self.unspecified_year_digits)?;
        if let Some(s) = self.season {
            write!(f, "-{}", s.code())?;
        }
        if let Some(m) = self.month {
            write!(f, "-{m}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d}")?;
        }
        match self.qualifier {
            Some(q) => write!(f, "{}", q.symbol()),
            None => Ok(()),
        }
    }
}

impl fmt::Display for IntervalEnd {
    /// The date, `..` or nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalEnd::Date(d) => d.fmt(f),
            IntervalEnd::Open => f.write_str(".."),
            IntervalEnd::Unknown => Ok(()),
        }
    }
}

impl fmt::Display for SetMember {
    /// `a`, `a..b`, `..a` or `a..`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetMember::Date(d) => write!(f, "{d}"),
            SetMember::Range(a, b) => write!(f, "{a}..{b}"),
            SetMember::Earlier(d) => write!(f, "..{d}"),
            SetMember::Later(d) => write!(f, "{d}.."),
        }
    }
}

impl fmt::Display for EdtfValue {
    /// Canonical EDTF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EdtfValue::Date(d) => d.fmt(f),
            EdtfValue::Interval { start, end } => write!(f, "{start}/{end}"),
            EdtfValue::Set { kind, members } => {
                let (open, close) = match kind {
                    SetKind::OneOf => ('[', ']'),
                    SetKind::AllOf => ('{', '}'),
                };
                write!(f, "{open}")?;
                for (i, m) in members.iter().enumerate() {
                    write!(f, "{}{m}", if i > 0 { "," } else { "" })?;
                }
                write!(f, "{close}")
            }
        }
    }
}

impl fmt::Display for Edtf {
    /// Canonical EDTF, as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

// ---------------------------------------------------------------- parsing

const ALLOWED: &str = "0123456789X-Y?~%/.[]{},";

fn parse_value(s: &str) -> Result<EdtfValue, String> {
    if s.is_empty() {
        return Err("the text is empty".into());
    }
    if let Some(c) = s.chars().find(|c| !ALLOWED.contains(*c)) {
        return Err(match c {
            c if c.is_whitespace() => "it contains whitespace (trim it first)".into(),
            'T' | ':' => "times of day are not supported".into(),
            c => format!("unexpected character `{c}`"),
        });
    }
    if s.starts_with(['[', '{']) {
        let (kind, close) = match s.as_bytes()[0] {
            b'[' => (SetKind::OneOf, ']'),
            _ => (SetKind::AllOf, '}'),
        };
        let inner =
            s[1..].strip_suffix(close).ok_or_else(|| format!("the set is not closed with `{close}`"))?;
        if inner.is_empty() {
            return Err("a set needs at least one member".into());
        }
        let members = inner.split(',').map(parse_member).collect::<Result<_, _>>()?;
        return Ok(EdtfValue::Set { kind, members });
    }
    if let Some((a, b)) = s.split_once('/') {
        if b.contains('/') {
            return Err("an interval has exactly one `/`".into());
        }
        let end = |t: &str| match t {
            "" => Ok(IntervalEnd::Unknown),
            ".." => Ok(IntervalEnd::Open),
            t => parse_date(t).map(IntervalEnd::Date),
        };
        return Ok(EdtfValue::Interval { start: end(a)?, end: end(b)? });
    }
    parse_date(s).map(EdtfValue::Date)
}

fn parse_member(s: &str) -> Result<SetMember, String> {
    let Some((a, b)) = s.split_once("..") else {
        if s.is_empty() {
            return Err("a set member is empty".into());
        }
        return parse_date(s).map(SetMember::Date);
    };
    if b.contains("..") {
        return Err(format!("the set member `{s}` has more than one `..`"));
    }
    Ok(match (a.is_empty(), b.is_empty()) {
        (true, true) => return Err("`..` alone is not a set member".into()),
        (true, false) => SetMember::Earlier(parse_date(b)?),
        (false, true) => SetMember::Later(parse_date(a)?),
        (false, false) => SetMember::Range(parse_date(a)?, parse_date(b)?),
    })
}

fn parse_date(s: &str) -> Result<EdtfDate, String> {
    let (body, qualifier) = match s.as_bytes().last() {
        Some(b'?') => (&s[..s.len() - 1], Some(Qualifier::Uncertain)),
        Some(b'~') => (&s[..s.len() - 1], Some(Qualifier::Approximate)),
        Some(b'%') => (&s[..s.len() - 1], Some(Qualifier::Both)),
        _ => (s, None),
    };
    if body.is_empty() {
        return Err("a qualifier needs a date before it".into());
    }
    if let Some(c) = body.chars().find(|c| !(c.is_ascii_digit() || "X-Y".contains(*c))) {
        return Err(if "?~%".contains(c) {
            "a qualifier (?, ~ or %) may only appear once, at the end of a date".into()
        } else {
            format!("unexpected character `{c}`")
        });
    }
    if let Some(digits) = body.strip_prefix('Y') {
        let unsigned = digits.strip_prefix('-').unwrap_or(digits);
        if unsigned.contains(['-', 'X', 'Y']) || unsigned.is_empty() {
            return Err("a Y-prefixed year is digits only, with no month or day".into());
        }
        if unsigned.len() <= 4 {
            return Err("the Y prefix is only for years with more than four digits".into());
        }
        if unsigned.starts_with('0') {
            return Err("a Y-prefixed year must not start with 0".into());
        }
        let year = digits.parse().map_err(|_| format!("year {digits} is out of range"))?;
        return Ok(EdtfDate { qualifier, ..EdtfDate::from_year(year) });
    }
    let (negative, rest) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    if rest.contains('Y') {
        return Err("the Y prefix must come first".into());
    }
    let parts: Vec<&str> = rest.split('-').collect();
    if parts.len() > 3 {
        return Err("a date has at most a year, a month and a day".into());
    }
    let year_text = parts[0];
    if year_text.len() != 4 {
        return Err(if year_text.len() > 4 && year_text.bytes().all(|b| b.is_ascii_digit()) {
            format!("a year of more than four digits needs the Y prefix (Y{year_text})")
        } else {
            "the year must have four digits".into()
        });
    }
    let all = parts.concat();
    if all.find('X').is_some_and(|i| all[i..].bytes().any(|b| b != b'X')) {
        return Err("an unspecified digit X may only be followed by X".into());
    }
    let unspecified_year_digits = year_text.bytes().filter(|&b| b == b'X').count() as u8;
    let magnitude: i32 = year_text.replace('X', "0").parse().expect("four digits");
    if negative && unspecified_year_digits > 0 {
        return Err("a negative year cannot have unspecified digits".into());
    }
    if negative && magnitude == 0 {
        return Err("year zero has no sign (write 0000)".into());
    }
    let part = |text: &str, what: &str| -> Result<Part, String> {
        match text {
            "XX" => Ok(Part::Unspecified),
            t if t.len() != 2 => Err(format!("the {what} must have two digits")),
            t if t.contains('X') => Err(format!("a partly unspecified {what} ({t}) is not supported")),
            t => Ok(Part::Known(t.parse().expect("two digits"))),
        }
    };
    let mut date = EdtfDate {
        qualifier,
        unspecified_year_digits,
        ..EdtfDate::from_year(if negative { -magnitude } else { magnitude })
    };
    if let Some(m) = parts.get(1) {
        match part(m, "month")? {
            Part::Known(n @ (21..=24 | 33..=36)) => date.season = Season::from_code(n),
            Part::Known(n @ 25..=41) => {
                return Err(format!("{n} is not a supported season (seasons are 21–24, quarters 33–36)"));
            }
            p => date.month = Some(p),
        }
    }
    if let Some(d) = parts.get(2) {
        date.day = Some(part(d, "day")?);
    }
    Ok(date)
}

// ---------------------------------------------------------------- validation

fn check_date(d: &EdtfDate) -> Result<(), String> {
    let n = d.unspecified_year_digits;
    if n > 0 {
        if n > 4 {
            return Err("a year has at most four unspecified digits".into());
        }
        if !(0..=9999).contains(&d.year) {
            return Err("only a year 0000–9999 can have unspecified digits".into());
        }
        if d.year % 10i32.pow(n.into()) != 0 {
            return Err(format!("the unspecified digits of year {} must be 0", d.year));
        }
    }
    if d.year.unsigned_abs() > 9999 && (d.month.is_some() || d.season.is_some() || d.day.is_some()) {
        return Err("a Y-prefixed year has no month, season or day".into());
    }
    if d.month.is_some() && d.season.is_some() {
        return Err("a date has a month or a season, not both".into());
    }
    if d.season.is_some() && d.day.is_some() {
        return Err("a season has no day".into());
    }
    if d.day.is_some() && d.month.is_none() {
        return Err("a day needs a month".into());
    }
    let known_after_x = (n > 0 && (d.known_month().is_some() || d.season.is_some()))
        || ((n > 0 || d.month == Some(Part::Unspecified)) && d.known_day().is_some());
    if known_after_x {
        return Err("an unspecified digit X may only be followed by X".into());
    }
    if let Some(m) = d.known_month() {
        if !(1..=12).contains(&m) {
            return Err(format!("month {m:02} does not exist"));
        }
        if let Some(day) = d.known_day()
            && (day == 0 || u32::from(day) > days_in_month(d.year.into(), m.into()))
        {
            let ym = EdtfDate { day: None, qualifier: None, ..*d };
            return Err(format!("day {day:02} does not exist in {ym}"));
        }
    }
    Ok(())
}

fn check_order(a: &EdtfDate, b: &EdtfDate, what: &str) -> Result<(), String> {
    if date_span(b).1 < date_span(a).0 {
        return Err(format!("the {what} ends ({b}) before it starts ({a})"));
    }
    Ok(())
}

fn check_value(v: &EdtfValue) -> Result<(), String> {
    match v {
        EdtfValue::Date(d) => check_date(d),
        EdtfValue::Interval { start, end } => {
            for e in [start, end] {
                if let IntervalEnd::Date(d) = e {
                    check_date(d)?;
                }
            }
            match (start, end) {
                (IntervalEnd::Date(a), IntervalEnd::Date(b)) => check_order(a, b, "interval"),
                (IntervalEnd::Date(_), _) | (_, IntervalEnd::Date(_)) => Ok(()),
                _ => Err("both ends of the interval are open or unknown".into()),
            }
        }
        EdtfValue::Set { members, .. } => {
            if members.is_empty() {
                return Err("a set needs at least one member".into());
            }
            for (i, m) in members.iter().enumerate() {
                match m {
                    SetMember::Date(d) => check_date(d)?,
                    SetMember::Range(a, b) => {
                        check_date(a)?;
                        check_date(b)?;
                        check_order(a, b, "range")?;
                    }
                    SetMember::Earlier(d) => {
                        check_date(d)?;
                        if i != 0 {
                            return Err(format!("`..{d}` may only be the first member of a set"));
                        }
                    }
                    SetMember::Later(d) => {
                        check_date(d)?;
                        if i + 1 != members.len() {
                            return Err(format!("`{d}..` may only be the last member of a set"));
                        }
                    }
                }
            }
            Ok(())
        }
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
