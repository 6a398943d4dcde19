#!/usr/bin/env python3
"""Show what the extractor got wrong on one annotated document (a development aid).

  scripts/diff_extraction.py GOLD.json PRED.json [--kind events|timexes|entities]
"""
import json
import sys


def ov(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main():
    gold = json.load(open(sys.argv[1]))
    pred = json.load(open(sys.argv[2]))
    kind = sys.argv[4] if len(sys.argv) > 4 else "events"
    if kind == "events":
        g = gold["events"]
        p = pred["events"]
        used = set()
        for x in g:
            gs = (x["evidence"]["start"], x["evidence"]["end"])
            match = None
            for i, y in enumerate(p):
                ps = (y["evidence"]["start"], y["evidence"]["end"])
                if i not in used and y["type"] == x["type"] and ov(gs, ps) > 0:
                    match = i
                    break
            if match is None:
                print(f"MISS {x['type']:20} {x['date']} {','.join(x['countries'])} | {x['evidence']['text'][:150]!r}")
            else:
                used.add(match)
                y = p[match]
                flags = []
                if y["date"] != x["date"]:
                    flags.append(f"date {y['date']} != {x['date']}")
                if sorted(y["countries"]) != sorted(x["countries"]):
                    flags.append(f"countries {','.join(y['countries'])} != {','.join(x['countries'])}")
                if flags:
                    print(f"PART {x['type']:20} {'; '.join(flags)} | {x['evidence']['text'][:120]!r}")
        for i, y in enumerate(p):
            if i not in used:
                print(f"FP   {y['type']:20} {y['date']} {','.join(y['countries'])} | {y['evidence']['text'][:150]!r}")
    elif kind == "timexes":
        g, p = gold["timexes"], pred["timexes"]
        for x in g:
            m = [y for y in p if ov((x["start"], x["end"]), (y["start"], y["end"])) > 0]
            if not m:
                print(f"MISS {x['text']!r} {x['value']}")
            elif m[0]["value"] != x["value"] or m[0]["text"] != x["text"]:
                print(f"DIFF gold {x['text']!r}={x['value']}  pred {m[0]['text']!r}={m[0]['value']}")
        for y in p:
            if not any(ov((x["start"], x["end"]), (y["start"], y["end"])) > 0 for x in g):
                print(f"FP   {y['text']!r} {y['value']}")
    else:
        def keys(x):
            k = set()
            if x.get("code"):
                k.add("code:" + x["code"])
            k.add("name:" + x["name"].casefold())
            for m in x.get("mentions", []):
                k.add("name:" + m["text"].casefold())
            return k
        for x in gold["entities"]:
            if not any(y["kind"] == x["kind"] and keys(x) & keys(y) for y in pred["entities"]):
                print(f"MISS {x['kind']:12} {x['name']} {[m['text'] for m in x['mentions']][:4]}")
        for y in pred["entities"]:
            if not any(y["kind"] == x["kind"] and keys(x) & keys(y) for x in gold["entities"]):
                print(f"FP   {y['kind']:12} {y['name']} {[m['text'] for m in y['mentions']][:4]}")


main()
