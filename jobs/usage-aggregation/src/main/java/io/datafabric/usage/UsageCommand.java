package io.datafabric.usage;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import io.datafabric.common.flink.FlinkEnvironments;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.usage.config.UsageConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code usage}: runs the usage-aggregation job. */
@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description =
                "Sums usage files (<consumer_id> <amount> per line) per consumer into PostgreSQL,"
                        + " exactly once. Files come from a watched directory (--input) or from"
                        + " RabbitMQ notifications (--rabbitmq-uri, --queue).")
public final class UsageCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UsageCommand.class);

    @Option(
            names = "--input",
            description = "Directory to watch: a local path or s3://bucket/prefix.")
    String input;

    @Option(
            names = "--rabbitmq-uri",
            description = "AMQP URI of the broker with file notifications.")
    String rabbitUri;

    @Option(names = "--queue", description = "Queue of file notifications (with --rabbitmq-uri).")
    String queue;

    @Option(names = "--jdbc-url", description = "PostgreSQL JDBC URL (jdbc.url).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "PostgreSQL user (jdbc.user).")
    String jdbcUser;

    @Option(names = "--parallelism", description = "Parallel readers (usage.parallelism).")
    Integer parallelism;

    @Option(
            names = "--bounded",
            description = "Process the complete files present at start, commit and exit.")
    boolean bounded;

    @Option(names = "--scan-interval", description = "Pause between directory listings (10s).")
    String scanInterval;

    @Option(names = "--checkpoint-interval", description = "Checkpoint (= commit) interval (10s).")
    String checkpointInterval;

    @Option(names = "--checkpoint-dir", description = "Where checkpoints go (a file system URI).")
    String checkpointDir;

    @Option(names = "--split-size", description = "Bytes per split of a big file (64m).")
    String splitSize;

    @Option(names = "--period", description = "Statistics period of usage.by_period (1h).")
    String period;

    @Option(names = "--config", description = "YAML configuration file.")
    Path config;

    @Option(
            names = "--set",
            description = "Override one configuration key: --set key=value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() {
        Settings settings;
        UsageConfig usage;
        try {
            ConfigLoader loader =
                    new ConfigLoader()
                            .yamlFile(config)
                            .environment(System.getenv())
                            .overrides(sets)
                            .set(UsageConfig.INPUT, input, "--input")
                            .set(UsageConfig.RABBITMQ_URI, rabbitUri, "--rabbitmq-uri")
                            .set(UsageConfig.RABBITMQ_QUEUE, queue, "--queue")
                            .set("jdbc.url", jdbcUrl, "--jdbc-url")
                            .set("jdbc.user", jdbcUser, "--jdbc-user")
                            .set(
                                    UsageConfig.PARALLELISM,
                                    parallelism == null ? null : parallelism.toString(),
                                    "--parallelism")
                            .set(UsageConfig.BOUNDED, bounded ? "true" : null, "--bounded")
                            .set(UsageConfig.SCAN_INTERVAL, scanInterval, "--scan-interval")
                            .set(
                                    UsageConfig.CHECKPOINT_INTERVAL,
                                    checkpointInterval,
                                    "--checkpoint-interval")
                            .set(UsageConfig.CHECKPOINT_DIR, checkpointDir, "--checkpoint-dir")
                            .set(UsageConfig.SPLIT_SIZE, splitSize, "--split-size")
                            .set(UsageConfig.PERIOD, period, "--period");
            settings = loader.load();
            usage = UsageConfig.from(settings, System.getenv());
            checkLocalInput(usage);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            Migrations.apply(usage.jdbc(), "usage");
            StreamExecutionEnvironment env = FlinkEnvironments.create(settings);
            new UsagePipeline(withDefaultCheckpointDir(usage, env)).build(env);
            env.execute("usage-aggregation");
            return 0;
        } catch (Exception e) {
            LOG.error("usage-aggregation failed", e);
            System.err.println("usage-aggregation failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * A local input directory is checked before the job starts (a missing one would otherwise make
     * a bounded job fail and restart); remote ones are checked by the job, where the file system
     * plugins are.
     */
    private static void checkLocalInput(UsageConfig usage) {
        if (usage.input() == null) {
            return;
        }
        URI uri = new org.apache.flink.core.fs.Path(usage.input()).toUri();
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
            Path local = Path.of(uri.getPath());
            if (!Files.isDirectory(local)) {
                throw new ConfigException(
                        UsageConfig.INPUT + "=" + usage.input() + " is not an existing directory");
            }
        }
    }

    /**
     * Committables (the sums of a checkpoint) live in checkpoints until applied; the JobManager's
     * in-memory checkpoint storage caps state at a few MB, so without a configured directory a
     * local one is used (bounded runs take no checkpoints).
     */
    private static UsageConfig withDefaultCheckpointDir(
            UsageConfig usage, StreamExecutionEnvironment env) {
        if (usage.bounded()
                || usage.checkpointDir() != null
                || env.getConfiguration()
                        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                        .isPresent()) {
            return usage;
        }
        String dir =
                Path.of(System.getProperty("java.io.tmpdir"), "datafabric-usage-checkpoints")
                        .toUri()
                        .toString();
        System.err.println("no checkpoint directory configured; using " + dir);
        return usage.withCheckpointDir(dir);
    }
}
