using Npgsql;

namespace CrmPulse.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as ordered steps, recorded in <c>schema_version</c> like the SQLite store's
/// (<see cref="Migrations"/>). Version 1 is SQLite's schema at its version 9 in one step; SQLite's later steps come here
/// as versions 2, 3, … in the same order (2 is SQLite's 12, the stored audits; 3 its 13, the deduplication state; 4 its 14, the runs, with Quartz's tables).
/// Never edit a step that has shipped. Text columns that are keys or listing orders are COLLATE "C", so rows sort
/// byte-wise as in SQLite whatever the database's locale.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "mirror, sync state, ledger, issues, outbox, backfill, alerts, deliveries, latest values (SQLite schema 9)", """
            CREATE TABLE mirror_records (
                source      text COLLATE "C" NOT NULL,
                kind        text COLLATE "C" NOT NULL,
                id          text COLLATE "C" NOT NULL,
                modified_at bigint,
                data        text NOT NULL,
                PRIMARY KEY (source, kind, id)
            );

            CREATE TABLE mirror_watermarks (
                source text COLLATE "C" NOT NULL,
                key    text COLLATE "C" NOT NULL,
                value  text NOT NULL,
                PRIMARY KEY (source, key)
            );

            CREATE TABLE sync_state (
                source          text COLLATE "C" NOT NULL PRIMARY KEY,
                last_attempt_at bigint,
                last_success_at bigint,
                last_error      text,
                last_error_at   bigint,
                record_counts   text   NOT NULL DEFAULT '{}',
                last_problems   text   NOT NULL DEFAULT '[]',
                problems_total  bigint NOT NULL DEFAULT 0,
                kinds           text   NOT NULL DEFAULT '{}',
                rejected_total  bigint NOT NULL DEFAULT 0,
                last_notices    text   NOT NULL DEFAULT '[]',
                notices_total   bigint NOT NULL DEFAULT 0
            );

            CREATE TABLE samples (
                seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kpi     text COLLATE "C" NOT NULL,
                source  text COLLATE "C" NOT NULL,
                dims    text COLLATE "C" NOT NULL,
                value   double precision NOT NULL,
                time_ms bigint NOT NULL,
                basis   text
            );
            CREATE INDEX samples_by_series_time ON samples (kpi, source, dims, time_ms);

            CREATE FUNCTION crmpulse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% are append-only: never %', TG_ARGV[0], lower(TG_OP) || 'd'; END $$;
            CREATE TRIGGER samples_append_only BEFORE UPDATE OR DELETE ON samples
                FOR EACH ROW EXECUTE FUNCTION crmpulse_append_only('samples');

            CREATE TABLE series_latest (
                kpi     text COLLATE "C" NOT NULL,
                source  text COLLATE "C" NOT NULL,
                dims    text COLLATE "C" NOT NULL,
                seq     bigint NOT NULL REFERENCES samples (seq),
                time_ms bigint NOT NULL,
                PRIMARY KEY (kpi, source, dims)
            );

            CREATE TABLE user_passes (
                pass     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source   text COLLATE "C" NOT NULL,
                as_of_ms bigint NOT NULL
            );
            CREATE INDEX user_passes_by_source_time ON user_passes (source, as_of_ms, pass);

            CREATE TABLE user_rows (
                pass           bigint  NOT NULL REFERENCES user_passes (pass),
                user_id        text COLLATE "C" NOT NULL,
                name           text    NOT NULL,
                email          text,
                team           text    NOT NULL,
                last_login_ms  bigint,
                logins_7d      integer NOT NULL,
                logins_30d     integer NOT NULL,
                activities_7d  integer NOT NULL,
                activities_30d integer NOT NULL,
                status         text    NOT NULL
            );
            CREATE INDEX user_rows_by_pass ON user_rows (pass, user_id);
            CREATE TRIGGER user_rows_append_only BEFORE UPDATE OR DELETE ON user_rows
                FOR EACH ROW EXECUTE FUNCTION crmpulse_append_only('user rows');

            CREATE TABLE issues (
                source         text COLLATE "C" NOT NULL,
                kpi            text COLLATE "C" NOT NULL,
                object         text COLLATE "C" NOT NULL,
                record_id      text COLLATE "C" NOT NULL,
                field          text COLLATE "C" NOT NULL DEFAULT '',
                owner_id       text COLLATE "C",
                team           text COLLATE "C" NOT NULL,
                detail         text,
                computed_at_ms bigint NOT NULL,
                detail_code    integer,
                arg_a          text,
                arg_b          text,
                arg_m          bigint,
                arg_n          bigint,
                arg_x          double precision,
                arg_y          double precision,
                PRIMARY KEY (source, kpi, object, record_id, field)
            );
            CREATE INDEX issues_by_kpi ON issues (kpi, source, object, record_id, field);
            CREATE INDEX issues_by_object ON issues (object, source, kpi, record_id, field);
            CREATE INDEX issues_by_team ON issues (team, source, kpi, object, record_id, field);
            CREATE INDEX issues_by_owner ON issues (owner_id, source, kpi, object, record_id, field);

            CREATE TABLE outbox_cursor (
                stream   text COLLATE "C" NOT NULL PRIMARY KEY,
                position bigint NOT NULL
            );

            CREATE TABLE outbox_parked (
                id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream    text    NOT NULL,
                first_pos bigint  NOT NULL,
                last_pos  bigint  NOT NULL,
                points    integer NOT NULL,
                status    integer,
                reason    text    NOT NULL,
                parked_ms bigint  NOT NULL
            );

            CREATE TABLE backfill_plans (
                source    text COLLATE "C" NOT NULL PRIMARY KEY,
                anchor_ms bigint  NOT NULL,
                days      integer NOT NULL
            );

            CREATE TABLE backfill_steps (
                source   text COLLATE "C" NOT NULL,
                as_of_ms bigint  NOT NULL,
                samples  integer NOT NULL,
                done_ms  bigint  NOT NULL,
                PRIMARY KEY (source, as_of_ms)
            );

            CREATE TABLE alert_instances (
                key              text COLLATE "C" NOT NULL PRIMARY KEY,
                rule             text NOT NULL,
                source           text NOT NULL,
                dims             text NOT NULL,
                severity         text NOT NULL,
                status           text NOT NULL,
                active_since_ms  bigint NOT NULL,
                firing_since_ms  bigint,
                resolved_at_ms   bigint,
                last_notified_ms bigint,
                value            double precision,
                baseline         double precision,
                value_at_ms      bigint,
                summary          text NOT NULL,
                updated_at_ms    bigint NOT NULL
            );
            CREATE INDEX alert_instances_by_status ON alert_instances (status, updated_at_ms);

            CREATE TABLE alert_deliveries (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                alert_key       text    NOT NULL,
                event           text    NOT NULL,
                webhook         text    NOT NULL,
                status          text    NOT NULL,
                attempts        integer NOT NULL DEFAULT 0,
                http_status     integer,
                error           text,
                queued_ms       bigint  NOT NULL,
                last_attempt_ms bigint
            );
            CREATE INDEX alert_deliveries_by_key ON alert_deliveries (alert_key, id);

            CREATE TABLE report_deliveries (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                schedule        text    NOT NULL,
                channel         text    NOT NULL,
                target          text    NOT NULL,
                period          text    NOT NULL,
                status          text    NOT NULL,
                attempts        integer NOT NULL DEFAULT 0,
                error           text,
                queued_ms       bigint  NOT NULL,
                last_attempt_ms bigint
            );

            CREATE TABLE latest_values (
                producer       text COLLATE "C" NOT NULL,
                kpi            text COLLATE "C" NOT NULL,
                source         text COLLATE "C" NOT NULL,
                dims           text COLLATE "C" NOT NULL,
                value          double precision NOT NULL,
                time_ms        bigint NOT NULL,
                basis          text,
                previous_at_ms bigint,
                PRIMARY KEY (producer, kpi, source, dims)
            );

            -- Its one row is also the ledger's write lock: every transaction that appends samples or user passes updates
            -- it first, so appends commit in the order of their sequence numbers and the outbox's cursors skip nothing.
            CREATE TABLE ledger_version (
                id      integer NOT NULL PRIMARY KEY CHECK (id = 1),
                version bigint  NOT NULL
            );
            INSERT INTO ledger_version (id, version) VALUES (1, 0);
            """),
        new(2, "stored audits (SQLite schema 12)", """
            -- Every audit made (crmpulse audit, POST /api/audits): its period, its source ('' for every source) and the
            -- whole audit as JSON, so a later audit compares with it and the page shows it as it was made. The dates are
            -- yyyy-MM-dd text as in SQLite.
            CREATE TABLE audits (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source     text COLLATE "C" NOT NULL,
                from_date  text   NOT NULL,
                to_date    text   NOT NULL,
                created_ms bigint NOT NULL,
                json       text   NOT NULL
            );
            CREATE INDEX audits_by_source ON audits (source, id);
            """),
        new(3, "deduplication state between passes (SQLite schema 13)", """
            CREATE TABLE dedupe_states (
                source     text COLLATE "C" NOT NULL,
                object     text COLLATE "C" NOT NULL,
                settings   text   NOT NULL,
                owner_mask bigint NOT NULL,
                generation bigint NOT NULL,
                PRIMARY KEY (source, object)
            );

            CREATE TABLE dedupe_records (
                source      text COLLATE "C" NOT NULL,
                object      text COLLATE "C" NOT NULL,
                id          text COLLATE "C" NOT NULL,
                fingerprint bigint NOT NULL,
                sort_key    bigint NOT NULL,
                keys        bytea  NOT NULL,
                PRIMARY KEY (source, object, id)
            );

            CREATE TABLE dedupe_links (
                source   text COLLATE "C" NOT NULL,
                object   text COLLATE "C" NOT NULL,
                left_id  text COLLATE "C" NOT NULL,
                right_id text COLLATE "C" NOT NULL,
                score    double precision NOT NULL,
                PRIMARY KEY (source, object, left_id, right_id)
            );

            CREATE TABLE dedupe_clusters (
                source      text COLLATE "C" NOT NULL,
                object      text COLLATE "C" NOT NULL,
                survivor_id text COLLATE "C" NOT NULL,
                data        text NOT NULL,
                PRIMARY KEY (source, object, survivor_id)
            );
            """),
        new(4, "Quartz's clustered job store, runs of the scheduled jobs (SQLite schema 14)", """
            -- Who ran what and when (IJobRuns), as SQLite's job_runs: one row per run, finished_ms NULL while it runs and
            -- for ever when its node died. Kept 7 days.
            CREATE TABLE job_runs (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                job         text COLLATE "C" NOT NULL,
                source      text COLLATE "C" NOT NULL,
                node        text COLLATE "C" NOT NULL,
                started_ms  bigint NOT NULL,
                finished_ms bigint,
                outcome     text,
                recovering  boolean NOT NULL DEFAULT false
            );
            CREATE INDEX job_runs_by_job ON job_runs (job, source, started_ms);
            CREATE INDEX job_runs_by_start ON job_runs (started_ms);

            -- Quartz.NET's clustered ADO.NET job store (CrmPulse:Cluster:Enabled): the schema Quartz 4.7 (the version in
            -- use) ships for PostgreSQL (its create_postgres.sql, the same tables and indexes as its
            -- database/tables/tables_postgres.sql without the DROP statements), under the prefix qrtz_. Quartz only
            -- validates it at start (SchemaProvisioning.Validate). A Quartz upgrade that changes it comes with its
            -- migration scripts, added here as a new step.
            CREATE TABLE qrtz_job_details (
              sched_name text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              job_class_name text not null,
              is_durable bool not null,
              is_nonconcurrent bool not null,
              is_update_data bool not null,
              requests_recovery bool not null,
              job_data bytea null,
              primary key (sched_name,job_name,job_group)
            );
            CREATE TABLE qrtz_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              next_fire_time bigint null,
              prev_fire_time bigint null,
              priority integer null,
              trigger_state text not null,
              trigger_type text not null,
              start_time bigint not null,
              end_time bigint null,
              calendar_name text null,
              misfire_instr smallint null,
              misfire_orig_fire_time bigint null,
              execution_group varchar(200) null,
              preferred_node varchar(200) null,
              preferred_node_auto bool not null default false,
              retry_policy varchar(250) null,
              retry_attempt integer null,
              continues_trigger_name text null,
              continues_trigger_group text null,
              continuation_condition integer null,
              overlap_policy integer null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              misfire_threshold bigint null,
              fixed_delay bool null,
              job_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,job_name,job_group) references qrtz_job_details (sched_name,job_name,job_group)
            );
            CREATE TABLE qrtz_simple_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              repeat_count bigint not null,
              repeat_interval bigint not null,
              times_triggered bigint not null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE qrtz_cron_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              cron_expression text not null,
              time_zone_id text,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE qrtz_simprop_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              str_prop_1 text null,
              str_prop_2 text null,
              str_prop_3 text null,
              int_prop_1 integer null,
              int_prop_2 integer null,
              long_prop_1 bigint null,
              long_prop_2 bigint null,
              dec_prop_1 numeric null,
              dec_prop_2 numeric null,
              bool_prop_1 bool null,
              bool_prop_2 bool null,
              time_zone_id text null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE qrtz_blob_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              blob_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE qrtz_calendars (
              sched_name text not null,
              calendar_name text not null,
              calendar bytea not null,
              primary key (sched_name,calendar_name)
            );
            CREATE TABLE qrtz_paused_trigger_grps (
              sched_name text not null,
              trigger_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,trigger_group)
            );
            CREATE TABLE qrtz_paused_job_grps (
              sched_name text not null,
              job_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,job_group)
            );
            CREATE TABLE qrtz_fired_triggers (
              sched_name text not null,
              entry_id text not null,
              trigger_name text not null,
              trigger_group text not null,
              instance_name text not null,
              fired_time bigint not null,
              sched_time bigint not null,
              priority integer not null,
              state text not null,
              job_name text null,
              job_group text null,
              is_nonconcurrent bool not null,
              requests_recovery bool null,
              execution_group varchar(200) null,
              progress integer null,
              progress_message varchar(250) null,
              interrupt_requested_time bigint null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE qrtz_scheduler_state (
              sched_name text not null,
              instance_name text not null,
              last_checkin_time bigint not null,
              checkin_interval bigint not null,
              quartz_version varchar(20) null,
              primary key (sched_name,instance_name)
            );
            CREATE TABLE qrtz_locks (
              sched_name text not null,
              lock_name text not null,
              primary key (sched_name,lock_name)
            );
            CREATE TABLE qrtz_execution_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              job_name text not null,
              job_group text not null,
              trigger_name text not null,
              trigger_group text not null,
              fired_time bigint not null,
              run_time bigint not null,
              succeeded bool not null,
              error_message text null,
              retry_attempt integer not null default 0,
              retry_scheduled bool not null default false,
              execution_log text null,
              result integer null,
              summary text null,
              metrics text null,
              manual bool null,
              fire_instance_id text null,
              job_input text null,
              job_input_too_large bool null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE qrtz_misfire_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text null,
              job_group text null,
              misfire_time bigint not null,
              sched_time bigint null,
              reason integer null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE qrtz_job_status (
              sched_name text not null,
              job_group text not null,
              job_name text not null,
              first_fired_time bigint not null,
              last_fired_time bigint not null,
              last_result integer not null,
              last_run_time bigint not null,
              last_instance_name text not null,
              last_entry_id text null,
              last_summary text null,
              last_success_time bigint null,
              last_failure_time bigint null,
              last_failure_message text null,
              consecutive_failures integer not null default 0,
              run_count bigint not null default 0,
              failure_count bigint not null default 0,
              primary key (sched_name,job_group,job_name)
            );
            CREATE INDEX idx_qrtz_j_g_n ON qrtz_job_details (sched_name, job_group, job_name);
            CREATE INDEX idx_qrtz_t_j ON qrtz_triggers (sched_name, job_name, job_group);
            CREATE INDEX idx_qrtz_t_g_n ON qrtz_triggers (sched_name, trigger_group, trigger_name);
            CREATE INDEX idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
            CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time asc, priority desc, misfire_instr);
            CREATE INDEX idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
            CREATE INDEX idx_qrtz_ft_j_g ON qrtz_fired_triggers (sched_name, job_name, job_group);
            CREATE INDEX idx_qrtz_ft_t_g ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            CREATE INDEX idx_qrtz_eh_fired_time ON qrtz_execution_history (sched_name, fired_time);
            CREATE INDEX idx_qrtz_eh_inst ON qrtz_execution_history (sched_name, instance_name);
            CREATE INDEX idx_qrtz_mh_misfire_time ON qrtz_misfire_history (sched_name, misfire_time);
            CREATE INDEX idx_qrtz_mh_inst ON qrtz_misfire_history (sched_name, instance_name);
            CREATE INDEX idx_qrtz_eh_job_time ON qrtz_execution_history (sched_name, job_group, job_name, fired_time);
            CREATE INDEX idx_qrtz_eh_fire_inst ON qrtz_execution_history (sched_name, fire_instance_id);
            CREATE INDEX idx_qrtz_eh_trig_time ON qrtz_execution_history (sched_name, trigger_group, trigger_name, fired_time);
            """),
        new(5, "the fitted contact model with the deduplication state (SQLite schema 15)", """
            ALTER TABLE dedupe_states ADD COLUMN model text;
            """),
        // No SQLite counterpart: SQLite keeps one issues table. Here each source's issues are a partition of their own
        // (issues_ and the md5 of the source's name), so that a pass writes its issues into a fresh table, bare, indexes
        // it in sorted builds and puts it in the old partition's place (PostgresStore.Other.cs): 732,014 issues took
        // 47.7 s as a DELETE and an insert through the five indexes, 14.4 s so (load 34-37).
        new(6, "the issues partitioned by source", """
            ALTER TABLE issues RENAME TO issues_5;
            ALTER INDEX issues_pkey RENAME TO issues_5_pkey;
            ALTER INDEX issues_by_kpi RENAME TO issues_5_by_kpi;
            ALTER INDEX issues_by_object RENAME TO issues_5_by_object;
            ALTER INDEX issues_by_team RENAME TO issues_5_by_team;
            ALTER INDEX issues_by_owner RENAME TO issues_5_by_owner;
            CREATE TABLE issues (
                source         text COLLATE "C" NOT NULL,
                kpi            text COLLATE "C" NOT NULL,
                object         text COLLATE "C" NOT NULL,
                record_id      text COLLATE "C" NOT NULL,
                field          text COLLATE "C" NOT NULL DEFAULT '',
                owner_id       text COLLATE "C",
                team           text COLLATE "C" NOT NULL,
                detail         text,
                computed_at_ms bigint NOT NULL,
                detail_code    integer,
                arg_a          text,
                arg_b          text,
                arg_m          bigint,
                arg_n          bigint,
                arg_x          double precision,
                arg_y          double precision,
                PRIMARY KEY (source, kpi, object, record_id, field)
            ) PARTITION BY LIST (source);
            CREATE INDEX issues_by_kpi ON issues (kpi, source, object, record_id, field);
            CREATE INDEX issues_by_object ON issues (object, source, kpi, record_id, field);
            CREATE INDEX issues_by_team ON issues (team, source, kpi, object, record_id, field);
            CREATE INDEX issues_by_owner ON issues (owner_id, source, kpi, object, record_id, field);
            DO $$
            DECLARE s text;
            BEGIN
                FOR s IN SELECT DISTINCT i.source FROM issues_5 i LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF issues FOR VALUES IN (%L)', 'issues_' || md5(convert_to(s, 'UTF8')), s);
                END LOOP;
            END $$;
            INSERT INTO issues SELECT * FROM issues_5;
            DROP TABLE issues_5;
            """),
    ];

    /// <summary>The key of the session advisory lock held while migrating: nodes starting at once migrate one at a time.</summary>
    private const long MigrationLock = 0x43_52_4D_50_75_6C_73_65; // "CRMPulse"

    /// <summary>Brings the database up to the last of <paramref name="migrations"/>, each step in its own transaction.
    /// Fails when the database was written by a newer CrmPulse.</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<Migration> migrations, string location, CancellationToken ct)
    {
        await Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", ct);
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version     integer NOT NULL PRIMARY KEY,
                    description text    NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, ct);
            var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_version", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetInt32(0));
            }
            if (applied.Count > 0 && applied.Max() > known)
            {
                throw new InvalidOperationException(
                    $"The database {location} has schema version {applied.Max()}, but this CrmPulse knows versions up to {known}: " +
                    "it was written by a newer CrmPulse. Run that version, or point CrmPulse:Store:ConnectionString at another database.");
            }
            foreach (var migration in migrations)
            {
                if (applied.Contains(migration.Version)) continue;
                await using var transaction = await connection.BeginTransactionAsync(ct);
                try
                {
                    await Execute(connection, transaction, migration.Sql, ct);
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException(
                        $"Schema migration {migration.Version} ({migration.Description}) failed on {location}: {e.MessageText}", e);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_version (version, description) VALUES (@v, @d)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("d", migration.Description);
                    await record.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
            }
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
