package io.datafabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.common.config.Settings;
import io.datafabric.common.flink.FlinkEnvironments;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job started the way bin/datafabric starts it runs on a local MiniCluster with the dashboard.
 */
class LocalDashboardITCase {
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void clearProperty() {
        System.clearProperty(FlinkEnvironments.LOCAL_WEB_PORT_PROPERTY);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dashboardServesTheWebUiAndShowsTheRunningJob() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        System.setProperty(FlinkEnvironments.LOCAL_WEB_PORT_PROPERTY, Integer.toString(port));
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(Settings.of(Map.of("flink.parallelism.default", "1")));
        env.fromSequence(0, Long.MAX_VALUE)
                .map(new Slow())
                .name("slow-map")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("dashboard-check");
        try {
            int webPort = port;
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> get(webPort, "/jobs/overview").body().contains("\"RUNNING\""));
            HttpResponse<String> overview = get(port, "/jobs/overview");
            assertThat(overview.body()).contains("dashboard-check");
            HttpResponse<String> index = get(port, "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).containsIgnoringCase("<html");
            assertThat(get(port, "/config").body()).contains("flink-version");
        } finally {
            job.cancel().get();
        }
    }

    static final class Slow implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws InterruptedException {
            Thread.sleep(10);
            return value;
        }
    }
}
