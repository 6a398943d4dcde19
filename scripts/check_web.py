"""Independent checks of what keruen serve answers (issue 5), run by
crates/keruen-server/tests/openapi.rs with the Python of $KERUEN_VENV:

  python scripts/check_web.py MANIFEST.json

MANIFEST names the files the test saved:
  {"openapi": "openapi.json", "ics": ["feed.ics", …],
   "responses": [{"schema": "SearchResponse", "file": "search.json"}, …]}

- the OpenAPI document must be a valid OpenAPI 3.1 document (openapi-spec-validator);
- every saved response must validate against its schema in that document
  (openapi-schema-validator, the OAS 3.1 dialect of JSON Schema 2020-12);
- every calendar feed must parse with the icalendar package and hold events with
  UID, DTSTAMP, DTSTART and SUMMARY.
Prints one line per check and exits non-zero on the first failure.
"""
import json
import sys
from pathlib import Path

from icalendar import Calendar
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from openapi_spec_validator.versions import consts  # noqa: F401  (fails early on an old package)


def main() -> int:
    manifest_path = Path(sys.argv[1])
    base = manifest_path.parent
    manifest = json.loads(manifest_path.read_text())
    spec = json.loads((base / manifest["openapi"]).read_text())
    if not spec.get("openapi", "").startswith("3.1"):
        print(f"FAIL openapi: version {spec.get('openapi')!r} is not 3.1")
        return 1
    validate(spec)
    print(f"ok openapi: valid OpenAPI {spec['openapi']}, {len(spec['paths'])} paths")
    for item in manifest.get("responses", []):
        schema = {"$ref": f"#/components/schemas/{item['schema']}", "components": spec["components"]}
        instance = json.loads((base / item["file"]).read_text())
        errors = sorted(OAS31Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            print(f"FAIL {item['file']} against {item['schema']}: {e.message} at {list(e.path)}")
            return 1
        print(f"ok {item['file']} matches {item['schema']}")
    for name in manifest.get("ics", []):
        cal = Calendar.from_ical((base / name).read_bytes())
        events = cal.walk("VEVENT")
        if not events:
            print(f"FAIL {name}: no VEVENT")
            return 1
        for ev in events:
            for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                if prop not in ev:
                    print(f"FAIL {name}: an event lacks {prop}")
                    return 1
        print(f"ok {name}: {len(events)} events parsed by icalendar")
    return 0


if __name__ == "__main__":
    sys.exit(main())
