-- DataFabric: init script of the Flink SQL client (Flink 1.20, flink-connector-jdbc 3.3.0-1.20).
--
-- Registers the suite's PostgreSQL as the JDBC catalog `datafabric` (every table of the schemas
-- usage, drms and des, read-only, named `schema.table`, e.g.
-- SELECT consumer_id, total FROM datafabric.datafabric.`usage.totals`) and creates four views in
-- the default catalog: top_consumers, usage_per_period, replication_lag and shard_stats.
--
-- flink-connector-jdbc 3.3.0 cannot read PostgreSQL `timestamptz` columns (TIMESTAMP_LTZ), and the
-- catalog's tables fail as soon as they hold one (most do): use the catalog for SHOW TABLES,
-- DESCRIBE and tables such as usage.file_splits. The views therefore read
-- tables declared below with the JDBC connector, which read `timestamptz` as TIMESTAMP(6) in the
-- session's time zone (the JVM's; Flink's images run in UTC).
--
-- The ${DF_SQL_...} placeholders are filled in by render-init (next to this file) from the
-- environment; the SQL client itself does not substitute variables:
--
--   export DF_SQL_PG_BASE_URL=jdbc:postgresql://datafabric-pg-pooler-rw:5432
--   export DF_SQL_PG_DATABASE=datafabric DF_SQL_PG_USER=datafabric DF_SQL_PG_PASSWORD=...
--   flink-conf/sql/render-init > /tmp/datafabric-init.sql      # written with mode 600
--   ./bin/sql-client.sh -i /tmp/datafabric-init.sql -j flink-connector-jdbc-core-3.3.0-1.20.jar \
--       -j flink-connector-jdbc-postgres-3.3.0-1.20.jar -j postgresql-42.7.x.jar
--
-- The tables are bounded JDBC scans, so the session runs in batch mode.

SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';

CREATE CATALOG datafabric WITH (
  'type' = 'jdbc',
  'base-url' = '${DF_SQL_PG_BASE_URL}',
  'default-database' = '${DF_SQL_PG_DATABASE}',
  'username' = '${DF_SQL_PG_USER}',
  'password' = '${DF_SQL_PG_PASSWORD}'
);

-- Tables behind the views (default_catalog.default_database), read-only by convention.
CREATE TABLE usage_totals (
  consumer_id BIGINT, total BIGINT, updated_at TIMESTAMP(6),
  PRIMARY KEY (consumer_id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc', 'url' = '${DF_SQL_PG_BASE_URL}/${DF_SQL_PG_DATABASE}', 'table-name' = 'usage.totals',
  'username' = '${DF_SQL_PG_USER}', 'password' = '${DF_SQL_PG_PASSWORD}'
);

CREATE TABLE usage_by_period (
  consumer_id BIGINT, period_start TIMESTAMP(6), amount BIGINT,
  PRIMARY KEY (consumer_id, period_start) NOT ENFORCED
) WITH (
  'connector' = 'jdbc', 'url' = '${DF_SQL_PG_BASE_URL}/${DF_SQL_PG_DATABASE}', 'table-name' = 'usage.by_period',
  'username' = '${DF_SQL_PG_USER}', 'password' = '${DF_SQL_PG_PASSWORD}'
);

CREATE TABLE drms_tasks (
  id BIGINT, edge_id STRING, started_at TIMESTAMP(6), finished_at TIMESTAMP(6), status STRING,
  `rows` BIGINT, attempt INT, error STRING, kind STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc', 'url' = '${DF_SQL_PG_BASE_URL}/${DF_SQL_PG_DATABASE}', 'table-name' = 'drms.tasks',
  'username' = '${DF_SQL_PG_USER}', 'password' = '${DF_SQL_PG_PASSWORD}'
);

CREATE TABLE des_shards (
  object_key STRING, shard_id INT, seq BIGINT, `size` BIGINT, files INT, status STRING,
  created_at TIMESTAMP(6),
  PRIMARY KEY (object_key) NOT ENFORCED
) WITH (
  'connector' = 'jdbc', 'url' = '${DF_SQL_PG_BASE_URL}/${DF_SQL_PG_DATABASE}', 'table-name' = 'des.shards',
  'username' = '${DF_SQL_PG_USER}', 'password' = '${DF_SQL_PG_PASSWORD}'
);

-- The 100 consumers with the largest running totals (usage.totals).
CREATE VIEW top_consumers AS
SELECT consumer_id, total, updated_at
FROM usage_totals
ORDER BY total DESC, consumer_id
LIMIT 100;

-- Usage per statistics period (usage.by_period; the period is the job's usage.period, 1h by default).
CREATE VIEW usage_per_period AS
SELECT period_start,
       COUNT(*) AS consumers,
       SUM(amount) AS amount,
       MAX(amount) AS max_amount
FROM usage_by_period
GROUP BY period_start;

-- Replication lag per edge, from the task log drms.tasks: the time since the start of the edge's
-- last succeeded task (what the job's edge.<id>.lagMs gauge measures, when that task caught up
-- with its source), the state of its latest task, and its failed tasks.
CREATE VIEW replication_lag AS
SELECT s.edge_id,
       s.last_success_started_at,
       s.last_success_finished_at,
       TIMESTAMPDIFF(SECOND, s.last_success_started_at, LOCALTIMESTAMP) AS lag_seconds,
       l.status AS last_status,
       l.started_at AS last_started_at,
       l.error AS last_error,
       s.failed_tasks,
       s.tasks,
       s.rows_loaded
FROM (
  SELECT edge_id,
         MAX(CASE WHEN status = 'succeeded' THEN started_at END) AS last_success_started_at,
         MAX(CASE WHEN status = 'succeeded' THEN finished_at END) AS last_success_finished_at,
         SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_tasks,
         COUNT(*) AS tasks,
         SUM(`rows`) AS rows_loaded,
         MAX(id) AS last_id
  FROM drms_tasks
  GROUP BY edge_id
) s
JOIN drms_tasks l ON l.id = s.last_id;

-- DES shards per shard id (des.shards): complete objects, files and bytes in them, average file
-- size, deleted objects (after des gc), the last sequence number and when it was packed.
CREATE VIEW shard_stats AS
SELECT shard_id,
       SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) AS objects,
       SUM(CASE WHEN status = 'complete' THEN CAST(files AS BIGINT) ELSE 0 END) AS files,
       SUM(CASE WHEN status = 'complete' THEN `size` ELSE 0 END) AS `bytes`,
       SUM(CASE WHEN status = 'complete' THEN `size` ELSE 0 END)
         / NULLIF(SUM(CASE WHEN status = 'complete' THEN CAST(files AS BIGINT) ELSE 0 END), 0) AS avg_file_bytes,
       SUM(CASE WHEN status = 'deleted' THEN 1 ELSE 0 END) AS deleted_objects,
       MAX(seq) AS last_seq,
       MAX(created_at) AS last_packed_at
FROM des_shards
GROUP BY shard_id;
