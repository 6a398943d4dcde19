"""One write client of scripts/load.sh (Python standard library only).

  python3 scripts/load/writer.py --base URL --name NAME --pools POOLS.json \
      --seconds S --out OUT.jsonl (--token-file FILE | --password-file FILE)

Until S seconds have passed it cycles through authenticated writes against
`keruen serve`, as fast as the server answers, one request at a time on one
keep-alive connection:

- POST /api/v1/import of a small JSON Lines batch: one new source and BATCH new
  candidate events, every key unique to this client (`load-NAME-BBBBB-EE`); every
  fifth batch is sent a second time at once, byte for byte, as a client retrying
  after a lost answer would, and every third batch again after some of its events
  were reviewed (a late retry): the store must add nothing and refuse nothing;
- POST /api/v1/review of 1–5 of this client's own share of the candidates that were
  in the database before the run (accepted or rejected; no other client touches
  them);
- POST /api/v1/review of one event of the *contended* pool, which every client
  reviews at random (accepted or rejected), so that decisions on one event race;
- POST /api/v1/review accepting the first events of one of this client's own earlier
  imported batches;
- every twentieth step, POST /api/v1/review naming one of this client's *refused*
  candidates together with an event that does not exist: the request must fail
  (4xx) and change nothing, the refused candidate included.

Authentication is a bearer token (`--token-file`) or, with `--password-file`, a
browser-style session: GET /login for the form's CSRF token, POST /login, then API
writes with the session cookie and its `X-CSRF-Token` header.

Every request is written to OUT (one JSON object per line): what was sent (kind,
keys or ids, decision), the status (0 when no answer came: a broken connection or a
time-out, whose outcome is unknown) and, for 2xx, the answer. scripts/load/verify.py
checks the database against these records.
"""
import argparse
import http.client
import json
import random
import re
import sys
import time
import urllib.parse

BATCH = 10

ap = argparse.ArgumentParser()
ap.add_argument("--base", required=True)
ap.add_argument("--name", required=True)
ap.add_argument("--pools", required=True)
ap.add_argument("--seconds", type=float, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--token-file")
ap.add_argument("--password-file")
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

u = urllib.parse.urlsplit(args.base)
host, port = u.hostname, u.port
pools = json.load(open(args.pools, encoding="utf-8"))
mine = list(pools["own"][args.name])
refused = list(pools["refused"][args.name])
contended = pools["contended"]
rng = random.Random(f"{args.seed}-{args.name}")
out = open(args.out, "w", encoding="utf-8")
conn = None


def connection():
    global conn
    if conn is None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
    return conn


def request(method, path, body=None, headers=None):
    """(status, headers, body bytes); status 0 when no answer came."""
    global conn
    try:
        c = connection()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            c.close()
            conn = None
        return r.status, r.getheaders(), data
    except (OSError, http.client.HTTPException) as e:
        if conn is not None:
            conn.close()
        conn = None
        return 0, [], str(e).encode()


auth = {}
if args.token_file:
    token = open(args.token_file, encoding="utf-8").read().strip()
    auth = {"Authorization": f"Bearer {token}"}
elif args.password_file:
    password = open(args.password_file, encoding="utf-8").read().strip()

    def session_cookie(headers):
        for k, v in headers:
            if k.lower() == "set-cookie" and v.startswith("keruen_session="):
                return v.split(";", 1)[0]
        return None

    def csrf_of(page):
        m = re.search(rb'name="csrf" value="([0-9a-f]+)"', page)
        return m.group(1).decode() if m else None

    st, h, page = request("GET", "/login")
    anon = session_cookie(h)
    if st != 200 or not anon or not csrf_of(page):
        sys.exit(f"{args.name}: GET /login answered {st} without a session and a CSRF token")
    form = urllib.parse.urlencode({"csrf": csrf_of(page), "next": "/", "name": args.name, "password": password})
    st, h, _ = request("POST", "/login", form, {"Cookie": anon, "Content-Type": "application/x-www-form-urlencoded"})
    cookie = session_cookie(h)
    if st not in (302, 303) or not cookie:
        sys.exit(f"{args.name}: POST /login answered {st} without a new session")
    st, _, page = request("GET", "/about", headers={"Cookie": cookie})
    csrf = csrf_of(page)
    if st != 200 or not csrf:
        sys.exit(f"{args.name}: the signed-in page has no CSRF token (status {st})")
    auth = {"Cookie": cookie, "X-CSRF-Token": csrf}
else:
    sys.exit("give --token-file or --password-file")


def record(entry):
    out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def post_json(kind, path, payload, extra):
    body = json.dumps(payload).encode()
    t0 = time.monotonic()
    st, _, data = request("POST", path, body, {**auth, "Content-Type": "application/json"})
    entry = {"kind": kind, "status": st, "ms": round((time.monotonic() - t0) * 1000, 2), **extra}
    if 200 <= st < 300:
        entry["answer"] = json.loads(data)
    else:
        entry["error"] = data.decode("utf-8", "replace")[:500]
    record(entry)
    return st, entry


def batch_lines(seq):
    src = f"load-src-{args.name}-{seq:05d}"
    lines = [{"record": "source", "id": src, "type": "report",
              "title": f"Load test batch {seq} of {args.name}",
              "author": [{"family": "Load", "given": args.name}], "issued": "2026"}]
    keys = []
    for e in range(BATCH):
        key = f"load-{args.name}-{seq:05d}-{e:02d}"
        keys.append(key)
        a, b = rng.sample(["KZ", "KG", "TJ", "TM", "UZ"], 2)
        lines.append({"record": "event", "id": key, "type": rng.choice(["festival", "conference", "exhibition"]),
                      "title": f"Load test event {e} of batch {seq} ({args.name})",
                      "date": f"{rng.randrange(1992, 2026)}-{rng.randrange(1, 13):02d}",
                      "participants": [{"entity": a, "role": "host"}, {"entity": b, "role": "guest"}],
                      "status": "held", "sectors": ["culture"], "review": "candidate",
                      "evidence": [{"source": src, "page": str(e + 1), "asserted_by": f"user:{args.name}",
                                    "confidence": 0.9, "status": "candidate"}]})
    body = ("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n").encode()
    return src, keys, body


bodies = {}  # batch → (source, keys, body): a retry sends the same bytes


def do_import(seq, retry_of=None):
    if seq not in bodies:
        bodies[seq] = batch_lines(seq)
    src, keys, body = bodies[seq]
    t0 = time.monotonic()
    st, _, data = request("POST", "/api/v1/import", body, {**auth, "Content-Type": "application/x-ndjson"})
    entry = {"kind": "import", "status": st, "ms": round((time.monotonic() - t0) * 1000, 2),
             "batch": seq, "source": src, "keys": keys, "retry": retry_of is not None}
    if 200 <= st < 300:
        entry["answer"] = json.loads(data)
    else:
        entry["error"] = data.decode("utf-8", "replace")[:500]
    record(entry)
    return st


deadline = time.monotonic() + args.seconds
seq = 0
imported = []  # batches acknowledged, for reviews of new events
step = 0
while time.monotonic() < deadline:
    step += 1
    op = step % 4
    if op == 1:
        seq += 1
        if do_import(seq) // 100 == 2:
            imported.append(seq)
            if seq % 5 == 0:
                do_import(seq, retry_of=seq)
    elif op == 2 and mine:
        n = min(len(mine), rng.randrange(1, 6))
        ids, mine = mine[:n], mine[n:]
        decision = rng.choice(["accepted", "rejected"])
        post_json("review", "/api/v1/review", {"ids": ids, "decision": decision, "reason": "load test"},
                  {"pool": "own", "ids": ids, "decision": decision})
    elif op == 3:
        eid = rng.choice(contended)
        decision = rng.choice(["accepted", "rejected"])
        post_json("review", "/api/v1/review", {"ids": [eid], "decision": decision},
                  {"pool": "contended", "ids": [eid], "decision": decision})
    elif op == 0 and imported:
        b = imported.pop(0)
        ids = [f"load-{args.name}-{b:05d}-{e:02d}" for e in range(3)]
        post_json("review", "/api/v1/review", {"ids": ids, "decision": "accepted"},
                  {"pool": "imported", "ids": ids, "decision": "accepted"})
        if b % 3 == 0:  # a late retry: the batch again, after some of it was reviewed
            do_import(b, retry_of=b)
    if step % 20 == 0 and refused:
        ids = [rng.choice(refused), f"load-no-such-event-{args.name}-{step}"]
        post_json("review", "/api/v1/review", {"ids": ids, "decision": "accepted"},
                  {"pool": "refused", "ids": ids, "decision": "accepted"})
out.close()
