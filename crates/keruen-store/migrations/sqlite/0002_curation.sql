-- keruen schema v2: curation. Users and API tokens; who chose each disputed value of
-- an event; pairs of events a curator said are not duplicates; indexes for the review
-- queue and for merges.

CREATE TABLE users (
  name          TEXT PRIMARY KEY,             -- login; the audit log names the user as user:NAME
  role          TEXT NOT NULL CHECK (role IN ('viewer','editor','admin')),
  password_hash TEXT,                         -- Argon2id PHC string; NULL: no password login (tokens only)
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE tokens (
  id            TEXT PRIMARY KEY,             -- tok-…: public, used to list and revoke
  user_name     TEXT NOT NULL REFERENCES users(name),
  label         TEXT NOT NULL,
  hash          TEXT NOT NULL UNIQUE,         -- SHA-256 (hex) of the secret; the secret is never stored
  created_at    TEXT NOT NULL,
  expires_at    TEXT,                         -- RFC 3339 UTC; NULL: does not expire
  revoked_at    TEXT,
  last_used_at  TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user_name);

-- Who chose the value when sources disagree (events.date_chosen_by exists since v1).
ALTER TABLE events ADD COLUMN type_chosen_by TEXT;
ALTER TABLE events ADD COLUMN countries_chosen_by TEXT;
ALTER TABLE events ADD COLUMN places_chosen_by TEXT;

-- The review queue walks candidates in insertion order; merges look up what was
-- merged into an event.
CREATE INDEX events_review ON events(review, id) WHERE merged_into IS NULL;
CREATE INDEX events_merged ON events(merged_into) WHERE merged_into IS NOT NULL;

-- Pairs a curator dismissed as not the same event (event keys, a < b).
CREATE TABLE not_duplicates (
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;
