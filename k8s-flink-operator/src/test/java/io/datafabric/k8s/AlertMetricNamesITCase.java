package io.datafabric.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.testing.FlinkMiniCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every Flink metric an alert expression names is a name Flink's Prometheus reporter really
 * exports: Flink's own job metrics from a running job with checkpoints, and the suite's operator
 * metrics registered the way the jobs register them (PartMetrics group, the replication job's edge
 * key/value group becoming the label {@code edge}). That the jobs register those metric names at
 * all is checked against their sources by PlatformManifestsTest.
 */
class AlertMetricNamesITCase {
    private static final String PORTS = "19240-19290";
    private static final Pattern SUITE =
            Pattern.compile(
                    "flink_taskmanager_job_task_operator_datafabric_([a-z]+)_(edge_)?([A-Za-z]+)");

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(1, 2, reporter());

    private static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", PORTS);
        return c;
    }

    @Test
    void alertMetricsAreExportedUnderTheseNames() throws Exception {
        Set<String> names = new TreeSet<>();
        List<String[]> suiteMetrics = new ArrayList<>();
        JsonNode rule = Manifests.baseObjects("PrometheusRule").get(0);
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                Matcher m =
                        Pattern.compile("flink_(?:jobmanager|taskmanager)_[A-Za-z_]+")
                                .matcher(r.path("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                    Matcher s = SUITE.matcher(m.group());
                    if (s.matches()) {
                        suiteMetrics.add(
                                new String[] {
                                    s.group(1), s.group(2) == null ? "" : "edge", s.group(3)
                                });
                    }
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(5);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(200);
        env.setParallelism(1);
        env.addSource(new Ticks())
                .map(new ProbeMetrics(suiteMetrics))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("alert-metric-probe");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        AtomicReference<String> scrape = new AtomicReference<>("");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(
                            () -> {
                                scrape.set(scrapeOurReporter(http));
                                assertThat(scrape.get())
                                        .as("reporters answering: " + SEEN)
                                        .isNotEmpty();
                                for (String name : names) {
                                    assertThat(scrape.get()).contains("\n" + name + "{");
                                }
                            });
        } finally {
            job.cancel().get();
        }
        assertThat(scrape.get())
                .containsPattern(
                        "flink_taskmanager_job_task_operator_datafabric_replication_edge_lagMs\\{[^}]*edge=\"probe_edge\"");
    }

    private static final Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The exposition of the reporter of this JVM: the port in the range that shows our job. */
    private static String scrapeOurReporter(HttpClient http) throws InterruptedException {
        String[] range = PORTS.split("-");
        for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                // the reporter filters label values too: the job name's '-' becomes '_'
                if (r.body().contains("job_name=\"alert_metric_probe\"")) {
                    return "\n" + r.body();
                }
                SEEN.add(port + ":" + r.body().length());
            } catch (IOException e) {
                // nothing (of ours) on this port
            }
        }
        return "";
    }

    /** Emits a tick every 20 ms until cancelled (at most 10 minutes). */
    private static final class Ticks implements SourceFunction<Long> {
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<Long> ctx) throws Exception {
            long end = System.currentTimeMillis() + 600_000;
            long i = 0;
            while (running && System.currentTimeMillis() < end) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(i++);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /** Registers the suite metrics the alerts name, as the jobs do. */
    private static final class ProbeMetrics extends RichMapFunction<Long, Long> {
        private final List<String[]> metrics;

        ProbeMetrics(List<String[]> metrics) {
            this.metrics = metrics;
        }

        @Override
        public void open(OpenContext openContext) {
            for (String[] m : metrics) {
                MetricGroup g = PartMetrics.of(getRuntimeContext().getMetricGroup(), m[0]).group();
                if (!m[1].isEmpty()) {
                    g = g.addGroup("edge", "probe_edge");
                }
                g.gauge(m[2], () -> 1L);
            }
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }
}
