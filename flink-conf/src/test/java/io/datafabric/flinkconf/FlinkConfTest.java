package io.datafabric.flinkconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.junit.jupiter.api.Test;

/** flink-conf/config.yaml parses with Flink's own loader and says what the README promises. */
class FlinkConfTest {

    private static Configuration load() {
        Path dir = Path.of(System.getProperty("datafabric.repo.root", ".."), "flink-conf");
        assertThat(Files.isRegularFile(dir.resolve("config.yaml"))).as(dir.toString()).isTrue();
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    @Test
    void rocksDbWithIncrementalCheckpoints() {
        Configuration conf = load();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void exactlyOnceCheckpointingEveryThirtySeconds() {
        Configuration conf = load();
        assertThat(conf.get(ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(conf.get(ExecutionCheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    }

    @Test
    void exponentialDelayRestarts() {
        Configuration conf = load();
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void savepointCompatibilityAndPrometheus() {
        Configuration conf = load();
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.toMap())
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9249");
        assertThat(conf.toMap().get("env.java.opts.all"))
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }

    @Test
    void unalignedOnlyUnderBackpressureAndStateOnS3() {
        Configuration conf = load();
        assertThat(conf.get(ExecutionCheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
        assertThat(conf.get(ExecutionCheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(conf.get(ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("s3://");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("s3://");
        assertThat(conf.toMap())
                .containsEntry("s3.path.style.access", "true")
                .doesNotContainKeys("s3.access-key", "s3.secret-key");
    }
}
