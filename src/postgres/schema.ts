import { GENESIS_HASH } from '../events/envelope.js';
import { advisoryKey, LOCK_NAMESPACE, quoteIdentifier, quoteLiteral } from './identifiers.js';

/**
 * The SQL of one event-store schema. Everything lives in the host's chosen schema, so several
 * stores (tenants, test runs) share a database without seeing each other.
 *
 * Two ideas carry the design:
 * - `append` is one PL/pgSQL call, one round trip, one implicit transaction: it locks the
 *   streams it writes (transaction-level advisory locks, in one global order), checks the
 *   expected versions against the heads the previous writers committed, takes the positions,
 *   records the command (a primary key makes it once-only), computes the hash chain with the
 *   server's SHA-256 and writes everything; a unique (stream, version) index backs the locks up.
 *   No read-then-write race is left to the client.
 * - `readAll` never skips a position that commits late. Before it takes positions, an append
 *   publishes a lower bound of them: the sequence's next value, as the key of a shared
 *   advisory lock it holds until it ends (`pg_locks` is not transactional: readers see it at
 *   once). A reader notes the sequence's value V, then the smallest bound still held B; every
 *   position up to V was handed out before, so each one below B belongs to an append that has
 *   ended. In a later statement (a later snapshot) it returns only positions <= V and < B.
 *   Appends of other schemas and transactions that do not append never hold readers back.
 */
export interface SchemaSql {
  readonly schema: string;
  readonly migrate: string;
  readonly append: string;
  readonly watermark: string;
  readonly readAll: string;
  readonly readStream: string;
  readonly readCommand: string;
  readonly lookupCommand: string;
  readonly verify: string;
  readonly readHeads: string;
}

/** Custom SQLSTATEs raised by the schema's functions. */
export const SQLSTATE = {
  concurrencyConflict: 'ST412',
  duplicateCommand: 'ST409',
} as const;

/** The statements of the store in `schema` (a name already validated by the caller). */
export const schemaSql = (schema: string): SchemaSql => {
  const s = quoteIdentifier(schema);
  const genesis = quoteLiteral(GENESIS_HASH);
  const pending = advisoryKey(`${schema}:pending-positions`);
  const migrating = advisoryKey(`${schema}:migrating`);
  const streams = advisoryKey(`${schema}:streams`);

  const migrate = `
SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${migrating});
DO $check$ BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'the event store needs a UTF8 database, this one is %', current_setting('server_encoding') USING ERRCODE = '22023';
  END IF;
END $check$;
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE SEQUENCE IF NOT EXISTS ${s}.global_position AS bigint START 1 CACHE 1;
-- Readers rely on every session drawing from the shared counter: no per-session cache, ever.
ALTER SEQUENCE ${s}.global_position CACHE 1;
CREATE TABLE IF NOT EXISTS ${s}.streams (
  stream_id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL,
  head_hash text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint PRIMARY KEY,
  stream_id text COLLATE "C" NOT NULL,
  stream_version bigint NOT NULL,
  event_json text NOT NULL,
  hash text NOT NULL,
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);
COMMENT ON COLUMN ${s}.events.event_json IS 'canonical JSON of the event without its hash: exactly the bytes the hash covers';
CREATE TABLE IF NOT EXISTS ${s}.commands (
  command_id text COLLATE "C" PRIMARY KEY,
  positions bigint[] NOT NULL
);
-- 0.2: a command that appended nothing is recorded by its metadata (a receipt), positions empty.
ALTER TABLE ${s}.commands ADD COLUMN IF NOT EXISTS receipt text;
CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
  projection text COLLATE "C" PRIMARY KEY,
  position bigint NOT NULL,
  state text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Since 0.2 append takes a receipt (a ninth argument); a 0.1 database keeps its eight-argument
-- function beside it, for instances not upgraded yet (it records commands under the same key).
CREATE OR REPLACE FUNCTION ${s}.append(
  p_command_id text,
  p_stream_ids text[],
  p_expected bigint[],
  p_counts integer[],
  p_heads text[],
  p_middles text[],
  p_tails text[],
  p_ends text[],
  p_receipt text,
  OUT write_versions bigint[],
  OUT positions bigint[],
  OUT prev_hashes text[],
  OUT hashes text[]
) LANGUAGE plpgsql AS $append$
DECLARE
  v_writes integer := coalesce(cardinality(p_stream_ids), 0);
  v_total integer := coalesce(cardinality(p_heads), 0);
  v_heads text[] := '{}';
  v_write record;
  v_version bigint;
  v_head text;
  v_bound bigint;
  v_event integer := 0;
  v_text text;
  ev_stream_ids text[] := '{}';
  ev_versions bigint[] := '{}';
  ev_jsons text[] := '{}';
BEGIN
  write_versions := '{}';
  positions := '{}';
  prev_hashes := '{}';
  hashes := '{}';

  -- One writer per stream until commit, taken in one global order (so never a deadlock); a
  -- writer that waited reads the stream as the previous writer committed it.
  IF v_writes = 1 THEN
    PERFORM pg_advisory_xact_lock(${streams}, hashtext(p_stream_ids[1]));
  ELSE
    PERFORM pg_advisory_xact_lock(${streams}, k.key)
      FROM (SELECT DISTINCT hashtext(u.id) AS key FROM unnest(p_stream_ids) AS u(id) ORDER BY 1) k;
  END IF;
  FOR v_write IN
    SELECT u.ordinal, u.expected, coalesce(st.version, 0) AS version, coalesce(st.head_hash, ${genesis}) AS head
    FROM unnest(p_stream_ids, p_expected) WITH ORDINALITY AS u(stream_id, expected, ordinal)
    LEFT JOIN ${s}.streams st ON st.stream_id = u.stream_id
  LOOP
    IF v_write.expected >= 0 AND v_write.version <> v_write.expected THEN
      -- A command already applied is a duplicate first, whatever its versions say now.
      IF (v_total > 0 OR p_receipt IS NOT NULL) AND EXISTS (SELECT 1 FROM ${s}.commands c WHERE c.command_id = p_command_id) THEN
        RAISE EXCEPTION 'duplicate command' USING ERRCODE = '${SQLSTATE.duplicateCommand}';
      END IF;
      RAISE EXCEPTION 'concurrency conflict' USING ERRCODE = '${SQLSTATE.concurrencyConflict}',
        DETAIL = json_build_object('ordinal', v_write.ordinal, 'actual', v_write.version)::text;
    END IF;
    write_versions[v_write.ordinal] := v_write.version;
    v_heads[v_write.ordinal] := v_write.head;
  END LOOP;
  IF v_total = 0 THEN
    -- A command that changes nothing is still recorded once, under the same primary key.
    IF p_receipt IS NOT NULL THEN
      INSERT INTO ${s}.commands (command_id, positions, receipt) VALUES (p_command_id, '{}', p_receipt) ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'duplicate command' USING ERRCODE = '${SQLSTATE.duplicateCommand}';
      END IF;
    END IF;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM ${s}.commands c WHERE c.command_id = p_command_id) THEN
    RAISE EXCEPTION 'duplicate command' USING ERRCODE = '${SQLSTATE.duplicateCommand}';
  END IF;

  -- Publish a lower bound of the positions about to be taken (the next value of a counter that
  -- only grows), held until this transaction ends; then take them. Taken under the stream locks, a stream's
  -- positions follow its versions.
  SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO v_bound FROM ${s}.global_position;
  PERFORM pg_advisory_xact_lock_shared(${pending}, (v_bound % 4294967296 - 2147483648)::integer);
  FOR k IN 1..v_total LOOP
    positions[k] := nextval('${s}.global_position');
  END LOOP;

  -- The primary key makes a command once-only, also against a twin in flight on another connection.
  INSERT INTO ${s}.commands (command_id, positions) VALUES (p_command_id, positions) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'duplicate command' USING ERRCODE = '${SQLSTATE.duplicateCommand}';
  END IF;

  -- The hash chain, in the order of the writes: each event's canonical JSON is completed with
  -- its position, version and predecessor's hash, then hashed.
  FOR w IN 1..v_writes LOOP
    v_version := write_versions[w];
    v_head := v_heads[w];
    FOR k IN 1..p_counts[w] LOOP
      v_event := v_event + 1;
      v_version := v_version + 1;
      v_text := p_heads[v_event] || positions[v_event] || p_middles[v_event] || v_head || p_tails[v_event] || v_version || p_ends[v_event];
      prev_hashes[v_event] := v_head;
      v_head := encode(sha256(convert_to(v_text, 'UTF8')), 'hex');
      hashes[v_event] := v_head;
      ev_stream_ids[v_event] := p_stream_ids[w];
      ev_versions[v_event] := v_version;
      ev_jsons[v_event] := v_text;
    END LOOP;
    write_versions[w] := v_version;
    v_heads[w] := v_head;
  END LOOP;

  -- The unique (stream_id, stream_version) index is the last word on versions.
  INSERT INTO ${s}.events (global_position, stream_id, stream_version, event_json, hash)
    SELECT u.p, u.s, u.v, u.j, u.h
    FROM unnest(positions, ev_stream_ids, ev_versions, ev_jsons, hashes) AS u(p, s, v, j, h);
  INSERT INTO ${s}.streams AS st (stream_id, version, head_hash)
    SELECT u.id, u.v, u.h FROM unnest(p_stream_ids, write_versions, v_heads, p_counts) AS u(id, v, h, n) WHERE u.n > 0
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
END
$append$;

-- The first position a reader must not trust yet (see readAll): positions handed out so far are
-- at most V; an append still running published a lower bound B of its positions. Keys hold the
-- bound modulo 2^32, widened back against V (bounds published after V was read are newer: left out).
CREATE OR REPLACE FUNCTION ${s}.unsettled_from() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $unsettled$
DECLARE
  v_handed_out bigint;
  v_pending bigint;
BEGIN
  SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO v_handed_out FROM ${s}.global_position;
  SELECT min(v_handed_out - a.behind) INTO v_pending
  FROM (
    SELECT ((v_handed_out - l.objid::bigint - 2147483648) % 4294967296 + 4294967296) % 4294967296 AS behind
    FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.classid = ${pending} AND l.objsubid = 2
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
  ) a
  WHERE a.behind <= 2147483648;
  RETURN least(v_handed_out + 1, v_pending);
END
$unsettled$;

CREATE OR REPLACE FUNCTION ${s}.verify(p_limit integer)
RETURNS TABLE (stream_id text, stream_version bigint, global_position bigint, problem text)
LANGUAGE sql STABLE AS $verify$
  WITH hashed AS (
    SELECT e.stream_id, e.stream_version, e.global_position, e.hash, e.event_json,
           encode(sha256(convert_to(e.event_json, 'UTF8')), 'hex') = e.hash AS hash_ok,
           lag(e.hash) OVER w AS previous_hash,
           row_number() OVER w AS expected_version,
           lead(e.stream_version) OVER w IS NULL AS is_last
    FROM ${s}.events e
    WINDOW w AS (PARTITION BY e.stream_id ORDER BY e.stream_version)
  ), parsed AS (
    -- Parsed only once its hash holds (so it is the JSON the store wrote). Escapes of characters
    -- PostgreSQL text cannot hold are blanked first: only the top-level scalars are read.
    SELECT h.*, CASE WHEN h.hash_ok THEN regexp_replace(h.event_json, '\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\\\u0020', 'g')::json END AS j
    FROM hashed h
  ), problems AS (
    SELECT p.stream_id, p.stream_version, p.global_position,
      CASE
        WHEN NOT p.hash_ok THEN 'hash does not match the stored event'
        WHEN p.stream_version <> p.expected_version THEN 'stream versions are not contiguous from 1'
        WHEN (p.j ->> 'prevHash') IS DISTINCT FROM coalesce(p.previous_hash, ${genesis}) THEN 'prevHash is not the previous event''s hash'
        WHEN (p.j ->> 'streamId') IS DISTINCT FROM p.stream_id
          OR (p.j ->> 'streamVersion') IS DISTINCT FROM p.stream_version::text
          OR (p.j ->> 'globalPosition') IS DISTINCT FROM p.global_position::text
          THEN 'the row is filed under another place than its event states'
        WHEN p.is_last AND NOT EXISTS (
          SELECT 1 FROM ${s}.streams st WHERE st.stream_id = p.stream_id AND st.version = p.stream_version AND st.head_hash = p.hash
        ) THEN 'the stream head does not point at the last event'
      END AS problem
    FROM parsed p
    UNION ALL
    SELECT st.stream_id, st.version, NULL::bigint, 'the stream head points at a missing event'
    FROM ${s}.streams st
    WHERE st.version > 0 AND NOT EXISTS (SELECT 1 FROM ${s}.events e WHERE e.stream_id = st.stream_id AND e.stream_version = st.version)
  )
  SELECT q.stream_id, q.stream_version, q.global_position, q.problem
  FROM problems q WHERE q.problem IS NOT NULL
  ORDER BY q.global_position NULLS LAST, q.stream_id, q.stream_version
  LIMIT p_limit
$verify$;
`;



  return {
    schema,
    migrate,
    append: `SELECT write_versions, positions, prev_hashes, hashes FROM ${s}.append($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    watermark: `SELECT ${s}.unsettled_from()`,
    readAll: `SELECT event_json, hash FROM ${s}.events WHERE global_position > $1 AND global_position < $2 ORDER BY global_position LIMIT $3`,
    readStream: `SELECT event_json, hash FROM ${s}.events WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3 ORDER BY stream_version`,
    lookupCommand: `SELECT c.receipt, e.event_json, e.hash FROM ${s}.commands c LEFT JOIN ${s}.events e ON e.global_position = ANY (c.positions) WHERE c.command_id = $1 ORDER BY e.global_position`,
    readCommand: `SELECT e.event_json, e.hash FROM ${s}.commands c JOIN ${s}.events e ON e.global_position = ANY (c.positions) WHERE c.command_id = $1 ORDER BY e.global_position`,
    verify: `SELECT stream_id, stream_version, global_position, problem FROM ${s}.verify($1)`,
    readHeads: `SELECT stream_id, version, head_hash FROM ${s}.streams WHERE version > 0`,
  };
};
