package io.datafabric.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each job's FlinkDeployment is a valid resource of the Flink Kubernetes Operator's API, says what
 * the operations docs promise (strict savepoint upgrades, Kubernetes HA, state on S3, a fixed max
 * parallelism), and names a jar and a main class this build produces.
 */
class FlinkDeploymentsTest {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of(
                        "usage-aggregation",
                        "jobs/usage-aggregation",
                        "io.datafabric.usage.UsageAggregationJob"),
                Arguments.of(
                        "replication",
                        "jobs/replication",
                        "io.datafabric.replication.ReplicationJob"),
                Arguments.of(
                        "des-packer", "jobs/des-packer", "io.datafabric.despacker.DesPackerJob"));
    }

    private static JsonNode tree(String name) {
        List<JsonNode> docs =
                Manifests.documents(Manifests.module().resolve("base/flink/" + name + ".yaml"));
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    private static FlinkDeployment deployment(JsonNode tree) throws Exception {
        return MAPPER.treeToValue(tree, FlinkDeployment.class);
    }

    @Test
    void thereIsOneFlinkDeploymentPerJob() {
        assertThat(Manifests.baseObjects("FlinkDeployment"))
                .extracting(o -> o.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("usage-aggregation", "replication", "des-packer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void deserializesIntoTheOperatorApiWithoutLosingAField(String name, String module, String entry)
            throws Exception {
        JsonNode original = tree(name);
        FlinkDeployment fd = deployment(original);
        // The operator's classes ignore unknown fields; a field the API does not know (a typo)
        // would be dropped silently, so the round trip must give back every leaf.
        JsonNode back = MAPPER.valueToTree(fd);
        List<String> lost = new ArrayList<>();
        compareLeaves("", original, back, lost);
        assertThat(lost).as("fields the operator API does not know").isEmpty();
        assertThat(fd.getKind()).isEqualTo("FlinkDeployment");
        assertThat(fd.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void applicationModeWithStrictSavepointUpgradesAndKubernetesHa(
            String name, String module, String entry) throws Exception {
        FlinkDeployment fd = deployment(tree(name));
        var spec = fd.getSpec();
        assertThat(spec.getFlinkVersion()).isEqualTo(FlinkVersion.v1_20);
        assertThat(spec.getMode()).isEqualTo(KubernetesDeploymentMode.NATIVE);
        assertThat(spec.getJob()).as("a job spec makes it an application deployment").isNotNull();
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(spec.getJob().getState()).isEqualTo(JobState.RUNNING);
        assertThat(spec.getJob().getAllowNonRestoredState()).isFalse();
        Map<String, String> conf = spec.getFlinkConfiguration();
        assertThat(conf)
                .containsEntry(
                        "kubernetes.operator.job.upgrade.last-state-fallback.enabled", "false")
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry("pipeline.max-parallelism", "128");
        assertThat(conf.get("high-availability.storageDir"))
                .startsWith("s3://")
                .endsWith("/" + name);
        assertThat(conf.get("state.checkpoints.dir")).startsWith("s3://").endsWith("/" + name);
        assertThat(conf.get("state.savepoints.dir")).startsWith("s3://").endsWith("/" + name);
        assertThat(spec.getJob().getParallelism())
                .isBetween(1, Integer.parseInt(conf.get("pipeline.max-parallelism")));
        assertThat(spec.getJobManager().getResource().getMemory()).isNotBlank();
        assertThat(spec.getTaskManager().getResource().getCpu()).isPositive();
        assertThat(spec.getServiceAccount()).isEqualTo("flink");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void jarUriIsAJarTheImageCopiesFromTheJobModulesBuild(String name, String module, String entry)
            throws Exception {
        FlinkDeployment fd = deployment(tree(name));
        String jarUri = fd.getSpec().getJob().getJarURI();
        assertThat(jarUri).startsWith("local:///opt/flink/usrlib/");
        String imagePath = jarUri.substring("local://".length());

        // The Dockerfile copies <module>/target/datafabric-<job>-${DF_VERSION}-flink-job.jar there.
        String dockerfile = Manifests.read(Manifests.module().resolve("docker/Dockerfile"));
        Matcher copy =
                Pattern.compile(
                                "(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+"
                                        + Pattern.quote(imagePath)
                                        + "\\s*$")
                        .matcher(dockerfile);
        assertThat(copy.find()).as("Dockerfile COPY to " + imagePath).isTrue();
        String artifactId = "datafabric-" + Path.of(module).getFileName();
        assertThat(copy.group(1))
                .isEqualTo(module + "/target/" + artifactId + "-${DF_VERSION}-flink-job.jar");

        // ... and the module builds exactly that: its artifactId, the project version (the
        // Dockerfile's default DF_VERSION) and the shade classifier flink-job.
        String pom = Manifests.read(Manifests.repoRoot().resolve(module).resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>" + artifactId + "</artifactId>");
        assertThat(pom).contains("<shadedClassifierName>flink-job</shadedClassifierName>");
        String version = projectVersion();
        assertThat(dockerfile).contains("ARG DF_VERSION=" + version);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void entryClassIsAMainOfTheJobModule(String name, String module, String entry)
            throws Exception {
        FlinkDeployment fd = deployment(tree(name));
        assertThat(fd.getSpec().getJob().getEntryClass()).isEqualTo(entry);
        Class<?> main = Class.forName(entry, false, getClass().getClassLoader());
        Method m = main.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(m.getModifiers())).isTrue();
        // compiled from the job module's own sources, not from a dependency
        assertThat(
                        Files.isRegularFile(
                                Manifests.repoRoot()
                                        .resolve(module)
                                        .resolve("src/main/java")
                                        .resolve(entry.replace('.', '/') + ".java")))
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void argumentsComeFromAConfigMapAndCredentialsFromSecrets(
            String name, String module, String entry) throws Exception {
        FlinkDeployment fd = deployment(tree(name));
        assertThat(fd.getSpec().getJob().getArgs())
                .containsExactly("--config", "/opt/datafabric/conf/job.yaml");
        PodTemplateSpec pod = fd.getSpec().getPodTemplate();
        Container main =
                pod.getSpec().getContainers().stream()
                        .filter(c -> c.getName().equals("flink-main-container"))
                        .findFirst()
                        .orElseThrow();
        VolumeMount mount =
                main.getVolumeMounts().stream()
                        .filter(v -> v.getMountPath().equals("/opt/datafabric/conf"))
                        .findFirst()
                        .orElseThrow();
        Volume volume =
                pod.getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow();
        String configMap = volume.getConfigMap().getName();
        JsonNode cm = Manifests.baseObject("ConfigMap", configMap).orElseThrow();
        JsonNode jobYaml = Manifests.readTree(cm.path("data").path("job.yaml").asText());
        assertThat(jobYaml.isObject()).isTrue();
        assertThat(jobYaml.toString().toLowerCase()).doesNotContain("password\":\"");

        // Every password and key comes from a secret; nothing secret is written in the manifest.
        for (EnvVar env : main.getEnv()) {
            if (env.getName().matches(".*(PASSWORD|SECRET|ACCESS_KEY|_URI).*")) {
                assertThat(env.getValue()).as(env.getName()).isNull();
                assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
            }
        }
        assertThat(main.getEnv())
                .extracting(EnvVar::getName)
                .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

        // Settings the job sets itself must agree with the FlinkDeployment.
        Map<String, String> conf = fd.getSpec().getFlinkConfiguration();
        int parallelism = fd.getSpec().getJob().getParallelism();
        if (name.equals("usage-aggregation")) {
            assertThat(jobYaml.path("usage").has("parallelism"))
                    .as("usage.parallelism would override job.parallelism")
                    .isFalse();
            assertThat(jobYaml.path("usage").path("max-parallelism").asText())
                    .isEqualTo(conf.get("pipeline.max-parallelism"));
        }
        if (name.equals("des-packer")) {
            assertThat(jobYaml.path("packer").path("parallelism").asInt()).isEqualTo(parallelism);
            assertThat(jobYaml.path("packer").path("max-parallelism").asText())
                    .isEqualTo(conf.get("pipeline.max-parallelism"));
        }
        if (name.equals("replication")) {
            assertThat(jobYaml.path("replication").path("parallelism").asInt())
                    .isEqualTo(parallelism);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void prometheusScrapingAndJsonLogs(String name, String module, String entry) throws Exception {
        FlinkDeployment fd = deployment(tree(name));
        PodTemplateSpec pod = fd.getSpec().getPodTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry("datafabric.io/job", name);
        Container main = pod.getSpec().getContainers().get(0);
        assertThat(main.getPorts())
                .anySatisfy(
                        p -> {
                            assertThat(p.getName()).isEqualTo("metrics");
                            assertThat(String.valueOf(p.getContainerPort()))
                                    .isEqualTo(
                                            fd.getSpec()
                                                    .getFlinkConfiguration()
                                                    .get("metrics.reporter.prom.port"));
                        });
        assertThat(fd.getSpec().getLogConfiguration())
                .containsEntry(
                        "log4j-console.properties",
                        Manifests.read(
                                Manifests.repoRoot()
                                        .resolve("flink-conf/log4j-console.properties")));
    }

    /** The keys flink-conf/config.yaml sets are set to the same values in every deployment. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void flinkSettingsAgreeWithFlinkConf(String name, String module, String entry)
            throws Exception {
        Configuration reference =
                GlobalConfiguration.loadConfiguration(
                        Manifests.repoRoot().resolve("flink-conf").toString());
        Configuration deployed =
                Configuration.fromMap(deployment(tree(name)).getSpec().getFlinkConfiguration());
        List<ConfigOption<?>> shared =
                List.of(
                        StateBackendOptions.STATE_BACKEND,
                        CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                        CheckpointingOptions.MAX_RETAINED_CHECKPOINTS,
                        ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL,
                        ExecutionCheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                        ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT,
                        ExecutionCheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                        ExecutionCheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                        ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT,
                        ExecutionCheckpointingOptions.ENABLE_UNALIGNED,
                        ExecutionCheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT,
                        RestartStrategyOptions.RESTART_STRATEGY,
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
                        PipelineOptions.MAX_PARALLELISM,
                        PipelineOptions.GENERIC_TYPES);
        for (ConfigOption<?> option : shared) {
            assertThat(reference.contains(option)).as("flink-conf sets " + option.key()).isTrue();
            assertThat(deployed.get(option)).as(option.key()).isEqualTo(reference.get(option));
        }
        for (String raw :
                List.of("metrics.reporter.prom.factory.class", "metrics.reporter.prom.port")) {
            assertThat(deployed.toMap().get(raw)).as(raw).isEqualTo(reference.toMap().get(raw));
        }
    }

    private static String projectVersion() {
        String pom = Manifests.read(Manifests.repoRoot().resolve("pom.xml"));
        Matcher m =
                Pattern.compile(
                                "<artifactId>datafabric-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Records every leaf of {@code original} that is missing or different in {@code back}. */
    private static void compareLeaves(
            String path, JsonNode original, JsonNode back, List<String> lost) {
        if (original.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = original.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode other = back == null ? null : back.get(f.getKey());
                compareLeaves(path + "." + f.getKey(), f.getValue(), other, lost);
            }
        } else if (original.isArray()) {
            for (int i = 0; i < original.size(); i++) {
                compareLeaves(
                        path + "[" + i + "]",
                        original.get(i),
                        back == null ? null : back.get(i),
                        lost);
            }
        } else if (back == null || back.isNull()) {
            lost.add(path);
        } else if (original.isNumber() || back.isNumber()) {
            if (Double.parseDouble(original.asText()) != Double.parseDouble(back.asText())) {
                lost.add(path + " (" + original.asText() + " became " + back.asText() + ")");
            }
        } else if (!original.asText().equals(back.asText())) {
            lost.add(path + " (" + original.asText() + " became " + back.asText() + ")");
        }
    }
}
