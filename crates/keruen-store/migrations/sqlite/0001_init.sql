-- keruen schema v1: sources, entities and names, events with participants and places,
-- evidence, extracted spans, archival references, citations, the audit log, search.
-- Dates are kept as EDTF text plus the earliest and latest day (days since 1970-01-01)
-- so that any SQL tool can sort and filter them; NULL bounds mean open or unknown.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,          -- src-…: stable id used in the CLI, API and exports
  sha256      TEXT NOT NULL UNIQUE,          -- identity: hash of the text, else of the bibliographic fields
  csl_type    TEXT NOT NULL,
  title       TEXT NOT NULL,
  authors     TEXT,                          -- "Family, Given; Family, Given" for display and SQL tools
  issued      TEXT,                          -- EDTF
  language    TEXT,
  file_name   TEXT,
  csl         TEXT NOT NULL,                 -- the whole record as JSON (CSL-JSON field names)
  text        TEXT,                          -- full plain text, when held
  created_at  TEXT NOT NULL
);

CREATE TABLE entities (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,          -- KZ, place:almaty, org:unesco, person:al-farabi
  kind        TEXT NOT NULL CHECK (kind IN ('country','polity','place','organization','person','work')),
  name_en     TEXT NOT NULL,                 -- display names, for SQL tools and sorting
  name_ru     TEXT NOT NULL,
  iso         TEXT,
  wikidata    TEXT,
  country     TEXT,
  lat         REAL,
  lon         REAL,
  dates       TEXT,                          -- EDTF life / existence
  dates_lo    INTEGER,
  dates_hi    INTEGER,
  description TEXT,
  origin      TEXT NOT NULL,                 -- gazetteer | import | extract
  record      TEXT NOT NULL                  -- the whole entity as JSON
);
CREATE INDEX entities_kind ON entities(kind, name_en);

CREATE TABLE entity_names (
  entity_id   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  text        TEXT NOT NULL,
  lang        TEXT NOT NULL,
  form        TEXT NOT NULL,
  folded      TEXT NOT NULL,                 -- transliteration-folded key (see keruen_gazetteer::fold)
  PRIMARY KEY (entity_id, text, lang, form)
) WITHOUT ROWID;
CREATE INDEX entity_names_folded ON entity_names(folded);

CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  key          TEXT NOT NULL UNIQUE,
  type         TEXT NOT NULL,
  title        TEXT,
  description  TEXT,
  date         TEXT,                         -- EDTF
  date_lo      INTEGER,                      -- earliest day, days since 1970-01-01
  date_hi      INTEGER,                      -- latest day
  sort_day     INTEGER NOT NULL,             -- date_lo, else date_hi, else 2147483647 (undated sort last)
  year         INTEGER,                      -- year of sort_day, for facets
  status       TEXT NOT NULL,
  sectors      TEXT NOT NULL DEFAULT '',     -- comma-separated
  countries    TEXT NOT NULL DEFAULT '',     -- comma-separated sorted ISO codes (derived from participants)
  review       TEXT NOT NULL DEFAULT 'candidate' CHECK (review IN ('candidate','accepted','rejected')),
  merged_into  INTEGER REFERENCES events(id),-- set when merged into another event; hidden then
  content_hash TEXT NOT NULL,                -- SHA-256 of the canonical record, for idempotent import
  date_chosen_by TEXT                        -- who chose the date when sources disagree
);
CREATE INDEX events_sort ON events(sort_day);
CREATE INDEX events_type_sort ON events(type, sort_day);

CREATE TABLE participants (
  event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  entity_id   INTEGER NOT NULL REFERENCES entities(id),
  role        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX participants_entity ON participants(entity_id, event_id);

CREATE TABLE event_places (
  event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  entity_id   INTEGER NOT NULL REFERENCES entities(id),
  position    INTEGER NOT NULL,
  PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_places_entity ON event_places(entity_id, event_id);

CREATE TABLE evidence (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  source_id   INTEGER NOT NULL REFERENCES sources(id),
  position    INTEGER NOT NULL,
  start       INTEGER,
  end         INTEGER,
  quote       TEXT,
  page        TEXT,
  asserted_by TEXT NOT NULL,
  confidence  REAL NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('candidate','accepted','rejected')),
  claim       TEXT                           -- JSON: what this source says (date, countries, places, type)
);
CREATE INDEX evidence_event ON evidence(event_id, position);
CREATE INDEX evidence_source ON evidence(source_id);

-- Spans the extractor recognised in a source's text, for highlighting.
CREATE TABLE annotations (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  value       TEXT,
  target      TEXT
);
CREATE INDEX annotations_source ON annotations(source_id, start);
CREATE INDEX annotations_target ON annotations(target);

CREATE TABLE archival_refs (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  archive     TEXT,
  fond        TEXT NOT NULL,
  inventory   TEXT,
  case_no     TEXT,
  sheet       TEXT,
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  text        TEXT NOT NULL
);
CREATE INDEX archival_refs_unit ON archival_refs(archive, fond, inventory, case_no);
CREATE INDEX archival_refs_source ON archival_refs(source_id);

CREATE TABLE bib_references (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  authors     TEXT NOT NULL,                 -- JSON array of surnames
  year        TEXT,
  UNIQUE (source_id, idx)
);

CREATE TABLE citations (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  author      TEXT NOT NULL,
  year        TEXT,
  pages       TEXT,
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  reference   INTEGER                        -- bib_references.idx within the same source
);
CREATE INDEX citations_source ON citations(source_id);

-- Append-only: triggers below refuse UPDATE and DELETE.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,                 -- RFC 3339 UTC
  actor       TEXT NOT NULL,                 -- user:NAME or EXTRACTOR@VERSION
  action      TEXT NOT NULL,                 -- create | update | merge | unmerge | review | …
  item        TEXT NOT NULL,                 -- the key of what changed
  before      TEXT,                          -- JSON, NULL for a creation
  after       TEXT,                          -- JSON, NULL for a deletion
  reason      TEXT
);
CREATE INDEX audit_item ON audit(item, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Full-text search over transliteration-folded text (keruen_gazetteer::fold), so that
-- Cyrillic and Latin spellings meet. Contentless: the text lives in the tables above.
-- events_fts.rowid = events.id (title, description, type); sources_fts.rowid = sources.id
-- (title, authors, text). Entities are found through entity_names.folded.
CREATE VIRTUAL TABLE events_fts USING fts5(body, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE sources_fts USING fts5(body, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2');

CREATE VIEW events_flat AS
SELECT e.key AS event, e.type, e.title, e.date, e.date_lo, e.date_hi, e.year, e.status,
       e.review, e.countries, e.sectors,
       (SELECT group_concat(en.key || ':' || p.role, ';') FROM participants p
          JOIN entities en ON en.id = p.entity_id WHERE p.event_id = e.id) AS participants,
       (SELECT group_concat(en.name_en, ';') FROM event_places ep
          JOIN entities en ON en.id = ep.entity_id WHERE ep.event_id = e.id) AS places,
       (SELECT count(*) FROM evidence v WHERE v.event_id = e.id) AS evidence_count,
       e.description
FROM events e WHERE e.merged_into IS NULL;

CREATE VIEW evidence_flat AS
SELECT ev.key AS event, ev.type, ev.date AS event_date, s.key AS source, s.title AS source_title,
       s.authors AS source_authors, s.issued AS source_issued, v.page, v.start, v.end, v.quote,
       v.asserted_by, v.confidence, v.status, v.claim
FROM evidence v JOIN events ev ON ev.id = v.event_id JOIN sources s ON s.id = v.source_id;
