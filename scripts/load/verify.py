"""Checks the database after a run of scripts/load.sh against what the write clients
recorded (Python standard library; PostgreSQL through `psql`):

  python3 scripts/load/verify.py DB POOLS.json WRITER.jsonl...

DB is the SQLite file (the server stopped) or a postgres:// URL. Checks, and prints
every violation (exit status 1 when there is one):

1. no write got a 5xx, and every write got an answer (status 0 = none came);
2. every import is acknowledged, retries included; for each, every event key is
   stored exactly once, with exactly one piece of evidence and exactly one `create`
   entry in the audit log, by the client's user, and its source likewise; a batch
   sent again (a retry, at once or after reviews) added nothing;
3. the audit log holds, per client, exactly as many `create` entries as the
   acknowledged imports reported new events and sources, and exactly as many
   `review` entries as the acknowledged reviews reported changed events: nothing
   acknowledged is missing, nothing unacknowledged was written;
4. each acknowledged review of a client's own candidates appears exactly once in the
   audit log, and the event's review status is the decision;
5. on the contended pool, each event has as many `review` entries as acknowledged
   requests said they changed it, and its status is the last one logged;
6. every request that named an unknown event was refused (4xx), and the refused
   candidates are still candidates with no review in the audit log.
"""
import collections
import csv
import io
import json
import subprocess
import sys

db, pools_path, logs = sys.argv[1], sys.argv[2], sys.argv[3:]
pools = json.load(open(pools_path, encoding="utf-8"))


def query(sql):
    if db.startswith(("postgres://", "postgresql://")):
        out = subprocess.run(["psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", db, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        rows = list(csv.reader(io.StringIO(out)))[1:]
        return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in r) for r in rows]
    import sqlite3
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return c.execute(sql).fetchall()
    finally:
        c.close()


violations = []


def bad(msg):
    if len(violations) < 50:
        print(f"VIOLATION: {msg}", file=sys.stderr)
    violations.append(msg)


entries = []
for path in logs:
    name = path.rsplit("/", 1)[-1].removesuffix(".jsonl")
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            e["writer"] = name
            entries.append(e)

status = collections.Counter()
for e in entries:
    status[e["status"] // 100 if e["status"] else 0] += 1
    if e["status"] >= 500:
        bad(f"{e['writer']}: {e['kind']} got {e['status']}: {e.get('error', '')}")
    if e["status"] == 0:
        bad(f"{e['writer']}: {e['kind']} got no answer: {e.get('error', '')}")

# What the database holds of the run.
events = {k: (r, n) for k, r, n in query(
    "SELECT e.key, e.review, (SELECT count(*) FROM evidence v WHERE v.event_id = e.id) FROM events e "
    "WHERE e.key LIKE 'load-%'")}
all_reviews = dict(query("SELECT key, review FROM events"))
sources = {k for (k,) in query("SELECT key FROM sources WHERE key LIKE 'load-src-%'")}
audit = collections.Counter()
audit_by_actor = collections.Counter()
for actor, action, item, n in query(
        "SELECT actor, action, item, count(*) FROM audit WHERE actor LIKE 'user:writer-%' "
        "GROUP BY actor, action, item"):
    audit[(actor, action, item)] += n
    audit_by_actor[(actor, action)] += n
review_entries = collections.Counter()
last_review = {}
for item, after in query(
        "SELECT item, after FROM audit WHERE action = 'review' AND actor LIKE 'user:writer-%' ORDER BY id"):
    review_entries[item] += 1
    last_review[item] = json.loads(after)["review"] if after else None

# 2. imports
acked_keys, expected_creates, expected_reviews = collections.Counter(), collections.Counter(), collections.Counter()
imports = retries = 0
checked_sources = set()
for e in entries:
    if e["kind"] != "import":
        continue
    if 400 <= e["status"] < 500:
        what = "retry" if e["retry"] else "import"
        bad(f"{e['writer']}: the {what} of batch {e['batch']} was refused with {e['status']}: {e.get('error', '')}")
    if not 200 <= e["status"] < 300:
        continue
    a, actor = e["answer"], f"user:{e['writer']}"
    imports += 1
    if e["retry"]:
        retries += 1
        if a["events"] or a["sources"]:
            bad(f"{e['writer']}: the retry of batch {e['batch']} stored something new: {a}")
    expected_creates[actor] += a["events"] + a["sources"] + a["entities"]
    for k in e["keys"]:
        acked_keys[k] += 1
        if acked_keys[k] > 1:
            continue  # checked at its first acknowledgement
        got = events.get(k)
        if got is None:
            bad(f"{e['writer']}: acknowledged event {k} is not stored")
        elif got[1] != 1:
            bad(f"{e['writer']}: event {k} has {got[1]} pieces of evidence, not 1")
        n = audit[(actor, "create", k)]
        if n != 1:
            bad(f"{e['writer']}: event {k} has {n} `create` entries in the audit log, not 1")
    if e["source"] in checked_sources:
        continue
    checked_sources.add(e["source"])
    if e["source"] not in sources:
        bad(f"{e['writer']}: acknowledged source {e['source']} is not stored")
    elif audit[(actor, "create", e["source"])] != 1:
        bad(f"{e['writer']}: source {e['source']} has {audit[(actor, 'create', e['source'])]} `create` entries")

# 3–6. reviews
reviews = collections.Counter()
contended_changes = collections.Counter()
for e in entries:
    if e["kind"] != "review":
        continue
    actor = f"user:{e['writer']}"
    ok = 200 <= e["status"] < 300
    if e["pool"] == "refused":
        if ok or e["status"] == 0 or e["status"] >= 500:
            bad(f"{e['writer']}: a review naming an unknown event got {e['status']}, not a 4xx")
        continue
    if not ok:
        bad(f"{e['writer']}: a review of {e['ids']} was refused with {e['status']}")
        continue
    reviews[e["pool"]] += 1
    n = e["answer"]["reviewed"]
    expected_reviews[actor] += n
    if e["pool"] == "contended":
        contended_changes[e["ids"][0]] += n
        continue
    if n != len(e["ids"]):
        bad(f"{e['writer']}: a review of {len(e['ids'])} candidates changed {n}")
    for i in e["ids"]:
        if review_entries[i] != 1:
            bad(f"{e['writer']}: {i} has {review_entries[i]} `review` entries in the audit log, not 1")
        if all_reviews.get(i) != e["decision"]:
            bad(f"{e['writer']}: {i} is {all_reviews.get(i)}, not {e['decision']}")
for i in pools["contended"]:
    if review_entries[i] != contended_changes[i]:
        bad(f"contended {i}: {review_entries[i]} `review` entries, but acknowledged requests changed it "
            f"{contended_changes[i]} times")
    if review_entries[i] and all_reviews.get(i) != last_review[i]:
        bad(f"contended {i}: status {all_reviews.get(i)}, but the last logged review says {last_review[i]}")
for name, ids in pools["refused"].items():
    for i in ids:
        if all_reviews.get(i) != "candidate" or review_entries[i]:
            bad(f"refused {i}: {all_reviews.get(i)}, {review_entries[i]} review entries; a refused request wrote")
for (actor, action), n in sorted(audit_by_actor.items()):
    want = {"create": expected_creates, "review": expected_reviews}.get(action)
    if want is None:
        bad(f"{actor}: unexpected audit action {action} ({n})")
    elif want[actor] != n:
        bad(f"{actor}: {n} `{action}` entries in the audit log, but acknowledged writes made {want[actor]}")
for actor, n in expected_creates.items():
    if n and not audit_by_actor[(actor, "create")]:
        bad(f"{actor}: acknowledged creations missing from the audit log")
dupes = [k for k, n in acked_keys.items() if n > 1 and events.get(k, (0, 0))[1] != 1]
if dupes:
    bad(f"{len(dupes)} retried keys stored more than once: {dupes[:5]}")

changed = sum(expected_reviews.values())
summary = {
    "writes": len(entries), "by_status": {f"{k}xx" if k else "none": v for k, v in sorted(status.items())},
    "imports_acknowledged": imports, "of_which_retries": retries,
    "events_imported": len([k for k in acked_keys if k in events]),
    "reviews_acknowledged": dict(reviews), "review_changes_logged": changed,
    "violations": len(violations),
}
print("VERIFY " + json.dumps(summary))
sys.exit(1 if violations else 0)
