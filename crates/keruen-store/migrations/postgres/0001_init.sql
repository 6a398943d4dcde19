-- keruen schema v1 on PostgreSQL: the same tables and columns as SQLite's
-- 0001_init.sql, so that every query, export and SQL recipe means the same on both.
-- Differences, each for a reason:
--   * ids are BIGSERIAL: assigned in insertion order, as SQLite's rowids, so that
--     "ties broken by insertion order" orders the same;
--   * keys and other sorted text use COLLATE "C" (byte order, as SQLite's BINARY),
--     whatever the database's locale;
--   * full-text search: the folded text is stored in `search_body` (events, sources)
--     and its words in `search_tsv`, a `tsvector` with a GIN index. Folded text holds
--     only [a-z0-9 ], so its words are exactly the tokens FTS5 sees and exactly the
--     lexemes of strip(to_tsvector('simple', search_body)); keruen writes that value
--     itself (keruen_store's columns::tsvector) rather than as a generated column,
--     which would run the text search parser on every row of a bulk import (two
--     thirds of the cost of copying an event). A prefix query `word:*` matches as
--     FTS5's "word"* does;
--   * foreign keys are DEFERRABLE, so that `keruen migrate-db` can copy rows in id
--     order when an event was merged into a later one;
--   * `end` is a reserved word in PostgreSQL: the column keeps its name, quoted.

CREATE TABLE sources (
  id          BIGSERIAL PRIMARY KEY,
  key         TEXT COLLATE "C" NOT NULL UNIQUE,
  sha256      TEXT COLLATE "C" NOT NULL UNIQUE,
  csl_type    TEXT NOT NULL,
  title       TEXT NOT NULL,
  authors     TEXT,
  issued      TEXT,
  language    TEXT,
  file_name   TEXT,
  csl         TEXT NOT NULL,
  text        TEXT,
  created_at  TEXT NOT NULL,
  search_body TEXT NOT NULL DEFAULT '',
  search_tsv  tsvector NOT NULL DEFAULT ''
);
CREATE INDEX sources_search ON sources USING gin (search_tsv);

CREATE TABLE entities (
  id          BIGSERIAL PRIMARY KEY,
  key         TEXT COLLATE "C" NOT NULL UNIQUE,
  kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('country','polity','place','organization','person','work')),
  name_en     TEXT COLLATE "C" NOT NULL,
  name_ru     TEXT COLLATE "C" NOT NULL,
  iso         TEXT,
  wikidata    TEXT,
  country     TEXT,
  lat         DOUBLE PRECISION,
  lon         DOUBLE PRECISION,
  dates       TEXT,
  dates_lo    BIGINT,
  dates_hi    BIGINT,
  description TEXT,
  origin      TEXT NOT NULL,
  record      TEXT NOT NULL
);
CREATE INDEX entities_kind ON entities(kind, name_en);

CREATE TABLE entity_names (
  entity_id   BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE DEFERRABLE,
  text        TEXT COLLATE "C" NOT NULL,
  lang        TEXT COLLATE "C" NOT NULL,
  form        TEXT COLLATE "C" NOT NULL,
  folded      TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (entity_id, text, lang, form)
);
CREATE INDEX entity_names_folded ON entity_names(folded);

CREATE TABLE events (
  id           BIGSERIAL PRIMARY KEY,
  key          TEXT COLLATE "C" NOT NULL UNIQUE,
  type         TEXT COLLATE "C" NOT NULL,
  title        TEXT,
  description  TEXT,
  date         TEXT,
  date_lo      BIGINT,
  date_hi      BIGINT,
  sort_day     BIGINT NOT NULL,
  year         BIGINT,
  status       TEXT COLLATE "C" NOT NULL,
  sectors      TEXT NOT NULL DEFAULT '',
  countries    TEXT NOT NULL DEFAULT '',
  review       TEXT COLLATE "C" NOT NULL DEFAULT 'candidate' CHECK (review IN ('candidate','accepted','rejected')),
  merged_into  BIGINT REFERENCES events(id) DEFERRABLE,
  content_hash TEXT NOT NULL,
  date_chosen_by TEXT,
  search_body  TEXT NOT NULL DEFAULT '',
  search_tsv   tsvector NOT NULL DEFAULT ''
);
CREATE INDEX events_sort ON events(sort_day, id);
CREATE INDEX events_type_sort ON events(type, sort_day);
CREATE INDEX events_search ON events USING gin (search_tsv);

CREATE TABLE participants (
  event_id    BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE,
  entity_id   BIGINT NOT NULL REFERENCES entities(id) DEFERRABLE,
  role        TEXT NOT NULL,
  position    BIGINT NOT NULL,
  PRIMARY KEY (event_id, position)
);
CREATE INDEX participants_entity ON participants(entity_id, event_id);

CREATE TABLE event_places (
  event_id    BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE,
  entity_id   BIGINT NOT NULL REFERENCES entities(id) DEFERRABLE,
  position    BIGINT NOT NULL,
  PRIMARY KEY (event_id, position)
);
CREATE INDEX event_places_entity ON event_places(entity_id, event_id);

CREATE TABLE evidence (
  id          BIGSERIAL PRIMARY KEY,
  event_id    BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE,
  source_id   BIGINT NOT NULL REFERENCES sources(id) DEFERRABLE,
  position    BIGINT NOT NULL,
  start       BIGINT,
  "end"       BIGINT,
  quote       TEXT,
  page        TEXT,
  asserted_by TEXT NOT NULL,
  confidence  DOUBLE PRECISION NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('candidate','accepted','rejected')),
  claim       TEXT
);
CREATE INDEX evidence_event ON evidence(event_id, position);
CREATE INDEX evidence_source ON evidence(source_id);

CREATE TABLE annotations (
  id          BIGSERIAL PRIMARY KEY,
  source_id   BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE DEFERRABLE,
  kind        TEXT NOT NULL,
  start       BIGINT NOT NULL,
  "end"       BIGINT NOT NULL,
  text        TEXT NOT NULL,
  value       TEXT,
  target      TEXT
);
CREATE INDEX annotations_source ON annotations(source_id, start);
CREATE INDEX annotations_target ON annotations(target);

CREATE TABLE archival_refs (
  id          BIGSERIAL PRIMARY KEY,
  source_id   BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE DEFERRABLE,
  archive     TEXT,
  fond        TEXT NOT NULL,
  inventory   TEXT,
  case_no     TEXT,
  sheet       TEXT,
  start       BIGINT NOT NULL,
  "end"       BIGINT NOT NULL,
  text        TEXT NOT NULL
);
CREATE INDEX archival_refs_unit ON archival_refs(archive, fond, inventory, case_no);
CREATE INDEX archival_refs_source ON archival_refs(source_id);

CREATE TABLE bib_references (
  id          BIGSERIAL PRIMARY KEY,
  source_id   BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE DEFERRABLE,
  idx         BIGINT NOT NULL,
  start       BIGINT NOT NULL,
  "end"       BIGINT NOT NULL,
  text        TEXT NOT NULL,
  authors     TEXT NOT NULL,
  year        TEXT,
  UNIQUE (source_id, idx)
);

CREATE TABLE citations (
  id          BIGSERIAL PRIMARY KEY,
  source_id   BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE DEFERRABLE,
  author      TEXT NOT NULL,
  year        TEXT,
  pages       TEXT,
  start       BIGINT NOT NULL,
  "end"       BIGINT NOT NULL,
  text        TEXT NOT NULL,
  reference   BIGINT
);
CREATE INDEX citations_source ON citations(source_id);

-- Append-only: triggers below refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit (
  id          BIGSERIAL PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT COLLATE "C" NOT NULL,
  item        TEXT COLLATE "C" NOT NULL,
  before      TEXT,
  after       TEXT,
  reason      TEXT
);
CREATE INDEX audit_item ON audit(item, id);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE VIEW events_flat AS
SELECT e.key AS event, e.type, e.title, e.date, e.date_lo, e.date_hi, e.year, e.status,
       e.review, e.countries, e.sectors,
       (SELECT string_agg(en.key || ':' || p.role, ';' ORDER BY p.position) FROM participants p
          JOIN entities en ON en.id = p.entity_id WHERE p.event_id = e.id) AS participants,
       (SELECT string_agg(en.name_en, ';' ORDER BY ep.position) FROM event_places ep
          JOIN entities en ON en.id = ep.entity_id WHERE ep.event_id = e.id) AS places,
       (SELECT count(*) FROM evidence v WHERE v.event_id = e.id) AS evidence_count,
       e.description
FROM events e WHERE e.merged_into IS NULL;

CREATE VIEW evidence_flat AS
SELECT ev.key AS event, ev.type, ev.date AS event_date, s.key AS source, s.title AS source_title,
       s.authors AS source_authors, s.issued AS source_issued, v.page, v.start, v."end", v.quote,
       v.asserted_by, v.confidence, v.status, v.claim
FROM evidence v JOIN events ev ON ev.id = v.event_id JOIN sources s ON s.id = v.source_id;

-- Store::generation: a number every statement that changes what search reads bumps,
-- inside the writer's own transaction, so that no reader sees the new number before
-- the new rows (a sequence would be seen at once, and an index built then would stay
-- stale). Writers already queue on the writers' advisory lock: the one row costs no
-- extra waiting.
CREATE TABLE keruen_generation (n BIGINT NOT NULL);
INSERT INTO keruen_generation VALUES (0);
CREATE FUNCTION keruen_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE keruen_generation SET n = n + 1;
  RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sources', 'entities', 'entity_names', 'events', 'participants', 'event_places'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION keruen_bump_generation()', t || '_generation', t);
  END LOOP;
END $$;
