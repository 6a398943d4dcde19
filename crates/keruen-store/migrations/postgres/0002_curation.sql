-- keruen schema v2 on PostgreSQL: curation, as SQLite's 0002_curation.sql. Users and
-- API tokens; who chose each disputed value of an event; pairs of events a curator
-- said are not duplicates; indexes for the review queue and for merges.

CREATE TABLE users (
  name          TEXT COLLATE "C" PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN ('viewer','editor','admin')),
  password_hash TEXT,
  disabled      BOOLEAN NOT NULL DEFAULT false,
  created_at    TEXT NOT NULL
);

CREATE TABLE tokens (
  id            TEXT COLLATE "C" PRIMARY KEY,
  user_name     TEXT COLLATE "C" NOT NULL REFERENCES users(name) DEFERRABLE,
  label         TEXT NOT NULL,
  hash          TEXT NOT NULL UNIQUE,
  created_at    TEXT COLLATE "C" NOT NULL,
  expires_at    TEXT,
  revoked_at    TEXT,
  last_used_at  TEXT
);
CREATE INDEX tokens_user ON tokens(user_name);

ALTER TABLE events ADD COLUMN type_chosen_by TEXT;
ALTER TABLE events ADD COLUMN countries_chosen_by TEXT;
ALTER TABLE events ADD COLUMN places_chosen_by TEXT;

CREATE INDEX events_review ON events(review, id) WHERE merged_into IS NULL;
CREATE INDEX events_merged ON events(merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE not_duplicates (
  a TEXT COLLATE "C" NOT NULL,
  b TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (a, b)
);
