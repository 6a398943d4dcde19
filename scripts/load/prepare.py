"""Prepares a run of scripts/load.sh from the generated JSONL that was imported
(Python standard library only):

  python3 scripts/load/prepare.py GENERATED.jsonl WRITERS OUTDIR

Writes into OUTDIR:
- pools.json: the candidate events of the file split between the write clients
  (`writer-1` … `writer-N`): each client's own share (`own`), a few that each client
  only names in requests that must fail (`refused`), and one pool that every client
  reviews (`contended`);
- reads.txt: the read requests, one path per line, shuffled with a fixed seed: faceted
  searches (JSON and pages), events (JSON, pages, evidence, history), entities and
  sources (JSON and pages), the analysis endpoints and their pages, the calendar,
  counts.
"""
import json
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

src, writers, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
rng = random.Random(7)
candidates, accepted, sources, places = [], [], set(), set()
with src.open(encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r.get("record") == "source":
            sources.add(r["id"])
        elif r.get("record") == "event":
            (candidates if r.get("review", "candidate") == "candidate" else accepted).append(r["id"])
            places.update(r.get("places", []))
rng.shuffle(candidates)
names = [f"writer-{i}" for i in range(1, writers + 1)]
contended, rest = candidates[:40], candidates[40:]
refused = {n: rest[i * 5:(i + 1) * 5] for i, n in enumerate(names)}
rest = rest[writers * 5:]
share = len(rest) // max(writers, 1)
own = {n: rest[i * share:(i + 1) * share] for i, n in enumerate(names)}
if writers and share < 50:
    sys.exit(f"error: only {len(candidates)} candidates for {writers} writers: generate more events")
(out / "pools.json").write_text(json.dumps({"contended": contended, "refused": refused, "own": own}))

ca = ["KZ", "KG", "TJ", "TM", "UZ"]
types = ["festival", "conference", "culture_days", "exhibition", "agreement", "summit", "education"]
sectors = ["culture", "education", "science", "arts", "sport"]
place_list = sorted(places)
events = rng.sample(accepted, min(len(accepted), 400))
paths = []
for i in range(80):  # faceted searches, as JSON and as pages
    a, b = rng.sample(ca, 2)
    y = rng.randrange(1995, 2024)
    shape = i % 4
    if shape == 0:
        q = [("country", a), ("country", b), ("type", rng.choice(types))]
    elif shape == 1:
        q = [("country", a), ("sector", rng.choice(sectors)), ("from", y), ("to", y + 3)]
    elif shape == 2:
        q = [("q", rng.choice(place_list).removeprefix("place:").replace("-", " ").title())]
    else:
        q = [("type", rng.choice(types)), ("from", y), ("to", y)]
    paths.append(("/api/v1/search?" if i % 3 else "/search?") + urlencode(q))
for i, e in enumerate(events):  # events
    paths.append(f"/api/v1/events/{e}")
    paths.append(f"/events/{e}" if i % 2 else f"/api/v1/events/{e}/evidence")
    if i % 8 == 0:
        paths.append(f"/api/v1/history/{e}")
for i, p in enumerate(place_list[:60] + ca):  # entities with their first events
    paths.append(f"/api/v1/entities/{p}?limit=20" if i % 2 else f"/entities/{p}")
for i, s in enumerate(sorted(sources)):
    paths.append(f"/api/v1/sources/{s}" if i % 2 else f"/sources/{s}")
for _ in range(6):  # analysis: recomputed after every write (the data changed)
    paths += ["/api/v1/analysis/timeline", "/api/v1/analysis/map", "/api/v1/analysis/matrix",
              "/api/v1/analysis/network", "/timeline", "/matrix", "/api/v1/calendar", "/api/v1/stats",
              "/api/v1/entities?kind=place", "/"]
rng.shuffle(paths)
(out / "reads.txt").write_text("\n".join(paths) + "\n")
print(f"{len(candidates)} candidates ({len(contended)} contended, {sum(map(len, own.values()))} shared out, "
      f"{sum(map(len, refused.values()))} refused); {len(paths)} read paths")
