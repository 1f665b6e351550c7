package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-edge lag gauge reports the age of the source's newest replicated row, checked against
 * that age computed from the target's rows; a removed edge's metrics are unregistered.
 */
class ReplicationMetricsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FlinkMiniCluster.extension(
                    1,
                    4,
                    Configuration.fromMap(
                            Map.of(
                                    "metrics.reporter.collect.factory.class",
                                    CollectingReporter.Factory.class.getName())));

    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DST = new PostgresDatabase();

    static String graph(boolean withSecond) {
        return """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  events: {connection: src, table: events, cursor: [updated_at, id]}
                consumers:
                  lag_a: {dataset: events, target: {connection: dst, table: events_a}, schedule: 300ms, approved: true}
                %s
                """
                .formatted(
                        SRC.jdbcUrl(),
                        DST.jdbcUrl(),
                        withSecond
                                ? "  lag_b: {dataset: events, target: {connection: dst, table:"
                                        + " events_b}, schedule: 300ms, approved: true}"
                                : "");
    }

    @Test
    void lagIsTheAgeOfTheNewestReplicatedRowAndRemovedEdgesLoseTheirMetrics() throws Exception {
        SRC.execute("CREATE TABLE events (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)");
        SRC.execute(
                "INSERT INTO events SELECT g, now() - interval '2 hours' + g * interval '1 second'"
                        + " FROM generate_series(1, 100) g");
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(graph(true));
        JobClient job = fx.start(fx.settings(Map.of()), null, null, null);
        try {
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .until(() -> DST.queryLong("SELECT count(*) FROM events_a") == 100);
            assertLagMatchesTarget("lag_a", "events_a");

            // newer rows: once replicated, the lag is their age (about ten minutes)
            SRC.execute(
                    "INSERT INTO events SELECT g, now() - interval '10 minutes' FROM"
                            + " generate_series(101, 120) g");
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .until(() -> DST.queryLong("SELECT count(*) FROM events_a") == 120);
            assertLagMatchesTarget("lag_a", "events_a");
            assertThat(gauge("lag_b", "lagMs")).isPresent();

            // the second consumer leaves the graph: its metrics go, the first one's stay
            fx.apply(graph(false));
            ReplicationFixture.awaitRows(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(metricsOf("lag_b")).isEmpty());
            assertThat(gauge("lag_a", "lagMs")).isPresent();
            assertThat(gauge("lag_a", "sinceCaughtUpMs")).isPresent();
        } finally {
            job.cancel().get();
        }
    }

    /** The gauge equals now − max(updated_at) of what the target holds, within a second. */
    private static void assertLagMatchesTarget(String edge, String table) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(
                        () -> {
                            long reported =
                                    gauge(edge, "lagMs")
                                            .orElseThrow(
                                                    () ->
                                                            new AssertionError(
                                                                    "no lag gauge among "
                                                                            + CollectingReporter
                                                                                    .METRICS
                                                                                    .keySet()));
                            long truth =
                                    DST.queryLong(
                                            "SELECT (extract(epoch FROM now() - max(updated_at))"
                                                    + " * 1000)::bigint FROM "
                                                    + table);
                            assertThat(reported)
                                    .as("reported lag against the target's newest row age")
                                    .isBetween(truth - 1_000, truth + 1_000);
                        });
    }

    private static List<String> metricsOf(String edge) {
        return CollectingReporter.METRICS.keySet().stream()
                .filter(id -> id.contains(".edge." + edge + "."))
                .toList();
    }

    private static Optional<Long> gauge(String edge, String name) {
        return CollectingReporter.METRICS.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".edge." + edge + "." + name))
                .map(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).longValue())
                .findFirst();
    }
}
