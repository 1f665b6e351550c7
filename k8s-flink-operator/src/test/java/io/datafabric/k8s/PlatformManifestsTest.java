package io.datafabric.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rest of the platform: PostgreSQL, RabbitMQ, the api, the alerts and the images. */
class PlatformManifestsTest {

    @Test
    void postgresIsAThreeInstanceCloudNativePgClusterWithBackupsAndRoomFor500Clients() {
        JsonNode cluster = Manifests.baseObject("Cluster", "datafabric-pg").orElseThrow();
        assertThat(cluster.path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
        JsonNode spec = cluster.path("spec");
        assertThat(spec.path("instances").asInt()).isEqualTo(3);
        assertThat(spec.path("monitoring").path("enablePodMonitor").asBoolean()).isTrue();
        JsonNode params = spec.path("postgresql").path("parameters");
        int maxConnections = params.path("max_connections").asInt();
        int reserved = params.path("superuser_reserved_connections").asInt(3);
        assertThat(maxConnections - reserved).isGreaterThanOrEqualTo(500);
        JsonNode store = spec.path("backup").path("barmanObjectStore");
        assertThat(store.path("destinationPath").asText()).startsWith("s3://");
        assertThat(store.path("s3Credentials").path("accessKeyId").path("name").asText())
                .isEqualTo("datafabric-s3");
        assertThat(spec.path("backup").path("retentionPolicy").asText()).matches("\\d+[dwm]");

        JsonNode scheduled = Manifests.baseObjects("ScheduledBackup").get(0);
        assertThat(scheduled.path("spec").path("cluster").path("name").asText())
                .isEqualTo("datafabric-pg");
        // CloudNativePG schedules have six fields, seconds first
        assertThat(scheduled.path("spec").path("schedule").asText().split(" ")).hasSize(6);

        JsonNode pooler = Manifests.baseObjects("Pooler").get(0);
        assertThat(pooler.path("spec").path("cluster").path("name").asText())
                .isEqualTo("datafabric-pg");
        assertThat(
                        pooler.path("spec")
                                .path("pgbouncer")
                                .path("parameters")
                                .path("max_client_conn")
                                .asInt())
                .isGreaterThanOrEqualTo(500);
    }

    @Test
    void rabbitMqQueuesAreQuorumQueues() {
        JsonNode cluster = Manifests.baseObjects("RabbitmqCluster").get(0);
        assertThat(cluster.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(
                        Manifests.baseObjects("Vhost")
                                .get(0)
                                .path("spec")
                                .path("defaultQueueType")
                                .asText())
                .isEqualTo("quorum");
        List<JsonNode> queues = Manifests.baseObjects("Queue");
        assertThat(queues)
                .extracting(q -> q.path("spec").path("name").asText())
                .contains("drms.replication", "usage-files");
        for (JsonNode q : queues) {
            assertThat(q.path("spec").path("type").asText()).isEqualTo("quorum");
            assertThat(q.path("spec").path("durable").asBoolean()).isTrue();
        }
        // The replication job's defaults (jobs/replication README): exchange drms.events, queue
        // drms.replication.
        JsonNode jobConfig =
                Manifests.readTree(
                        Manifests.baseObject("ConfigMap", "replication-config")
                                .orElseThrow()
                                .path("data")
                                .path("job.yaml")
                                .asText());
        assertThat(jobConfig.path("rabbitmq").path("queue").asText()).isEqualTo("drms.replication");
        assertThat(Manifests.baseObjects("Exchange").get(0).path("spec").path("name").asText())
                .isEqualTo(jobConfig.path("rabbitmq").path("exchange").asText());
    }

    @Test
    void apiIsADeploymentWithProbesAServiceAndAnAutoscaler() {
        JsonNode deployment = Manifests.baseObject("Deployment", "datafabric-api").orElseThrow();
        JsonNode container =
                deployment.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(container.path("args").get(0).asText()).isEqualTo("api");
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
        selector.fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));

        JsonNode service = Manifests.baseObject("Service", "datafabric-api").orElseThrow();
        service.path("spec")
                .path("selector")
                .fields()
                .forEachRemaining(e -> assertThat(labels.path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo(container.path("ports").get(0).path("name").asText());

        JsonNode hpa =
                Manifests.baseObject("HorizontalPodAutoscaler", "datafabric-api").orElseThrow();
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo("datafabric-api");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
    }

    /**
     * Alerts use metrics that exist: every suite metric an expression names is registered by the
     * job's code, and every alert has a runbook section in docs/operations.md.
     */
    @Test
    void alertsNameRegisteredMetricsAndHaveRunbooks() throws IOException {
        JsonNode rule = Manifests.baseObjects("PrometheusRule").get(0);
        String operations = Manifests.read(Manifests.repoRoot().resolve("docs/operations.md"));
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#+\\s+(.+)$").matcher(operations);
        while (heading.find()) {
            anchors.add(anchor(heading.group(1)));
        }
        Set<String> alerts = new HashSet<>();
        List<String> problems = new ArrayList<>();
        Pattern suiteMetric =
                Pattern.compile(
                        "flink_taskmanager_job_task_operator_datafabric_([a-z]+)_(edge_)?([A-Za-z]+)");
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                String alert = r.path("alert").asText();
                String expr = r.path("expr").asText();
                assertThat(alert).startsWith("DataFabric");
                assertThat(alerts.add(alert)).as("unique " + alert).isTrue();
                assertThat(expr).as(alert).isNotBlank();
                String runbook = r.path("annotations").path("runbook").asText();
                String expected = "docs/operations.md#" + alert.toLowerCase(Locale.ROOT);
                if (!runbook.equals("docs/operations.md#alert-" + alert.toLowerCase(Locale.ROOT))
                        || !anchors.contains("alert-" + alert.toLowerCase(Locale.ROOT))) {
                    problems.add(
                            alert
                                    + ": runbook "
                                    + runbook
                                    + " has no section (want "
                                    + expected
                                    + ")");
                }
                Matcher m = suiteMetric.matcher(expr);
                while (m.find()) {
                    String part = m.group(1);
                    String metric = m.group(3);
                    String sources = mainSources(part);
                    if (!sources.contains("\"" + metric + "\"")) {
                        problems.add(
                                alert
                                        + ": metric "
                                        + metric
                                        + " is not registered by part "
                                        + part);
                    }
                    if (m.group(2) != null && !sources.contains("addGroup(\"edge\"")) {
                        problems.add(alert + ": part " + part + " has no edge key/value group");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(alerts)
                .contains(
                        "DataFabricCheckpointFailures",
                        "DataFabricUsageLag",
                        "DataFabricReplicationLag",
                        "DataFabricReplicationEdgeFailed",
                        "DataFabricPackerFailing",
                        "DataFabricApiErrorRate");
    }

    @Test
    void jobImageIsFlink120OnJava17WithTheS3Plugin() {
        String dockerfile = Manifests.read(Manifests.module().resolve("docker/Dockerfile"));
        assertThat(dockerfile).containsPattern("ARG FLINK_IMAGE=flink:1\\.20(\\.\\d+)?-java17");
        assertThat(dockerfile).contains("FROM ${FLINK_IMAGE}");
        assertThat(dockerfile)
                .contains("/opt/flink/plugins/s3-fs-hadoop")
                .contains("cp /opt/flink/opt/flink-s3-fs-hadoop-");
        String parent = Manifests.read(Manifests.repoRoot().resolve("pom.xml"));
        Matcher flink = Pattern.compile("<flink.version>([^<]+)</flink.version>").matcher(parent);
        assertThat(flink.find()).isTrue();
        assertThat(dockerfile).contains("flink:" + flink.group(1) + "-java17");
        String tools = Manifests.read(Manifests.module().resolve("docker/tools.Dockerfile"));
        assertThat(tools).contains("FROM eclipse-temurin:17");
        assertThat(
                        Files.isExecutable(
                                Manifests.module().resolve("docker/datafabric-entrypoint.sh")))
                .isTrue();
    }

    private static String mainSources(String part) {
        Path module =
                switch (part) {
                    case "usage" -> Path.of("jobs/usage-aggregation");
                    case "replication" -> Path.of("jobs/replication");
                    case "despacker" -> Path.of("jobs/des-packer");
                    default -> throw new AssertionError("unknown part " + part);
                };
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files =
                Files.walk(Manifests.repoRoot().resolve(module).resolve("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .forEach(p -> all.append(Manifests.read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** GitHub's anchor of a heading. */
    static String anchor(String heading) {
        return heading.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "")
                .replace(' ', '-');
    }
}
