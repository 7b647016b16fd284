/**
 * The archive's schema and its migrations, by `PRAGMA user_version`.
 *
 * A migration is appended, never edited: a file at version n runs
 * MIGRATIONS[n..] in one transaction each. Tables a feature owns (findings'
 * reviews, the directory) are created here too, by their own appended
 * migration, and read and written by that feature through `ArchiveSql`.
 *
 * Layout (why it is narrow): `events` holds one short row per event, the
 * indexed columns only, with the strings that repeat (type, project, actor,
 * user agent) as small integer references into dictionary tables; the wire
 * text lives in `event_raw` (same rowid). Grouping and filtering then scan
 * narrow rows and small indexes instead of the JSON. `events_fts` is a
 * contentless FTS5 index of the event's strings (nothing stored twice).
 * Deleting from it needs the indexed text again, which the repository
 * recomputes from `event_raw` (so the text function is part of the schema:
 * changing it needs a migration that rebuilds the index). `events_view`
 * shows the flat columns for anyone opening the file with the `sqlite3`
 * shell.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

const V1 = `
CREATE TABLE types (ref INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE projects (
  ref INTEGER PRIMARY KEY,
  sig TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  project_id TEXT,
  name TEXT
);
CREATE INDEX projects_by_key ON projects (key);
CREATE INDEX projects_by_id ON projects (project_id);
CREATE TABLE actors (
  ref INTEGER PRIMARY KEY,
  sig TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor_type TEXT,
  actor_id TEXT,
  email TEXT,
  user_id TEXT,
  api_key_id TEXT,
  service_account_id TEXT
);
CREATE INDEX actors_by_key ON actors (key);
CREATE TABLE agents (ref INTEGER PRIMARY KEY, user_agent TEXT NOT NULL UNIQUE);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  effective_at INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  type_ref INTEGER NOT NULL REFERENCES types (ref),
  project_ref INTEGER REFERENCES projects (ref),
  actor_ref INTEGER REFERENCES actors (ref),
  resource_id TEXT,
  ip TEXT,
  agent_ref INTEGER REFERENCES agents (ref)
);
CREATE INDEX events_by_time ON events (effective_at DESC, ord);
CREATE INDEX events_by_type ON events (type_ref, effective_at DESC, ord);
CREATE INDEX events_by_type_project ON events (type_ref, project_ref, effective_at);
CREATE INDEX events_by_project ON events (project_ref, effective_at DESC, ord);
CREATE INDEX events_by_actor ON events (actor_ref, effective_at DESC, ord);
CREATE INDEX events_by_resource ON events (resource_id, effective_at DESC, ord);
CREATE TABLE event_raw (seq INTEGER PRIMARY KEY, raw TEXT NOT NULL);
CREATE TABLE variants (
  id TEXT NOT NULL,
  raw TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (id, raw)
) WITHOUT ROWID;
CREATE TABLE coverage (gte INTEGER PRIMARY KEY, lt INTEGER NOT NULL);
CREATE VIRTUAL TABLE events_fts USING fts5 (text, content = '', detail = none, tokenize = 'unicode61 remove_diacritics 2');
`;

const V2 = `
CREATE INDEX actors_by_user ON actors (user_id);
CREATE INDEX actors_by_api_key ON actors (api_key_id);
CREATE INDEX actors_by_service_account ON actors (service_account_id);
CREATE INDEX actors_by_email ON actors (email);
CREATE INDEX events_by_ip ON events (ip);
CREATE VIEW events_view AS
  SELECT e.id, e.effective_at, e.ord, t.name AS type,
         a.actor_type, a.actor_id, a.email AS actor_email, a.key AS actor_key, a.label AS actor_label,
         p.project_id, p.name AS project_name, e.resource_id, e.ip, g.user_agent, r.raw
  FROM events e
  JOIN types t ON t.ref = e.type_ref
  JOIN event_raw r ON r.seq = e.seq
  LEFT JOIN projects p ON p.ref = e.project_ref
  LEFT JOIN actors a ON a.ref = e.actor_ref
  LEFT JOIN agents g ON g.ref = e.agent_ref;
`;

/**
 * Covering indexes for the tree's grouping under a filter: grouping by (type, project) under an actor or
 * project filter read every matching row from the table (a million-event archive: 0.3-0.6 s); with these
 * the count is an index walk. `effective_at` is last so a time range stays inside the index.
 */
const V3 = `
CREATE INDEX events_by_actor_type ON events (actor_ref, type_ref, project_ref, effective_at);
CREATE INDEX events_by_project_type ON events (project_ref, type_ref, effective_at);
`;

/**
 * Findings (src/core/findings, issue 13): what the rules found, the events of each, who reviewed which
 * (kept apart so a recomputation keeps the reviews: finding ids are deterministic), the values a
 * first-seen rule has seen per group, and the engine's state (the last evaluated `seq`, the rules' hash).
 */
const V4 = `
CREATE TABLE findings (
  id TEXT PRIMARY KEY,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  explanation TEXT NOT NULL,
  group_key TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX findings_by_rule_group ON findings (rule, group_key, last_seen);
CREATE TABLE finding_events (finding_id TEXT NOT NULL, event_id TEXT NOT NULL, effective_at INTEGER NOT NULL, PRIMARY KEY (finding_id, event_id)) WITHOUT ROWID;
CREATE TABLE finding_reviews (finding_id TEXT PRIMARY KEY, reviewed_by TEXT NOT NULL, reviewed_at INTEGER NOT NULL);
CREATE TABLE finding_seen (rule TEXT NOT NULL, group_key TEXT NOT NULL, value TEXT NOT NULL, first_at INTEGER NOT NULL, first_event TEXT NOT NULL, PRIMARY KEY (rule, group_key, value)) WITHOUT ROWID;
CREATE TABLE finding_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * The organization's directory (src/core/directory, issue 15): one row per user, invite, group, role,
 * project, project member, service account and key as read from the Admin API (`data` is its JSON, never a
 * secret: keys keep only the redacted value the API returns), `scope` the project of per-project rows; the
 * time it was read and the parts the key could not read in `directory_state`.
 */
const V5 = `
CREATE TABLE directory_entries (
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (kind, scope, id)
);
CREATE INDEX directory_entries_by_id ON directory_entries (id);
CREATE TABLE directory_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Insights rollups (src/core/insights, issue 14): the events counted per 15-minute slot (grain 900: every zone
 * offset and DST change is a multiple of 15 minutes, so a slot lies inside one local-time bucket) and per UTC
 * day (grain 86,400, for facets over long ranges), by dimension (`dim`, see rollups.ts: type, actor, project, IP,
 * user agent) and key (the dictionary reference, 0 for none; the IP text, events without one not counted).
 * Kept by the repository in the transaction of every event write. `built_from` (seconds, a UTC midnight): the
 * counts are exact for events at or after it; an archive upgraded here starts with nothing built (its newest
 * day + 1) and is counted newest first, a few thousand events per step, on first use (`AuditArchive.buildRollups`),
 * so opening a large file never stalls on it.
 */
const V6 = `
CREATE TABLE insights_counts (
  dim INTEGER NOT NULL,
  grain INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  key NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (dim, grain, slot, key)
) WITHOUT ROWID;
CREATE TABLE insights_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO insights_state (key, value)
  SELECT 'built_from', coalesce((max(effective_at) / 86400 + 1) * 86400, -9007199254740991) FROM events;
`;

/** Every schema version in order; `MIGRATIONS[i]` takes a file from version i to i + 1. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'events, dictionaries, raw text, variants, coverage, FTS5', sql: V1 },
  { version: 2, description: 'actor look-up indexes, the ip index and events_view for the sqlite3 shell', sql: V2 },
  { version: 3, description: 'covering indexes for grouping under an actor or project filter', sql: V3 },
  { version: 4, description: 'findings, their events, reviews, first-seen values and the engine state (issue 13)', sql: V4 },
  { version: 5, description: "the organization's directory: entries by kind and project, and when it was read (issue 15)", sql: V5 },
  { version: 6, description: 'insights rollups: event counts per 15-minute slot and per day by type, actor, project, IP and user agent (issue 14)', sql: V6 },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
