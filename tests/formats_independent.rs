//! Every export format, read by a parser keruen did not write (issue 6): the test
//! exports the fixture of `cooperation_fixture`, writes what it expects to
//! `expect.json`, and runs `scripts/check_formats.py` with the Python of the
//! virtualenv named by `KERUEN_VENV` (icalendar, networkx, rdflib, citeproc-py,
//! bibtexparser, geojson; `scripts/python-requirements.txt`). Without `KERUEN_VENV`
//! the test fails under CI (`CI=true`) and is skipped with a notice elsewhere.
mod common;
mod cooperation_fixture;
use common::{Sandbox, repo};
use cooperation_fixture as fx;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn python() -> Option<PathBuf> {
    match std::env::var_os("KERUEN_VENV") {
        Some(venv) => {
            let py = PathBuf::from(venv).join("bin").join("python");
            assert!(py.exists(), "KERUEN_VENV is set but {} does not exist", py.display());
            Some(py)
        }
        None if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "KERUEN_VENV is not set: create a virtualenv from scripts/python-requirements.txt and point KERUEN_VENV at it \
             (scripts/test.sh does both)"
        ),
        None => {
            eprintln!(
                "notice: KERUEN_VENV is not set; skipping the independent parsers of the export formats \
                 (python -m venv .venv && .venv/bin/pip install -r scripts/python-requirements.txt; export KERUEN_VENV=.venv)"
            );
            None
        }
    }
}

/// The day after an ISO date.
fn next_day(iso: &str) -> String {
    let (y, m, d) = (
        iso[..4].parse::<i32>().unwrap(),
        iso[5..7].parse::<u32>().unwrap(),
        iso[8..].parse::<u32>().unwrap(),
    );
    let dim = match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (y, m, d) = if d < dim {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    format!("{y:04}-{m:02}-{d:02}")
}

fn expectations(modularity: f64) -> Value {
    // Calendar: accepted, dated events (cancelled ones too, marked CANCELLED).
    let in_ics: Vec<&fx::Ev> =
        fx::EVENTS.iter().filter(|e| e.review == "accepted" && e.date.is_some()).collect();
    let ics_events = json!({
        "e01": {"summary": "Days of Culture of Turkmenistan in Kazakhstan", "start": "2008-04-25", "end": next_day("2008-05-02")},
        "e02": {"summary": "Festival of Turkic music in Tashkent", "start": "2009-09-01", "end": "2009-10-01"},
        "e04": {"summary": "Conference on oral epics in Bishkek", "start": "2010-01-01", "end": "2011-01-01"},
        "e05": {"summary": "Diplomatic relations between Kazakhstan and Turkmenistan", "start": "1992-10-05", "end": "1992-10-06"},
    });
    // Network: states, organisations and people of counted events; places are not nodes.
    let mut nodes = std::collections::BTreeSet::new();
    let mut edges: BTreeMap<String, u64> = BTreeMap::new();
    for e in fx::counted() {
        let mut members: Vec<&str> =
            e.parts.iter().map(|(p, _)| *p).filter(|p| !p.starts_with("place:")).collect();
        members.sort();
        nodes.extend(members.iter().copied());
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                *edges.entry(format!("{a}|{b}")).or_default() += 1;
            }
        }
    }
    let by_event = |e: &fx::Ev| {
        json!({"title": e.title, "date": e.date.unwrap_or(""), "places": e.places,
               "participants": e.parts.iter().map(|(p, r)| json!([p, r])).collect::<Vec<_>>()})
    };
    json!({
        "events_ics": {"count": in_ics.len(), "events": ics_events},
        "jubilees_ics": {
            "jubilee-person-test-poet-birth-100@keruen": {"start": "2027-10-13", "summary": "100th anniversary of the birth of Test Poet"},
            "jubilee-person-test-poet-death-50@keruen": {"start": "2027-07-12", "summary": "Test Poet"},
            "jubilee-work-test-epic-first_appearance-30@keruen": {"start": "2027-01-01", "summary": "Test Epic"},
            "jubilee-e03-agreement-30@keruen": {"start": "2027-05-01", "summary": "Treaty of eternal friendship (test)"},
        },
        "network": {
            "nodes": nodes, "edge_count": edges.len(), "edges": edges, "modularity": modularity,
            "labels": {"KZ": "Kazakhstan", "person:test-poet": "Test Poet", "org:test-institute": "Test Institute"},
        },
        "jsonld": {
            "events": fx::EVENTS.len(), "sources": 2,
            "by_event": {"e01": by_event(&fx::EVENTS[0]), "e03": by_event(&fx::EVENTS[2]), "e11": by_event(&fx::EVENTS[10])},
        },
        "sources": {
            "titles": {"src-a": "Cultural cooperation in Central Asia: a test & a check", "src-b": "Опись дел фонда 1987"},
            "years": {"src-a": 2020, "src-b": 1993},
            "archive_location": {"src-b": "ф. 1987, оп. 1, д. 45, л. 3-5"},
            "bibtex_keys": ["src-a", "src-b"],
            "bibtex_fields": {
                "src-a": {"title": "Cultural cooperation in Central Asia: a test \\& a check", "pages": "803--814",
                          "journal": "Journal of Tests", "year": "2020", "doi": "10.1234/test.5",
                          "author": "Adiyet, Kairken and Ayagan, Burkitbay"},
                "src-b": {"title": "Опись дел фонда 1987", "note": "ЦГА РК, ф. 1987, оп. 1, д. 45, л. 3-5"},
            },
        },
        "places": {
            // e06 (2009) and e11 (2009-12-28/2010-01-03) were held there.
            "place:test-town": {"lon": 69.62, "lat": 40.28, "names": ["Test Town", "Тестоград", "Old Test"],
                                "events": 2, "start": "2009-01-01", "end": "2010-01-03"},
        },
        "csv": {
            "rows": fx::EVENTS.len(),
            "columns": ["id", "type", "title", "date", "status", "review", "countries", "participants", "places",
                        "sectors", "description", "evidence"],
            "cells": {"e01": {"countries": "KZ;TM", "participants": "KZ:host;TM:guest", "date": "2008-04-25/2008-05-02"},
                      "e03": {"description": "Signed in Tashkent; ratified later.", "sectors": "politics;culture"}},
        },
        "charts": {
            "matrix.svg": ["Казахстан", "Узбекистан", "События"],
            "timeline.svg": ["Год", "События", "Казахстан"],
            "network.svg": ["Тестовый поэт", "Сообщества"],
        },
    })
}

#[test]
fn every_format_reads_in_an_independent_parser() {
    let Some(py) = python() else { return };
    let sb = Sandbox::new();
    sb.write("fixture.jsonl", fx::jsonl());
    sb.keruen(&["import", "fixture.jsonl"]).ok();
    for (format, file) in [
        ("ical", "events.ics"),
        ("gexf", "network.gexf"),
        ("graphml", "network.graphml"),
        ("jsonld", "data.jsonld"),
        ("csl", "sources.csl.json"),
        ("bibtex", "sources.bib"),
        ("linked-places", "places.geojson"),
        ("csv", "events.csv"),
    ] {
        sb.keruen(&["export", "--format", format, "--out", file]).ok();
    }
    sb.keruen(&["jubilees", "--year", "2027", "--format", "ics", "--out", "jubilees.ics"]).ok();
    for kind in ["matrix", "timeline", "network"] {
        sb.keruen(&["chart", kind, "--lang", "ru", "--out", &format!("{kind}.svg")]).ok();
    }
    let net: Value = serde_json::from_str(&sb.keruen(&["--json", "stats", "network"]).ok().stdout).unwrap();
    let expect = expectations(net["modularity"].as_f64().unwrap());
    sb.write("expect.json", serde_json::to_string_pretty(&expect).unwrap());
    let out = std::process::Command::new(py)
        .arg(repo().join("scripts/check_formats.py"))
        .arg(sb.dir.path())
        .output()
        .expect("run the Python checker");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check_formats.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
