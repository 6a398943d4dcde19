"""Chooses the requests of scripts/bench-serve.sh from a benchmark database and writes
them, one path per line, for keruen and for Datasette (the equivalent query on the
same file):

  python3 scripts/bench/requests.py DB OUTDIR

Faceted searches narrow by states, type, years, sector or a place, as a reader does;
keruen computes facet counts by type, state, year, sector and status, Datasette by
type, year and status (its facets need a column; states live in a comma-separated
column, filtered with __contains). Mixed reads are single events, entities, sources
and searches, as JSON and as pages. The choice is seeded: every run asks the same.
"""
import random
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlencode

db, out = Path(sys.argv[1]), Path(sys.argv[2])
rng = random.Random(1)
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
name = db.stem  # Datasette names a database after its file

events = [r[0] for r in c.execute("SELECT key FROM events WHERE review = 'accepted' ORDER BY random() LIMIT 2000")]
rng.shuffle(events)
sources = [r[0] for r in c.execute("SELECT key FROM sources ORDER BY key")]
places = [r[0] for r in c.execute(
    "SELECT en.key FROM entities en WHERE en.kind = 'place' AND en.id IN (SELECT entity_id FROM event_places) ORDER BY en.key")]
place_names = dict(c.execute("SELECT key, name_en FROM entities WHERE kind = 'place'"))
years = [r[0] for r in c.execute("SELECT DISTINCT year FROM events WHERE year IS NOT NULL ORDER BY year")]
ca = ["KZ", "KG", "TJ", "TM", "UZ"]
partners = ["RU", "CN", "TR", "IR", "AZ", "IN", "KR", "JP", "DE", "FR"]
types = ["festival", "conference", "culture_days", "exhibition", "agreement", "performance", "summit", "education"]
sectors = ["culture", "education", "science", "arts", "sport", "tourism"]

keruen_search, datasette_search = [], []
facets_d = [("_facet", "type"), ("_facet", "year"), ("_facet", "status")]
for _ in range(60):
    shape = rng.randrange(5)
    a, b = rng.sample(ca, 2)
    y0 = rng.choice(years[len(years) // 2:])
    y1 = min(y0 + rng.randrange(0, 4), years[-1])
    t = rng.choice(types)
    if shape == 0:  # two states and a type
        k = [("country", a), ("country", b), ("type", t)]
        d = [("countries__contains", a), ("countries__contains", b), ("type", t)]
    elif shape == 1:  # a state, a partner, a span of years
        p = rng.choice(partners)
        k = [("country", a), ("country", p), ("from", y0), ("to", y1)]
        d = [("countries__contains", a), ("countries__contains", p), ("year__gte", y0), ("year__lte", y1)]
    elif shape == 2:  # a place named in the text, and a type
        place = rng.choice(places)
        k = [("q", place_names.get(place, place)), ("type", t)]
        d = None  # Datasette has no entity search: its nearest is below
        d = [("type", t), ("_where", f"id in (select event_id from event_places where entity_id = (select id from entities where key = '{place}'))")]
    elif shape == 3:  # a state, a sector, years
        s = rng.choice(sectors)
        k = [("country", a), ("sector", s), ("from", y0), ("to", y1)]
        d = [("countries__contains", a), ("sectors__contains", s), ("year__gte", y0), ("year__lte", y1)]
    else:  # a type in one year
        k = [("type", t), ("from", y0), ("to", y0)]
        d = [("type", t), ("year", y0)]
    keruen_search.append("/api/v1/search?" + urlencode(k))
    datasette_search.append(f"/{name}/events.json?" + urlencode(d + [("review", "accepted")] + facets_d + [("_sort", "sort_day"), ("_size", "20")]))

keruen_mixed, datasette_mixed = [], []
for i, e in enumerate(events[:600]):
    keruen_mixed.append(f"/api/v1/events/{e}")
    datasette_mixed.append(f"/{name}/events_flat.json?" + urlencode([("event", e)]))
    if i % 3 == 0:
        keruen_mixed.append(f"/events/{e}")
        datasette_mixed.append(f"/{name}/events_flat?" + urlencode([("event", e)]))
    if i % 4 == 0:
        p = places[i % len(places)]
        keruen_mixed.append(f"/api/v1/entities/{p}?limit=20")
        datasette_mixed.append(f"/{name}/entities.json?" + urlencode([("key", p)]))
    if i % 4 == 1:
        s = sources[i % len(sources)]
        keruen_mixed.append(f"/api/v1/sources/{s}")
        datasette_mixed.append(f"/{name}/sources.json?" + urlencode([("key", s)]))
    if i % 5 == 0:
        j = i // 5 % len(keruen_search)
        keruen_mixed.append(keruen_search[j])
        datasette_mixed.append(datasette_search[j])
        keruen_mixed.append(keruen_search[j].replace("/api/v1/search", "/search"))
        datasette_mixed.append(datasette_search[j].replace("/events.json?", "/events?"))

for fname, lines in [("keruen-search.txt", keruen_search), ("datasette-search.txt", datasette_search),
                     ("keruen-mixed.txt", keruen_mixed), ("datasette-mixed.txt", datasette_mixed)]:
    (out / fname).write_text("\n".join(lines) + "\n")
print(f"{len(keruen_search)} searches, {len(keruen_mixed)} mixed requests", file=sys.stderr)
