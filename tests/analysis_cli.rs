//! `keruen stats matrix|network|series|profile`, `keruen jubilees` and `keruen chart`
//! through the real binary, on the fixture of `cooperation_fixture` (issue 6).
mod common;
mod cooperation_fixture;
use common::Sandbox;
use cooperation_fixture as fx;
use serde_json::Value;

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("fixture.jsonl", fx::jsonl());
    sb.keruen(&["import", "fixture.jsonl"]).ok();
    sb
}

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&sb.keruen(&all).ok().stdout).expect("JSON output")
}

fn cell(m: &Value, a: &str, b: &str, year: Option<i64>) -> u64 {
    m["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["a"] == a && c["b"] == b && c["year"].as_i64() == year)
        .map(|c| c["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn the_matrix_counts_accepted_events_per_pair_and_year() {
    let sb = sandbox();
    let m = json(&sb, &["stats", "matrix"]);
    // e02, e06, e11; e09 is a candidate and does not count.
    assert_eq!(cell(&m, "KZ", "UZ", Some(2009)), 3);
    assert_eq!(cell(&m, "KZ", "UZ", Some(2011)), 0);
    // e01 in 2008, e11 in 2009 (28 Dec – 3 Jan counts in its first year); e08 was cancelled.
    assert_eq!(cell(&m, "KZ", "TM", Some(2008)), 1);
    assert_eq!(cell(&m, "KZ", "TM", Some(2009)), 1);
    assert_eq!(cell(&m, "TJ", "UZ", None), 1);
    assert_eq!(cell(&m, "KZ", "UZ", Some(1997)), 1);
    let kz_uz_2009 = m["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["a"] == "KZ" && c["b"] == "UZ" && c["year"] == 2009)
        .unwrap();
    assert_eq!(kz_uz_2009["by_type"]["festival"], 1);
    assert_eq!(kz_uz_2009["by_type"]["summit"], 1);
    assert_eq!(m["names"]["KZ"], "Kazakhstan");
    // Every counted event with two or more states appears: the sum of cells equals the
    // number of (event, pair) combinations in the fixture.
    let expected: usize = fx::counted()
        .map(|e| {
            let n = e.parts.iter().filter(|(p, _)| p.len() == 2).count();
            n * n.saturating_sub(1) / 2
        })
        .sum();
    let total: u64 = m["cells"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, expected);

    let d = json(&sb, &["stats", "matrix", "--directed"]);
    assert_eq!(cell(&d, "UZ", "KZ", Some(2009)), 1);
    assert_eq!(cell(&d, "KZ", "UZ", Some(2009)), 1);
    assert_eq!(cell(&d, "KZ", "TM", Some(2008)), 1);
    // Signatories and participants have no direction.
    assert_eq!(cell(&d, "KZ", "UZ", Some(1997)) + cell(&d, "UZ", "KZ", Some(1997)), 0);

    let f = json(&sb, &["stats", "matrix", "--from", "2009", "--to", "2009", "--type", "festival"]);
    assert_eq!(f["cells"].as_array().unwrap().len(), 3, "{f}"); // e02: KG–KZ, KG–UZ, KZ–UZ
    let c = json(&sb, &["stats", "matrix", "--status", "cancelled"]);
    assert_eq!(cell(&c, "KZ", "TM", Some(2009)), 1);

    let table = sb.keruen(&["stats", "matrix", "--totals", "--lang", "ru"]).ok().stdout;
    let kz_uz = table.lines().find(|l| l.starts_with("KZ–UZ")).expect(&table);
    assert!(kz_uz.contains("Казахстан – Узбекистан"), "{kz_uz}");
    assert_eq!(kz_uz.split_whitespace().nth(1), Some("4"), "e02 e03 e06 e11: {kz_uz}");
}

#[test]
fn the_network_weights_shared_events_and_leaves_out_places() {
    let sb = sandbox();
    let n = json(&sb, &["stats", "network"]);
    let ids: Vec<&str> = n["nodes"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"org:turksoy") && ids.contains(&"person:test-poet"), "{ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("place:")), "{ids:?}");
    let weight = |a: &str, b: &str| {
        n["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == a && e["target"] == b)
            .map(|e| e["weight"].as_u64().unwrap())
    };
    assert_eq!(weight("KZ", "UZ"), Some(4)); // e02 e03 e06 e11
    assert_eq!(weight("KZ", "TM"), Some(3)); // e01 e05 e11
    assert_eq!(weight("KG", "person:test-poet"), Some(1));
    assert_eq!(weight("KZ", "person:test-poet"), None);
    let poet = n["nodes"].as_array().unwrap().iter().find(|x| x["id"] == "person:test-poet").unwrap();
    assert_eq!((poet["degree"].as_u64(), poet["kind"].as_str()), (Some(2), Some("person")));
    let communities = n["communities"].as_u64().unwrap();
    assert!(communities >= 1);
    for node in n["nodes"].as_array().unwrap() {
        assert!(node["community"].as_u64().unwrap() < communities);
        let b = node["betweenness"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&b), "{node}");
    }
    let table = sb.keruen(&["stats", "network", "--top", "3"]).ok().stdout;
    assert!(table.starts_with(&format!("{} nodes", ids.len())), "{table}");
    assert_eq!(table.lines().count(), 1 + 1 + 3, "{table}");
}

#[test]
fn series_and_profile() {
    let sb = sandbox();
    let s = json(&sb, &["stats", "series"]);
    let years: Vec<i64> = s["years"].as_array().unwrap().iter().map(|y| y.as_i64().unwrap()).collect();
    assert_eq!((years[0], *years.last().unwrap()), (1992, 2010));
    assert_eq!(years.len(), 19, "consecutive years");
    let kz = s["rows"].as_array().unwrap().iter().find(|r| r["label"] == "KZ").unwrap();
    let at = |y: i64| kz["counts"][(y - 1992) as usize].as_u64().unwrap();
    assert_eq!((at(1992), at(1997), at(2008), at(2009), at(2010)), (1, 1, 1, 3, 0));
    assert_eq!(kz["total"], 6);
    let by_type = json(&sb, &["stats", "series", "--country", "uz", "--type", "festival"]);
    assert_eq!(by_type["country"], "UZ");
    let fest = &by_type["rows"][0];
    assert_eq!(
        (fest["label"].as_str(), fest["undated"].as_u64(), fest["total"].as_u64()),
        (Some("festival"), Some(1), Some(2))
    );

    let p = json(&sb, &["stats", "profile", "KZ"]);
    let partners: Vec<(&str, u64)> = p["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["id"].as_str().unwrap(), x["events"].as_u64().unwrap()))
        .collect();
    assert_eq!(partners, [("UZ", 4), ("TM", 3), ("KG", 2), ("TJ", 1)]);
    assert_eq!(p["first_contact"]["event"], "e05");
    assert_eq!(p["latest_contact"]["event"], "e11");
    assert_eq!(p["events"], 6);
    let text = sb.keruen(&["stats", "profile", "KZ", "--lang", "ru"]).ok().stdout;
    assert!(text.starts_with("Казахстан (KZ)"), "{text}");
    assert!(
        text.contains("1992-10-05 Diplomatic relations between Kazakhstan and Turkmenistan [e05]"),
        "{text}"
    );
    sb.keruen(&["stats", "profile", "Kazakhstan"]).fails_with(1, "not a country code");
    sb.keruen(&["stats", "matrix", "--from", "2010", "--to", "2000"]).fails_with(1, "ends before it starts");
    sb.keruen(&["stats", "matrix", "--type", "party"]).fails_with(1, "--type: unknown event type `party`");
    // Without a measure, the summary of issue 2 stays.
    let summary = sb.keruen(&["stats"]).ok().stdout;
    assert!(summary.starts_with("events:        11"), "{summary}");
}

fn jubilee<'a>(list: &'a Value, subject: &str, occasion: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|j| j["subject"] == subject && j["occasion"] == occasion)
}

#[test]
fn jubilees_follow_the_edtf_of_their_origin() {
    let sb = sandbox();
    let j = json(&sb, &["jubilees", "--year", "2027"]);
    let poet = jubilee(&j, "person:test-poet", "birth").expect("100th birthday");
    assert_eq!(
        (poet["years"].as_u64(), poet["month"].as_u64(), poet["day"].as_u64()),
        (Some(100), Some(10), Some(13))
    );
    assert_eq!((poet["major"].as_bool(), poet["approximate"].as_bool()), (Some(true), Some(false)));
    assert_eq!(jubilee(&j, "person:test-poet", "death").unwrap()["years"], 50);
    assert_eq!(jubilee(&j, "org:test-institute", "founding").unwrap()["years"], 30);
    let epic = jubilee(&j, "work:test-epic", "first_appearance").expect("199X gives a range");
    assert_eq!((epic["year_from"].as_i64(), epic["year_to"].as_i64()), (Some(2020), Some(2029)));
    assert_eq!((epic["range"].as_bool(), epic["unspecified"].as_bool()), (Some(true), Some(true)));
    assert_eq!(jubilee(&j, "e03", "agreement").unwrap()["years"], 30);
    assert_eq!(jubilee(&j, "e10", "founding").unwrap()["years"], 25);
    assert!(jubilee(&j, "e05", "diplomatic_relations").is_none(), "35 is not round");
    assert!(jubilee(&j, "person:test-sage", "birth").is_none());
    // Sorted by year, then month and day; the range of 2020–2029 comes first.
    let years: Vec<i64> = j.as_array().unwrap().iter().map(|x| x["year_from"].as_i64().unwrap()).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]), "{years:?}");

    let later = json(&sb, &["jubilees", "--year", "2041", "--to", "2051", "--country", "UZ"]);
    let sage = jubilee(&later, "person:test-sage", "birth").expect("600th of 1441~");
    assert_eq!((sage["years"].as_u64(), sage["approximate"].as_bool()), (Some(600), Some(true)));
    assert!(
        later.as_array().unwrap().iter().all(|x| x["countries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "UZ"))
    );

    let table = sb.keruen(&["jubilees", "--year", "2027", "--country", "KZ", "--lang", "ru"]).ok().stdout;
    assert!(
        table.contains("2027-10-13") && table.contains("100 лет со дня рождения: Тестовый поэт"),
        "{table}"
    );
    assert!(!table.contains("Тестовый институт"), "another state's institute: {table}");
    sb.keruen(&["jubilees", "--year", "2030", "--to", "2027"]).fails_with(1, "ends before it starts");
}

#[test]
fn charts_are_svg_with_titles_and_names_in_the_language() {
    let sb = sandbox();
    for (kind, needle) in [("matrix", "Узбекистан"), ("timeline", "Казахстан"), ("network", "Тестовый поэт")]
    {
        let file = format!("{kind}.svg");
        sb.keruen(&["chart", kind, "--out", &file, "--lang", "ru"]).ok();
        let svg = std::fs::read_to_string(sb.path(&file)).unwrap();
        assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"), "{kind}");
        assert!(svg.contains(needle), "{kind}: no {needle}");
        assert!(svg.contains("<title>"), "{kind}: no title");
    }
    let svg = std::fs::read_to_string(sb.path("timeline.svg")).unwrap();
    assert!(svg.contains(">Год</text>") && svg.contains(">События</text>"), "axis labels");
    sb.keruen(&["chart", "timeline", "--country", "KZ", "--out", "kz.svg"]).ok();
    assert!(
        std::fs::read_to_string(sb.path("kz.svg")).unwrap().contains("Kazakhstan: events per year by type")
    );
    sb.keruen(&["chart", "matrix", "--out", "m.gif"]).fails_with(1, "name the file .svg or .png");
    assert!(!sb.path("m.gif").exists(), "nothing written");
}

#[test]
fn a_png_chart_is_the_svg_drawn_at_twice_its_size_with_its_words() {
    let sb = sandbox();
    sb.keruen(&["chart", "matrix", "--lang", "ru", "--out", "m.svg"]).ok();
    sb.keruen(&["chart", "matrix", "--lang", "ru", "--out", "m.png"]).ok();
    let svg = std::fs::read_to_string(sb.path("m.svg")).unwrap();
    let width: f32 = svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let png = resvg::tiny_skia::Pixmap::load_png(sb.path("m.png")).expect("a PNG that decodes");
    assert_eq!(png.width() as f32, 2.0 * width);
    // Dark pixels are the words (titles, names, counts) and the darkest cells: a chart
    // drawn without fonts or blank would have none or only the cells.
    let dark = png.pixels().iter().filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80).count();
    let all = png.pixels().len();
    assert!(dark > all / 1000, "{dark} dark pixels of {all}");
    // The words are drawn: a version of the chart without any text has far fewer.
    let no_text = svg.lines().filter(|l| !l.trim_start().starts_with("<text")).collect::<Vec<_>>().join("\n");
    let tree = resvg::usvg::Tree::from_str(&no_text, &resvg::usvg::Options::default()).unwrap();
    let mut bare = resvg::tiny_skia::Pixmap::new(png.width(), png.height()).unwrap();
    bare.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(2.0, 2.0), &mut bare.as_mut());
    let bare_dark = bare.pixels().iter().filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80).count();
    assert!(dark > 2 * bare_dark + 1000, "text adds dark pixels: {dark} against {bare_dark} without text");
}
