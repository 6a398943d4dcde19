#!/usr/bin/env python3
"""Reads keruen's exports with parsers that keruen did not write, and checks them
against what the test that made them expects (issue 6).

    check_formats.py DIR

DIR holds the exported files and `expect.json`, written by tests/formats_independent.rs
from the fixture it imported. Parsers: icalendar (iCalendar), networkx (GEXF 1.3 and
GraphML, and networkx's own betweenness and modularity to compare with ours), rdflib
(JSON-LD), citeproc-py (CSL-JSON, rendered with the Harvard style it ships),
bibtexparser 2 (BibTeX), geojson (Linked Places), csv and xml.etree from the standard
library (CSV, SVG). Exits 1 with one line per failed check.
"""
import csv
import datetime
import json
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

failures = []
passed = 0


def check(cond, message):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(message)


def ics(d, expect):
    from icalendar import Calendar

    cal = Calendar.from_ical((d / "events.ics").read_bytes())
    events = {str(e.get("UID")): e for e in cal.walk("VEVENT")}
    check(len(events) == expect["events_ics"]["count"],
          f"events.ics: {len(events)} VEVENTs, expected {expect['events_ics']['count']}")
    for eid, want in expect["events_ics"]["events"].items():
        e = events.get(f"event-{eid}@keruen")
        check(e is not None, f"events.ics: no VEVENT for {eid}")
        if e is None:
            continue
        check(str(e.get("SUMMARY")) == want["summary"], f"events.ics {eid}: SUMMARY {e.get('SUMMARY')!r}")
        check(e.decoded("DTSTART") == datetime.date.fromisoformat(want["start"]),
              f"events.ics {eid}: DTSTART {e.decoded('DTSTART')} != {want['start']}")
        check(e.decoded("DTEND") == datetime.date.fromisoformat(want["end"]),
              f"events.ics {eid}: DTEND {e.decoded('DTEND')} != {want['end']}")
    for line in (d / "events.ics").read_bytes().split(b"\r\n"):
        check(len(line) <= 75, f"events.ics: a line of {len(line)} octets")

    cal = Calendar.from_ical((d / "jubilees.ics").read_bytes())
    jub = {str(e.get("UID")): e for e in cal.walk("VEVENT")}
    for uid, want in expect["jubilees_ics"].items():
        e = jub.get(uid)
        check(e is not None, f"jubilees.ics: no {uid}")
        if e is not None:
            check(e.decoded("DTSTART") == datetime.date.fromisoformat(want["start"]),
                  f"jubilees.ics {uid}: DTSTART {e.decoded('DTSTART')} != {want['start']}")
            check(want["summary"] in str(e.get("SUMMARY")), f"jubilees.ics {uid}: SUMMARY {e.get('SUMMARY')!r}")


def network(d, expect):
    import networkx as nx

    want = expect["network"]
    gexf = nx.read_gexf(d / "network.gexf", version="1.3")
    gml = nx.read_graphml(d / "network.graphml")
    for name, g in (("gexf", gexf), ("graphml", gml)):
        check(not g.is_directed(), f"{name}: directed")
        check(sorted(g.nodes) == sorted(want["nodes"]), f"{name}: nodes {sorted(g.nodes)}")
        for pair, w in want["edges"].items():
            a, b = pair.split("|")
            got = g.edges[a, b]["weight"] if g.has_edge(a, b) else None
            check(got == w, f"{name}: weight {a}–{b} is {got}, expected {w}")
        check(g.number_of_edges() == want["edge_count"], f"{name}: {g.number_of_edges()} edges")
        # networkx's betweenness with the distance we wrote equals ours.
        bc = nx.betweenness_centrality(g, weight="distance", normalized=True)
        for n, data in g.nodes(data=True):
            check(math.isclose(bc[n], float(data["betweenness"]), abs_tol=1e-9),
                  f"{name}: betweenness of {n}: ours {data['betweenness']}, networkx {bc[n]}")
            check(int(data["degree"]) == g.degree(n), f"{name}: degree of {n}")
            check(int(data["weighted_degree"]) == round(g.degree(n, weight="weight")), f"{name}: weighted degree of {n}")
        comms = {}
        for n, data in g.nodes(data=True):
            comms.setdefault(int(data["community"]), set()).add(n)
        q = nx.community.modularity(g, list(comms.values()), weight="weight")
        check(math.isclose(q, want["modularity"], abs_tol=1e-9), f"{name}: modularity ours {want['modularity']}, networkx {q}")
        for n, label in want["labels"].items():
            got = g.nodes[n].get("label")
            check(got == label, f"{name}: label of {n} is {got!r}, expected {label!r}")
    check(math.isclose(float(gml.graph["modularity"]), want["modularity"], abs_tol=1e-12), "graphml: graph modularity")


def jsonld(d, expect):
    import rdflib
    from rdflib import RDF, URIRef

    sdo = rdflib.Namespace("https://schema.org/")
    kv = rdflib.Namespace("urn:keruen:vocab:")
    g = rdflib.Graph()
    g.parse(d / "data.jsonld", format="json-ld")
    want = expect["jsonld"]
    events = set(g.subjects(RDF.type, sdo.Event))
    check(len(events) == want["events"], f"jsonld: {len(events)} schema:Event nodes, expected {want['events']}")
    works = set(g.subjects(kv.cslType, None))
    check(len(works) == want["sources"], f"jsonld: {len(works)} sources, expected {want['sources']}")
    for eid, e in want["by_event"].items():
        s = URIRef(f"urn:keruen:event/{eid}")
        check((s, RDF.type, sdo.Event) in g, f"jsonld: {s} is not a schema:Event")
        check(str(g.value(s, sdo.name)) == e["title"], f"jsonld {eid}: name {g.value(s, sdo.name)!r}")
        check(str(g.value(s, kv.edtf)) == e["date"], f"jsonld {eid}: edtf {g.value(s, kv.edtf)!r}")
        places = sorted(str(o) for o in g.objects(s, sdo.location))
        check(places == sorted(f"urn:keruen:entity/{p}" for p in e["places"]), f"jsonld {eid}: locations {places}")
        roles = sorted((str(g.value(r, sdo.roleName)), str(g.value(r, sdo.attendee))) for r in g.objects(s, sdo.attendee))
        check(roles == sorted((r, f"urn:keruen:entity/{p}") for p, r in e["participants"]), f"jsonld {eid}: roles {roles}")
    poet = URIRef("urn:keruen:entity/person:test-poet")
    check((poet, RDF.type, sdo.Person) in g, "jsonld: the poet is not a schema:Person")
    check(str(g.value(poet, sdo.birthDate)) == "1927-10-13", "jsonld: birthDate of the poet")
    town = URIRef("urn:keruen:entity/place:test-town")
    check((town, RDF.type, sdo.Place) in g, "jsonld: Test Town is not a schema:Place")
    geo = g.value(town, sdo.geo)
    check(geo is not None and float(g.value(geo, sdo.latitude)) == 40.28, "jsonld: latitude of Test Town")
    names = {(str(o), o.language) for o in g.objects(town, sdo.name)}
    check(("Тестоград", "ru") in names, f"jsonld: names of Test Town {names}")


def sources(d, expect):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    want = expect["sources"]
    items = json.loads((d / "sources.csl.json").read_text(encoding="utf-8"))
    check(sorted(i["id"] for i in items) == sorted(want["titles"]), f"csl: ids {[i['id'] for i in items]}")
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for i in items:
        bib.register(Citation([CitationItem(i["id"])]))
    rendered = "\n".join(str(x) for x in bib.bibliography())
    for sid, title in want["titles"].items():
        check(title in rendered, f"csl: {title!r} not in the rendered bibliography:\n{rendered}")
    for sid, year in want["years"].items():
        check(str(year) in rendered, f"csl: year {year} of {sid} not rendered")
    by_id = {i["id"]: i for i in items}
    for sid, loc in want["archive_location"].items():
        check(by_id[sid].get("archive_location") == loc, f"csl: archive_location of {sid}: {by_id[sid].get('archive_location')!r}")

    import bibtexparser

    lib = bibtexparser.parse_string((d / "sources.bib").read_text(encoding="utf-8"))
    check(not lib.failed_blocks, f"bibtex: {len(lib.failed_blocks)} blocks failed to parse")
    entries = {e.key: e for e in lib.entries}
    check(sorted(entries) == sorted(want["bibtex_keys"]), f"bibtex: keys {sorted(entries)}")
    for key, fields in want["bibtex_fields"].items():
        e = entries.get(key)
        for k, v in fields.items():
            got = e.fields_dict[k].value if e is not None and k in e.fields_dict else None
            check(got == v, f"bibtex {key}: {k} = {got!r}, expected {v!r}")


def places(d, expect):
    import geojson

    text = (d / "places.geojson").read_text(encoding="utf-8")
    fc = geojson.loads(text)
    check(fc.is_valid, f"geojson: invalid: {getattr(fc, 'errors', lambda: '')()}")
    check(fc["type"] == "FeatureCollection", "geojson: not a FeatureCollection")
    feats = {f["@id"]: f for f in fc["features"]}
    for pid, want in expect["places"].items():
        f = feats.get(f"urn:keruen:entity/{pid}")
        check(f is not None, f"lpf: no feature for {pid}")
        if f is None:
            continue
        lon, lat = f["geometry"]["coordinates"]
        check(math.isclose(lon, want["lon"]) and math.isclose(lat, want["lat"]), f"lpf {pid}: coordinates {lon},{lat}")
        toponyms = {n["toponym"] for n in f["names"]}
        for n in want["names"]:
            check(n in toponyms, f"lpf {pid}: no name {n!r} in {toponyms}")
        check(f["properties"]["events"] == want["events"], f"lpf {pid}: events {f['properties']['events']}")
        span = f.get("when", {}).get("timespans", [{}])[0]
        check(span.get("start", {}).get("in") == want["start"], f"lpf {pid}: start {span}")
        check(span.get("end", {}).get("in") == want["end"], f"lpf {pid}: end {span}")


def tables(d, expect):
    with open(d / "events.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    want = expect["csv"]
    check(len(rows) == want["rows"], f"csv: {len(rows)} rows, expected {want['rows']}")
    check(list(rows[0].keys()) == want["columns"], f"csv: columns {list(rows[0].keys())}")
    by_id = {r["id"]: r for r in rows}
    for eid, cells in want["cells"].items():
        for k, v in cells.items():
            check(by_id[eid][k] == v, f"csv {eid}: {k} = {by_id[eid][k]!r}, expected {v!r}")


def charts(d, expect):
    ns = "{http://www.w3.org/2000/svg}"
    for name, words in expect["charts"].items():
        root = ET.parse(d / name).getroot()
        check(root.tag == f"{ns}svg", f"{name}: root is {root.tag}")
        title = root.find(f"{ns}title")
        check(title is not None and title.text, f"{name}: no title")
        texts = " ".join(t.text or "" for t in root.iter(f"{ns}text"))
        for w in words:
            check(w in texts, f"{name}: no text {w!r}")


def main():
    d = Path(sys.argv[1])
    expect = json.loads((d / "expect.json").read_text(encoding="utf-8"))
    for step in (ics, network, jsonld, sources, places, tables, charts):
        try:
            step(d, expect)
        except Exception as e:  # a parser that refuses the file is a failed check
            failures.append(f"{step.__name__}: {type(e).__name__}: {e}")
    for f in failures:
        print(f"FAILED: {f}")
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
