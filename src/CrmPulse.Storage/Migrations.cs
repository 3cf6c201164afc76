using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

/// <summary>One schema step: applied once, in its own transaction, and recorded in <c>schema_version</c>.</summary>
internal sealed record Migration(int Version, string Description, string Sql);

/// <summary>
/// The schema of the store as an ordered list of steps. Never edit a step that has shipped: add a new one with the
/// next version, so that every existing database is brought forward by exactly the steps it lacks.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "mirror, sync state, ledger samples and per-user rows", """
            -- Mirror: one row per record of a source, the record itself as JSON.
            CREATE TABLE mirror_records (
                source      TEXT    NOT NULL,
                kind        TEXT    NOT NULL,  -- user, login, contact, company, deal, activity
                id          TEXT    NOT NULL,
                modified_at INTEGER,           -- unix ms (ModifiedAt, or At for logins); null for users
                data        TEXT    NOT NULL,  -- JSON of the model record
                PRIMARY KEY (source, kind, id)
            );

            CREATE TABLE mirror_watermarks (
                source TEXT NOT NULL,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (source, key)
            ) WITHOUT ROWID;

            CREATE TABLE sync_state (
                source          TEXT    NOT NULL PRIMARY KEY,
                last_attempt_at INTEGER,                     -- unix ms
                last_success_at INTEGER,                     -- unix ms
                last_error      TEXT,
                last_error_at   INTEGER,                     -- unix ms
                record_counts   TEXT    NOT NULL DEFAULT '{}', -- JSON object: kind -> count
                last_problems   TEXT    NOT NULL DEFAULT '[]', -- JSON array of text, at most 100
                problems_total  INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;

            -- Ledger: append-only samples. seq orders appends; time_ms is the sample's as-of time (unix ms, UTC).
            CREATE TABLE samples (
                seq     INTEGER PRIMARY KEY AUTOINCREMENT,
                kpi     TEXT    NOT NULL,
                source  TEXT    NOT NULL,
                dims    TEXT    NOT NULL,  -- Dimensions.Key ('' for the roll-up)
                value   REAL    NOT NULL,
                time_ms INTEGER NOT NULL,
                basis   TEXT
            );
            CREATE INDEX samples_by_series_time ON samples (kpi, source, dims, time_ms);

            CREATE TRIGGER samples_no_update BEFORE UPDATE ON samples
            BEGIN SELECT RAISE(ABORT, 'samples are append-only: never updated'); END;
            CREATE TRIGGER samples_no_delete BEFORE DELETE ON samples
            BEGIN SELECT RAISE(ABORT, 'samples are append-only: never deleted'); END;

            -- An index, not data: the newest sample of each series, kept in the append's transaction.
            CREATE TABLE series_latest (
                kpi     TEXT    NOT NULL,
                source  TEXT    NOT NULL,
                dims    TEXT    NOT NULL,
                seq     INTEGER NOT NULL REFERENCES samples (seq),
                time_ms INTEGER NOT NULL,
                PRIMARY KEY (kpi, source, dims)
            ) WITHOUT ROWID;

            -- Per-user adoption rows: one pass per (source, as-of) of each append, its rows under it.
            CREATE TABLE user_passes (
                pass     INTEGER PRIMARY KEY AUTOINCREMENT,
                source   TEXT    NOT NULL,
                as_of_ms INTEGER NOT NULL
            );
            CREATE INDEX user_passes_by_source_time ON user_passes (source, as_of_ms, pass);

            CREATE TABLE user_rows (
                pass           INTEGER NOT NULL REFERENCES user_passes (pass),
                user_id        TEXT    NOT NULL,
                name           TEXT    NOT NULL,
                email          TEXT,
                team           TEXT    NOT NULL,
                last_login_ms  INTEGER,
                logins_7d      INTEGER NOT NULL,
                logins_30d     INTEGER NOT NULL,
                activities_7d  INTEGER NOT NULL,
                activities_30d INTEGER NOT NULL,
                status         TEXT    NOT NULL
            );
            CREATE INDEX user_rows_by_pass ON user_rows (pass, user_id);

            CREATE TRIGGER user_rows_no_update BEFORE UPDATE ON user_rows
            BEGIN SELECT RAISE(ABORT, 'user rows are append-only: never updated'); END;
            CREATE TRIGGER user_rows_no_delete BEFORE DELETE ON user_rows
            BEGIN SELECT RAISE(ABORT, 'user rows are append-only: never deleted'); END;
            """),
        new(2, "record issues (drill-down)", """
            -- The records behind the latest data-quality and pipeline counts of each source: replaced as a whole by
            -- every KPI pass of the source. field is '' when the issue names no field, so it can be part of the key.
            CREATE TABLE issues (
                source         TEXT    NOT NULL,
                kpi            TEXT    NOT NULL,
                object         TEXT    NOT NULL,
                record_id      TEXT    NOT NULL,
                field          TEXT    NOT NULL DEFAULT '',
                owner_id       TEXT,
                team           TEXT    NOT NULL,
                detail         TEXT,
                computed_at_ms INTEGER NOT NULL,  -- unix ms: as-of of the pass that found it
                PRIMARY KEY (source, kpi, object, record_id, field)
            ) WITHOUT ROWID;
            -- Each filter of the API seeks an index whose trailing columns are the listing order, so a page is read in
            -- order and stops at its limit instead of sorting every match.
            CREATE INDEX issues_by_kpi ON issues (kpi, source, object, record_id, field);
            CREATE INDEX issues_by_object ON issues (object, source, kpi, record_id, field);
            CREATE INDEX issues_by_team ON issues (team, source, kpi, object, record_id, field);
            CREATE INDEX issues_by_owner ON issues (owner_id, source, kpi, object, record_id, field);
            """),
        new(3, "InfluxDB outbox cursors and parked batches, backfill progress", """
            -- How far each stream of the ledger has been acknowledged by InfluxDB: 'samples' (samples.seq) and
            -- 'users' (user_passes.pass). Advanced only after InfluxDB acknowledges a batch.
            CREATE TABLE outbox_cursor (
                stream   TEXT    NOT NULL PRIMARY KEY,
                position INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Batches InfluxDB refused for good (4xx): recorded, counted, shown in the status, then skipped.
            CREATE TABLE outbox_parked (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                stream     TEXT    NOT NULL,
                first_pos  INTEGER NOT NULL,
                last_pos   INTEGER NOT NULL,
                points     INTEGER NOT NULL,
                status     INTEGER,
                reason     TEXT    NOT NULL,
                parked_ms  INTEGER NOT NULL
            );

            -- The automatic first-run backfill of a source: its window is fixed when it first starts, so a resume on a
            -- later day finishes the same days instead of starting over.
            CREATE TABLE backfill_plans (
                source    TEXT    NOT NULL PRIMARY KEY,
                anchor_ms INTEGER NOT NULL,
                days      INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Backfill: each (source, as-of) whose samples are in the ledger, written in the same transaction.
            CREATE TABLE backfill_steps (
                source   TEXT    NOT NULL,
                as_of_ms INTEGER NOT NULL,
                samples  INTEGER NOT NULL,
                done_ms  INTEGER NOT NULL,
                PRIMARY KEY (source, as_of_ms)
            ) WITHOUT ROWID;
            """),
        new(4, "alert states and webhook deliveries", """
            -- One row per alert instance (rule, source, dimensions): its state survives restarts, so an alert that
            -- fired before a restart is not announced again. Pending instances that clear are deleted.
            CREATE TABLE alert_instances (
                key               TEXT    NOT NULL PRIMARY KEY,  -- rule|source|dims
                rule              TEXT    NOT NULL,
                source            TEXT    NOT NULL,
                dims              TEXT    NOT NULL,              -- Dimensions.Key
                severity          TEXT    NOT NULL,
                status            TEXT    NOT NULL,              -- pending, firing, resolved
                active_since_ms   INTEGER NOT NULL,
                firing_since_ms   INTEGER,
                resolved_at_ms    INTEGER,
                last_notified_ms  INTEGER,
                value             REAL,
                baseline          REAL,
                value_at_ms       INTEGER,
                summary           TEXT    NOT NULL,
                updated_at_ms     INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX alert_instances_by_status ON alert_instances (status, updated_at_ms);

            -- Every notification to every webhook: queued, then delivered or failed after its attempts.
            CREATE TABLE alert_deliveries (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_key       TEXT    NOT NULL,
                event           TEXT    NOT NULL,  -- firing, resolved, reminder
                webhook         TEXT    NOT NULL,  -- the webhook's name (never its URL, which may hold a secret)
                status          TEXT    NOT NULL,  -- queued, delivered, failed
                attempts        INTEGER NOT NULL DEFAULT 0,
                http_status     INTEGER,
                error           TEXT,
                queued_ms       INTEGER NOT NULL,
                last_attempt_ms INTEGER
            );
            CREATE INDEX alert_deliveries_by_key ON alert_deliveries (alert_key, id);
            """),
        new(5, "report deliveries", """
            -- Every scheduled sending of the leadership report on one channel (e-mail, Slack): queued, then delivered
            -- or failed after its attempts. Targets are described (channel, recipient count), never a webhook URL.
            CREATE TABLE report_deliveries (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                schedule        TEXT    NOT NULL,  -- the schedule's name
                channel         TEXT    NOT NULL,  -- email, slack
                target          TEXT    NOT NULL,  -- e.g. "2 recipients"
                period          TEXT    NOT NULL,  -- week, month, quarter
                status          TEXT    NOT NULL,  -- queued, delivered, failed
                attempts        INTEGER NOT NULL DEFAULT 0,
                error           TEXT,
                queued_ms       INTEGER NOT NULL,
                last_attempt_ms INTEGER
            );
            """),
        new(6, "sync state per kind, rejected rows and notices apart from problems", """
            -- Per kind a sync read or tried to read: {"contact": {"readAt": ms, "error": text, "errorAt": ms}, ...}.
            -- A kind never read has no readAt: the KPIs resting on it are left out.
            ALTER TABLE sync_state ADD COLUMN kinds TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE sync_state ADD COLUMN rejected_total INTEGER NOT NULL DEFAULT 0; -- rows, not problems
            ALTER TABLE sync_state ADD COLUMN last_notices TEXT NOT NULL DEFAULT '[]';  -- JSON array of text, at most 100
            ALTER TABLE sync_state ADD COLUMN notices_total INTEGER NOT NULL DEFAULT 0;
            -- A source that synced before kinds were tracked had read every kind at its last success.
            UPDATE sync_state SET kinds = json_object(
                    'user', json_object('readAt', last_success_at), 'login', json_object('readAt', last_success_at),
                    'contact', json_object('readAt', last_success_at), 'company', json_object('readAt', last_success_at),
                    'deal', json_object('readAt', last_success_at), 'activity', json_object('readAt', last_success_at))
                WHERE last_success_at IS NOT NULL;
            -- last_error now means "the last sync failed": an error older than the last success is over.
            UPDATE sync_state SET last_error = NULL, last_error_at = NULL
                WHERE last_error_at IS NOT NULL AND last_success_at >= last_error_at;
            """),
        new(7, "latest values of each producer's latest pass, ledger version", """
            -- What /api/kpis/latest and the gauges show: the samples of the latest pass of each producer (a source's
            -- KPI pass: the source; the CRM API usage of its syncs: 'source:crm_api'; an integration's probes:
            -- 'probes:name'), replaced as a whole in the pass's own transaction. Never a backfilled sample, never a
            -- series the latest pass no longer produces. previous_at_ms: time_ms minus the KPI's period; the previous
            -- value is the series' last sample at or before it.
            CREATE TABLE latest_values (
                producer       TEXT    NOT NULL,
                kpi            TEXT    NOT NULL,
                source         TEXT    NOT NULL,
                dims           TEXT    NOT NULL,
                value          REAL    NOT NULL,
                time_ms        INTEGER NOT NULL,
                basis          TEXT,
                previous_at_ms INTEGER,
                PRIMARY KEY (producer, kpi, source, dims)
            ) WITHOUT ROWID;

            -- Moved on by every transaction that appends samples or replaces latest values, so that a reader may keep
            -- what it read until the number changes (whichever process wrote).
            CREATE TABLE ledger_version (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            );
            INSERT INTO ledger_version (id, version) VALUES (1, 0);

            -- An existing ledger: each producer's newest group of series (the newest time per producer), leaving out
            -- backfill steps. previous_at_ms stays empty here (the catalog's periods are code): the next pass fills it.
            WITH candidates AS (
                SELECT CASE WHEN l.source = 'probes' THEN 'probes:' || substr(l.dims, 13)
                            WHEN l.kpi LIKE 'crm\_api\_%' ESCAPE '\' THEN l.source || ':crm_api'
                            ELSE l.source END AS producer,
                       l.kpi, l.source, l.dims, s.value, s.time_ms, s.basis
                FROM series_latest l JOIN samples s ON s.seq = l.seq
                WHERE NOT EXISTS (SELECT 1 FROM backfill_steps b WHERE b.source = l.source AND b.as_of_ms = l.time_ms))
            INSERT INTO latest_values (producer, kpi, source, dims, value, time_ms, basis)
            SELECT c.producer, c.kpi, c.source, c.dims, c.value, c.time_ms, c.basis FROM candidates c
            WHERE c.time_ms = (SELECT MAX(c2.time_ms) FROM candidates c2 WHERE c2.producer = c.producer);
            """),
        new(9, "issue details as a code and its arguments", """
            -- An issue's detail is either a text (detail) or a code and its arguments (IssueText: code, a, b, m, n, x, y),
            -- written out when the issue is read: a pass stores hundreds of thousands of issues whose texts are mostly
            -- never read. Rows written before keep their text.
            ALTER TABLE issues ADD COLUMN detail_code INTEGER;
            ALTER TABLE issues ADD COLUMN arg_a TEXT;
            ALTER TABLE issues ADD COLUMN arg_b TEXT;
            ALTER TABLE issues ADD COLUMN arg_m INTEGER;
            ALTER TABLE issues ADD COLUMN arg_n INTEGER;
            ALTER TABLE issues ADD COLUMN arg_x REAL;
            ALTER TABLE issues ADD COLUMN arg_y REAL;
            """),
        new(12, "stored audits", """
            -- Every audit made (crmpulse audit, POST /api/audits): its period, its source ('' for every source) and the
            -- whole audit as JSON, so a later audit compares with it and the page shows it as it was made.
            CREATE TABLE audits (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                source     TEXT    NOT NULL,
                from_date  TEXT    NOT NULL,  -- yyyy-MM-dd, first day of the period
                to_date    TEXT    NOT NULL,  -- yyyy-MM-dd, last day of the period (inclusive)
                created_ms INTEGER NOT NULL,  -- unix ms
                json       TEXT    NOT NULL
            );
            CREATE INDEX audits_by_source ON audits (source, id);
            """),
        new(13, "deduplication state between passes", """
            -- The matcher's state per source and object (contact, company), so that a KPI pass compares only the records
            -- changed since the last one (README "Deduplication"). settings: the options and matcher version it was made
            -- with (another value: matched again in full); owner_mask: the key bits that held a record index; generation:
            -- a new random value at each write, so a node that keeps the state in memory knows whether it is still current.
            CREATE TABLE dedupe_states (
                source     TEXT    NOT NULL,
                object     TEXT    NOT NULL,
                settings   TEXT    NOT NULL,
                owner_mask INTEGER NOT NULL,
                generation INTEGER NOT NULL,  -- a new random value at each write (DedupeState.Generation)
                PRIMARY KEY (source, object)
            ) WITHOUT ROWID;

            -- Each record's fingerprint of what the matcher reads, large-block sort key and blocking keys (little-endian
            -- 64-bit integers, as written).
            CREATE TABLE dedupe_records (
                source      TEXT    NOT NULL,
                object      TEXT    NOT NULL,
                id          TEXT    NOT NULL,
                fingerprint INTEGER NOT NULL,
                sort_key    INTEGER NOT NULL,
                keys        BLOB    NOT NULL,
                PRIMARY KEY (source, object, id)
            ) WITHOUT ROWID;

            -- The pairs that matched (left_id < right_id), with their scores.
            CREATE TABLE dedupe_links (
                source   TEXT NOT NULL,
                object   TEXT NOT NULL,
                left_id  TEXT NOT NULL,
                right_id TEXT NOT NULL,
                score    REAL NOT NULL,
                PRIMARY KEY (source, object, left_id, right_id)
            ) WITHOUT ROWID;

            -- The clusters, by survivor: JSON of the ids in order and each duplicate's reason.
            CREATE TABLE dedupe_clusters (
                source      TEXT NOT NULL,
                object      TEXT NOT NULL,
                survivor_id TEXT NOT NULL,
                data        TEXT NOT NULL,
                PRIMARY KEY (source, object, survivor_id)
            ) WITHOUT ROWID;
            """),
        new(14, "runs of the scheduled jobs", """
            -- Who ran what and when (IJobRuns): one row per run of a sync, KPI pass, probe or backfill, written as it
            -- starts and finished as it ends; a run whose node died keeps finished_ms NULL. /api/cluster reads the latest
            -- run of each job and source. Kept 7 days.
            CREATE TABLE job_runs (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                job         TEXT    NOT NULL,  -- sync, kpi, probe, backfill, ...
                source      TEXT    NOT NULL,  -- the source, or the integration of a probe
                node        TEXT    NOT NULL,  -- CrmPulse:Cluster:NodeName of the node that ran it
                started_ms  INTEGER NOT NULL,  -- unix ms
                finished_ms INTEGER,           -- unix ms; NULL while running or when its node died
                outcome     TEXT,              -- ok, failed, not computed, cancelled
                recovering  INTEGER NOT NULL DEFAULT 0  -- 1: Quartz's rerun of a run whose node died
            );
            CREATE INDEX job_runs_by_job ON job_runs (job, source, started_ms);
            CREATE INDEX job_runs_by_start ON job_runs (started_ms);
            """),
        new(15, "the fitted contact model with the deduplication state", """
            -- The fitted weights' model (JSON: m and u per level, the prior, term-frequency shares) the state's links were
            -- scored with: fitted on a full match, reused by the incremental passes; NULL with the fixed weights.
            ALTER TABLE dedupe_states ADD COLUMN model TEXT;
            """),
    ];

    /// <summary>
    /// Brings the database on <paramref name="connection"/> up to the last of <paramref name="migrations"/>: each
    /// missing step in its own IMMEDIATE transaction (so two processes opening the same file cannot both apply it).
    /// Fails when the database was written by a newer CrmPulse, whose schema this code cannot know.
    /// </summary>
    public static void Apply(SqliteConnection connection, IReadOnlyList<Migration> migrations, string path)
    {
        Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """);
        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var current = CurrentVersion(connection, null);
        if (current > known)
        {
            throw new InvalidOperationException(
                $"The database '{path}' has schema version {current}, but this CrmPulse knows versions up to " +
                $"{known}: it was written by a newer CrmPulse. Run that version, or point Store:Path at another file.");
        }

        foreach (var migration in migrations)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            // Read again inside the write lock: another process may have applied this step meanwhile. Asked per
            // version, not against the highest one, so a step added below an applied one (a branch that skipped a
            // number) is still applied.
            if (IsApplied(connection, transaction, migration.Version)) continue;
            try
            {
                Execute(connection, transaction, migration.Sql);
            }
            catch (SqliteException e)
            {
                throw new InvalidOperationException(
                    $"Schema migration {migration.Version} ({migration.Description}) failed on '{path}': {e.Message}", e);
            }
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, description) VALUES ($v, $d)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$d", migration.Description);
                record.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>The highest applied version, 0 for a new database.</summary>
    public static long CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return (long)command.ExecuteScalar()!;
    }

    private static bool IsApplied(SqliteConnection connection, SqliteTransaction transaction, int version)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM schema_version WHERE version = $v";
        command.Parameters.AddWithValue("$v", version);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
