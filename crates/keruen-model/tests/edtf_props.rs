//! Tests of the EDTF type: examples, bounds, ordering, overlaps and properties.
use keruen_model::edtf::{EdtfDate, EdtfValue, IntervalEnd, Part, Qualifier, Season, SetKind, SetMember};
use keruen_model::{Day, Edtf};
use proptest::prelude::*;

fn e(s: &str) -> Edtf {
    Edtf::parse(s).unwrap_or_else(|err| panic!("{err}"))
}

fn bounds(s: &str) -> (String, String) {
    let v = e(s);
    let show = |d: Option<Day>| d.map_or("none".to_string(), |d| d.to_string());
    (show(v.earliest()), show(v.latest()))
}

fn reason(s: &str) -> String {
    match Edtf::parse(s) {
        Ok(v) => panic!("`{s}` parsed as {v:?}"),
        Err(err) => {
            assert_eq!(err.input, s);
            assert!(err.to_string().contains("is not a valid EDTF date"), "{err}");
            err.reason
        }
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    (28..=31).rev().find(|&d| Day::from_ymd(y, m, d).is_some()).unwrap()
}

const VALID: &[&str] = &[
    "1995-11-05",
    "1995-11",
    "1995",
    "-0044",
    "-0044-03-15",
    "0000",
    "9999-12-31",
    "2008-04-25/2008-05-02",
    "1992/1993",
    "1995-11/1996-02",
    "199X",
    "19XX",
    "1XXX",
    "XXXX",
    "1985-XX-XX",
    "1985-04-XX",
    "1985-XX",
    "19XX-XX",
    "1441?",
    "1441~",
    "1441%",
    "2004-06~",
    "2004-06-11%",
    "2001-21",
    "2001-22",
    "2001-23",
    "2001-24",
    "2001-21?",
    "1992/..",
    "../2001",
    "/2001",
    "1992/",
    "1441~/1450?",
    "Y170000002",
    "Y-170000002",
    "Y10000~",
    "[1870,1872]",
    "{1870,1872}",
    "[1870..1872]",
    "[1667,1668,1670..1672]",
    "[..1760-12-03]",
    "[1760-12..]",
    "{..1760,1765,1770..}",
    "[1870]",
    "1996-02-29",
    "2000-02-29",
];

#[test]
fn valid_examples_round_trip() {
    for s in VALID {
        let v = e(s);
        assert_eq!(v.to_string(), *s);
        assert_eq!(s.parse::<Edtf>().unwrap(), v);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, format!("\"{s}\""));
        assert_eq!(serde_json::from_str::<Edtf>(&json).unwrap(), v);
    }
}

#[test]
fn invalid_examples_say_why() {
    let cases: &[(&str, &str)] = &[
        ("2019-13-45", "month 13 does not exist"),
        ("1992/1991", "the interval ends (1991) before it starts (1992)"),
        ("20X9", "an unspecified digit X may only be followed by X"),
        ("1995-02-30", "day 30 does not exist in 1995-02"),
        ("1996-02-30", "day 30 does not exist in 1996-02"),
        ("1900-02-29", "day 29 does not exist in 1900-02"),
        ("2019-00", "month 00 does not exist"),
        ("2019-04-31", "day 31 does not exist in 2019-04"),
        ("2019-04-00", "day 00 does not exist"),
        ("1995-11-05T", "times of day"),
        ("1995-11-05T10:00", "times of day"),
        ("", "empty"),
        ("abc", "unexpected character `a`"),
        ("19955", "Y prefix"),
        ("199", "four digits"),
        ("1995-1", "two digits"),
        ("1995-11-5", "two digits"),
        ("../..", "both ends"),
        ("/", "both ends"),
        ("../", "both ends"),
        ("1992//1993", "exactly one `/`"),
        ("[1870", "not closed"),
        ("{1870]", "not closed"),
        ("[]", "at least one member"),
        ("[1870,]", "empty"),
        ("[..]", "`..` alone"),
        ("[1870..1860]", "the range ends (1860) before it starts (1870)"),
        ("[1870,..1880]", "first member"),
        ("[1870..,1880]", "last member"),
        ("2001-25", "season"),
        ("2001-37", "quarters 33–36"),
        ("2001-20", "month 20 does not exist"),
        ("1985-XX-05", "an unspecified digit X may only be followed by X"),
        ("199X-05", "an unspecified digit X may only be followed by X"),
        ("199X-21", "an unspecified digit X may only be followed by X"),
        ("1984-1X", "partly unspecified month"),
        ("2001-21-05", "a season has no day"),
        (" 1992", "whitespace"),
        ("1992 ", "whitespace"),
        ("1441?~", "qualifier"),
        ("2004?-06", "qualifier"),
        ("?", "qualifier needs a date"),
        ("-0000", "year zero has no sign"),
        ("-19XX", "negative year"),
        ("Y1992", "more than four digits"),
        ("Y012345", "must not start with 0"),
        ("Y12345-01", "no month or day"),
        ("Y99999999999", "out of range"),
        ("1995-11-05-01", "at most a year, a month and a day"),
        ("199x", "unexpected character `x`"),
    ];
    for (input, expected) in cases {
        let r = reason(input);
        assert!(r.contains(expected), "`{input}`: {r:?} does not mention {expected:?}");
    }
}

#[test]
fn bounds_of_examples() {
    let cases: &[(&str, &str, &str)] = &[
        ("1995", "1995-01-01", "1995-12-31"),
        ("1995-02", "1995-02-01", "1995-02-28"),
        ("1996-02", "1996-02-01", "1996-02-29"),
        ("1995-11-05", "1995-11-05", "1995-11-05"),
        ("199X", "1990-01-01", "1999-12-31"),
        ("19XX", "1900-01-01", "1999-12-31"),
        ("XXXX", "0000-01-01", "9999-12-31"),
        ("1985-XX-XX", "1985-01-01", "1985-12-31"),
        ("1985-XX", "1985-01-01", "1985-12-31"),
        ("1985-04-XX", "1985-04-01", "1985-04-30"),
        ("1441~", "1441-01-01", "1441-12-31"),
        ("2004-06-11%", "2004-06-11", "2004-06-11"),
        ("2008-04-25/2008-05-02", "2008-04-25", "2008-05-02"),
        ("1995-11/1996-02", "1995-11-01", "1996-02-29"),
        ("2001-21", "2001-03-01", "2001-05-31"),
        ("2001-22", "2001-06-01", "2001-08-31"),
        ("2001-23", "2001-09-01", "2001-11-30"),
        ("2001-24", "2001-12-01", "2002-02-28"),
        ("2003-24", "2003-12-01", "2004-02-29"),
        ("1992/..", "1992-01-01", "none"),
        ("1992/", "1992-01-01", "none"),
        ("../2001", "none", "2001-12-31"),
        ("/2001", "none", "2001-12-31"),
        ("[1870,1872]", "1870-01-01", "1872-12-31"),
        ("{1872,1870-05}", "1870-05-01", "1872-12-31"),
        ("[1667,1668,1670..1672]", "1667-01-01", "1672-12-31"),
        ("[..1760-12-03]", "none", "1760-12-03"),
        ("[1760-12..]", "1760-12-01", "none"),
        ("-0044-03-15", "-0044-03-15", "-0044-03-15"),
        ("-0044", "-0044-01-01", "-0044-12-31"),
        ("Y170000002", "none", "none"),
        ("Y-170000002", "none", "none"),
        ("Y100000", "100000-01-01", "100000-12-31"),
    ];
    for (input, lo, hi) in cases {
        assert_eq!(bounds(input), (lo.to_string(), hi.to_string()), "{input}");
        let v = e(input);
        assert_eq!(v.bounds(), (v.earliest(), v.latest()));
    }
}

#[test]
fn year_of_values() {
    for (input, year) in [
        ("1992-10-05", Some(1992)),
        ("2001-24", Some(2001)),
        ("1992/..", Some(1992)),
        ("../2001", Some(2001)),
        ("199X", Some(1990)),
        ("-0044", Some(-44)),
        ("Y170000002", Some(170_000_002)),
        ("Y-170000002", Some(-170_000_002)),
        ("[..1760-12-03]", Some(1760)),
    ] {
        assert_eq!(e(input).year(), year, "{input}");
    }
}

#[test]
fn day_display_and_known_counts() {
    assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
    assert_eq!(Day::from_ymd(1969, 12, 31), Some(Day(-1)));
    assert_eq!(Day::from_ymd(2000, 3, 1), Some(Day(11_017)));
    assert_eq!(Day::from_ymd(0, 1, 1), Some(Day(-719_528)));
    assert_eq!(Day::from_ymd(1992, 10, 5).unwrap().to_string(), "1992-10-05");
    assert_eq!(Day::from_ymd(-44, 3, 15).unwrap().to_string(), "-0044-03-15");
    assert_eq!(Day::from_ymd(-1, 12, 31).unwrap().to_string(), "-0001-12-31");
    assert_eq!(Day::from_ymd(0, 2, 29).unwrap().to_string(), "0000-02-29");
    assert_eq!(Day::from_ymd(1900, 2, 29), None);
    assert_eq!(Day::from_ymd(2019, 13, 1), None);
    assert_eq!(Day::from_ymd(2019, 0, 1), None);
    assert_eq!(Day::from_ymd(2019, 1, 0), None);
    assert_eq!(Day::from_ymd(i32::MAX, 1, 1), None);
}

#[test]
fn sorting_is_by_bounds_then_text() {
    let expected = [
        "/1985",
        "../1990",
        "-0044-03-15",
        "1990-01",
        "1990",
        "1990~",
        "[1990,1995]",
        "199X",
        "1990/..",
        "Y170000002",
    ];
    let mut values: Vec<Edtf> = expected.iter().rev().map(|s| e(s)).collect();
    values.swap(0, 4);
    values.sort();
    let got: Vec<String> = values.iter().map(Edtf::to_string).collect();
    assert_eq!(got, expected);
}

#[test]
fn overlaps_examples() {
    let cases = [
        ("1992/..", "2020", true),
        ("1990/1991", "1995", false),
        ("1990/1991", "1991-12-31", true),
        ("../1800", "1700", true),
        ("/2001", "2002", false),
        ("[1870,1872]", "1871", false),
        ("[1870,1872]", "1872-05", true),
        ("[1870..1872]", "1871", true),
        ("{1870,1872}", "1871", false),
        ("2001-24", "2002-02", true),
        ("2001-24", "2001-11", false),
        ("199X", "1995-06-01", true),
        ("[..1760]", "1500", true),
        ("[1760..]", "1500", false),
        ("Y170000002", "2020", false),
    ];
    for (a, b, want) in cases {
        assert_eq!(e(a).overlaps(&e(b)), want, "{a} vs {b}");
        assert_eq!(e(b).overlaps(&e(a)), want, "{b} vs {a}");
    }
}

#[test]
fn structure_and_flags() {
    let v = e("1441~/1450?");
    assert!(v.is_interval() && !v.is_set());
    assert!(v.is_approximate() && v.is_uncertain() && !v.has_unspecified());
    let both = e("1441%");
    assert!(both.is_approximate() && both.is_uncertain());
    let plain = e("1441");
    assert!(!plain.is_approximate() && !plain.is_uncertain() && !plain.is_interval());
    assert!(e("1985-XX").has_unspecified());
    assert!(e("[1870,1872]").is_set() && !e("[1870,1872]").is_interval());

    let d = *e("1985-04-XX").as_date().unwrap();
    assert_eq!(d.year, 1985);
    assert_eq!(d.month, Some(Part::Known(4)));
    assert_eq!(d.day, Some(Part::Unspecified));
    assert_eq!((d.known_month(), d.known_day()), (Some(4), None));
    let s = *e("2001-23").as_date().unwrap();
    assert_eq!((s.season, s.month), (Some(Season::Autumn), None));
    // Quarters are level 2's sub-year groupings 33–36: the first is January to March.
    let q = e("2025-33");
    assert_eq!(q.as_date().unwrap().season, Some(Season::Quarter1));
    assert_eq!(q.to_string(), "2025-33");
    assert_eq!((q.earliest(), q.latest()), (Day::from_ymd(2025, 1, 1), Day::from_ymd(2025, 3, 31)));
    assert_eq!(e("2025-36").latest(), Day::from_ymd(2025, 12, 31));
    assert_eq!(e("19XX").as_date().unwrap().unspecified_year_digits, 2);
    match e("[1667,1670..1672]").value() {
        EdtfValue::Set { kind, members } => {
            assert_eq!(*kind, SetKind::OneOf);
            assert_eq!(members.len(), 2);
            assert!(matches!(members[1], SetMember::Range(a, b) if a.year == 1670 && b.year == 1672));
        }
        other => panic!("{other:?}"),
    }
    match e("/2001").value() {
        EdtfValue::Interval { start, end } => {
            assert_eq!(*start, IntervalEnd::Unknown);
            assert!(matches!(end, IntervalEnd::Date(d) if d.year == 2001));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e("[1870..1872,1875]").dates().len(), 3);
}

#[test]
fn constructors() {
    assert_eq!(Edtf::year_only(1992).to_string(), "1992");
    assert_eq!(Edtf::year_only(-44).to_string(), "-0044");
    assert_eq!(Edtf::year_only(0).to_string(), "0000");
    assert_eq!(Edtf::year_only(170_000_002).to_string(), "Y170000002");
    assert_eq!(Edtf::ymd(1992, 10, 5).unwrap().to_string(), "1992-10-05");
    assert_eq!(Edtf::ymd(1995, 2, 29), None);
    assert_eq!(Edtf::ymd(12_345, 1, 1), None);
    assert_eq!(Edtf::year_month(2019, 4).unwrap().to_string(), "2019-04");
    assert_eq!(Edtf::year_month(2019, 13), None);
    assert_eq!(Edtf::year_month(2019, 256), None);
    let y1992 = Edtf::year_only(1992);
    assert_eq!(Edtf::open_end(&y1992).unwrap().to_string(), "1992/..");
    let span = Edtf::between(&y1992, &Edtf::year_only(1995)).unwrap();
    assert_eq!(span.to_string(), "1992/1995");
    let err = Edtf::between(&Edtf::year_only(1995), &y1992).unwrap_err();
    assert!(err.reason.contains("before it starts"), "{err}");
    assert!(Edtf::open_end(&span).is_err());
    assert_eq!(
        Edtf::interval(IntervalEnd::Unknown, IntervalEnd::Date(EdtfDate::from_year(2001)))
            .unwrap()
            .to_string(),
        "/2001"
    );
    assert!(Edtf::interval(IntervalEnd::Open, IntervalEnd::Unknown).is_err());
    let circa = EdtfDate { qualifier: Some(Qualifier::Approximate), ..EdtfDate::from_year(1992) };
    assert_eq!(Edtf::new(EdtfValue::Date(circa)).unwrap().to_string(), "1992~");
    let bad =
        EdtfDate { month: Some(Part::Known(3)), season: Some(Season::Spring), ..EdtfDate::from_year(1992) };
    assert!(Edtf::new(EdtfValue::Date(bad)).is_err());
    let bad_x = EdtfDate { unspecified_year_digits: 1, ..EdtfDate::from_year(1995) };
    assert!(Edtf::new(EdtfValue::Date(bad_x)).is_err());
    let day_after_xx =
        EdtfDate { month: Some(Part::Unspecified), day: Some(Part::Known(5)), ..EdtfDate::from_year(1985) };
    let err = Edtf::new(EdtfValue::Date(day_after_xx)).unwrap_err();
    assert!(err.reason.contains("unspecified digit X"), "{err}");
    assert_eq!(err.input, "1985-XX-05");
    let empty = EdtfValue::Set { kind: SetKind::AllOf, members: vec![] };
    assert!(Edtf::new(empty).is_err());
}

#[test]
fn serde_rejects_invalid_strings() {
    let err = serde_json::from_str::<Edtf>("\"2019-13\"").unwrap_err();
    assert!(err.to_string().contains("month 13 does not exist"), "{err}");
}

// ---------------------------------------------------------------- properties

fn qualifier() -> impl Strategy<Value = Option<Qualifier>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Qualifier::Uncertain)),
        1 => Just(Some(Qualifier::Approximate)),
        1 => Just(Some(Qualifier::Both)),
    ]
}

fn date() -> impl Strategy<Value = EdtfDate> {
    let year = -9999i32..=9999;
    let full = (year.clone(), 1u32..=12, 0u32..=31, 0u8..3).prop_map(|(y, m, d, day_kind)| {
        let day = match day_kind {
            0 => None,
            1 => Some(Part::Unspecified),
            _ => Some(Part::Known((d % days_in_month(y, m) + 1) as u8)),
        };
        EdtfDate { month: Some(Part::Known(m as u8)), day, ..EdtfDate::from_year(y) }
    });
    let unspecified = (0i32..=9999, 0u8..=4, 0u8..3).prop_map(|(y, n, tail)| {
        let y = y - y % 10i32.pow(n.into());
        EdtfDate {
            unspecified_year_digits: n,
            month: (tail > 0).then_some(Part::Unspecified),
            day: (tail > 1).then_some(Part::Unspecified),
            ..EdtfDate::from_year(y)
        }
    });
    let season = (year, prop_oneof![21u8..=24, 33u8..=36])
        .prop_map(|(y, code)| EdtfDate { season: Season::from_code(code), ..EdtfDate::from_year(y) });
    let long = prop_oneof![10_000i32..=i32::MAX, i32::MIN..=-10_000].prop_map(EdtfDate::from_year);
    (prop_oneof![4 => full, 3 => unspecified, 1 => season, 1 => long], qualifier())
        .prop_map(|(d, qualifier)| EdtfDate { qualifier, ..d })
}

fn ordered(a: EdtfDate, b: EdtfDate) -> (EdtfDate, EdtfDate) {
    let ok = Edtf::interval(IntervalEnd::Date(a), IntervalEnd::Date(b)).is_ok();
    if ok { (a, b) } else { (b, a) }
}

fn interval_end() -> impl Strategy<Value = IntervalEnd> {
    prop_oneof![
        4 => date().prop_map(IntervalEnd::Date),
        1 => Just(IntervalEnd::Open),
        1 => Just(IntervalEnd::Unknown),
    ]
}

fn value() -> impl Strategy<Value = EdtfValue> {
    let interval =
        (interval_end(), interval_end(), date()).prop_map(|(start, end, fallback)| match (start, end) {
            (IntervalEnd::Date(a), IntervalEnd::Date(b)) => {
                let (a, b) = ordered(a, b);
                EdtfValue::Interval { start: IntervalEnd::Date(a), end: IntervalEnd::Date(b) }
            }
            (IntervalEnd::Date(_), _) | (_, IntervalEnd::Date(_)) => EdtfValue::Interval { start, end },
            (_, end) => EdtfValue::Interval { start: IntervalEnd::Date(fallback), end },
        });
    let member = prop_oneof![
        date().prop_map(SetMember::Date),
        (date(), date()).prop_map(|(a, b)| {
            let (a, b) = ordered(a, b);
            SetMember::Range(a, b)
        }),
    ];
    let set = (
        any::<bool>(),
        prop::collection::vec(member, 1..5),
        prop::option::of(date()),
        prop::option::of(date()),
    )
        .prop_map(|(one_of, mut members, earlier, later)| {
            if let Some(d) = earlier {
                members.insert(0, SetMember::Earlier(d));
            }
            if let Some(d) = later {
                members.push(SetMember::Later(d));
            }
            EdtfValue::Set { kind: if one_of { SetKind::OneOf } else { SetKind::AllOf }, members }
        });
    prop_oneof![3 => date().prop_map(EdtfValue::Date), 2 => interval, 1 => set]
}

fn edtf() -> impl Strategy<Value = Edtf> {
    value().prop_map(|v| Edtf::new(v.clone()).unwrap_or_else(|err| panic!("{v:?}: {err}")))
}

proptest! {
    #[test]
    fn format_then_parse_is_identity(v in edtf()) {
        let text = v.to_string();
        let back = Edtf::parse(&text).map_err(|err| TestCaseError::fail(err.to_string()))?;
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(back.to_string(), text);
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Edtf>(&json).unwrap(), v);
    }

    #[test]
    fn earliest_is_not_after_latest(v in edtf()) {
        if let (Some(lo), Some(hi)) = (v.earliest(), v.latest()) {
            prop_assert!(lo <= hi, "{}: {} > {}", v, lo, hi);
        }
        prop_assert!(v.overlaps(&v));
        prop_assert_eq!(v.bounds(), (v.earliest(), v.latest()));
    }

    #[test]
    fn ordering_is_total_and_consistent(a in edtf(), b in edtf()) {
        prop_assert_eq!(a.cmp(&a), std::cmp::Ordering::Equal);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a.cmp(&b) == std::cmp::Ordering::Equal, a == b);
        prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
    }

    #[test]
    fn day_precise_dates_are_one_day(y in -9999i32..=9999, m in 1u32..=12, d in 0u32..31) {
        let d = d % days_in_month(y, m) + 1;
        let v = Edtf::ymd(y, m, d).unwrap();
        let day = Day::from_ymd(y, m, d).unwrap();
        prop_assert_eq!(v.bounds(), (Some(day), Some(day)));
        prop_assert_eq!(v.year(), Some(y));
        prop_assert_eq!(Edtf::parse(&v.to_string()).unwrap(), v);
    }

    #[test]
    fn from_ymd_round_trips(y in -9999i32..=9999, m in 1u32..=12, d in 0u32..31) {
        let d = d % days_in_month(y, m) + 1;
        let day = Day::from_ymd(y, m, d).unwrap();
        prop_assert_eq!(day.ymd(), (y, m, d));
        let next = Day(day.0 + 1).ymd();
        let expected_next = if d < days_in_month(y, m) {
            (y, m, d + 1)
        } else if m < 12 {
            (y, m + 1, 1)
        } else {
            (y + 1, 1, 1)
        };
        prop_assert_eq!(next, expected_next);
    }

    #[test]
    fn day_count_round_trips(n in -5_000_000i32..=5_000_000) {
        let (y, m, d) = Day(n).ymd();
        prop_assert_eq!(Day::from_ymd(y, m, d), Some(Day(n)));
    }

    #[test]
    fn from_ymd_rejects_invalid(y in -9999i32..=9999, m in 1u32..=12, extra in 1u32..10, bad_m in 13u32..100) {
        prop_assert_eq!(Day::from_ymd(y, m, days_in_month(y, m) + extra), None);
        prop_assert_eq!(Day::from_ymd(y, m, 0), None);
        prop_assert_eq!(Day::from_ymd(y, bad_m, 1), None);
        prop_assert_eq!(Day::from_ymd(y, 0, 1), None);
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        prop_assert_eq!(Day::from_ymd(y, 2, 29).is_some(), leap);
    }
}
