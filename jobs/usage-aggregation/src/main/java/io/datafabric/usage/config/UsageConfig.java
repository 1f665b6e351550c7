package io.datafabric.usage.config;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * The job's configuration, read from {@link Settings} and validated in one go (every problem is
 * reported, see {@link Settings#validate()}).
 *
 * @param input directory or URI to watch; null in notification mode
 * @param rabbitUri AMQP URI in notification mode, else null
 * @param queue queue of file notifications, else null
 * @param parallelism readers (and the job's default parallelism); 0 keeps Flink's default
 * @param leaseTtl time to live of the input's lease in {@code usage.input_leases}
 */
public record UsageConfig(
        String input,
        String rabbitUri,
        String queue,
        JdbcSettings jdbc,
        int parallelism,
        int maxParallelism,
        boolean bounded,
        Duration scanInterval,
        Duration checkpointInterval,
        String checkpointDir,
        long splitSize,
        long chunkSize,
        int preaggregateMaxEntries,
        Duration period,
        int recentPathsMax,
        Duration recentPathsMinAge,
        long maxRejectRowsPerSplit,
        Duration leaseTtl)
        implements Serializable {

    public static final String INPUT = "usage.input";
    public static final String RABBITMQ_URI = "usage.rabbitmq.uri";
    public static final String RABBITMQ_QUEUE = "usage.rabbitmq.queue";
    public static final String PARALLELISM = "usage.parallelism";
    public static final String MAX_PARALLELISM = "usage.max-parallelism";
    public static final String BOUNDED = "usage.bounded";
    public static final String SCAN_INTERVAL = "usage.scan-interval";
    public static final String CHECKPOINT_INTERVAL = "usage.checkpoint-interval";
    public static final String CHECKPOINT_DIR = "usage.checkpoint-dir";
    public static final String SPLIT_SIZE = "usage.split-size";
    public static final String CHUNK_SIZE = "usage.chunk-size";
    public static final String PREAGGREGATE_MAX_ENTRIES = "usage.preaggregate.max-entries";
    public static final String PERIOD = "usage.period";
    public static final String RECENT_PATHS_MAX = "usage.recent-paths.max";
    public static final String RECENT_PATHS_MIN_AGE = "usage.recent-paths.min-age";
    public static final String REJECT_ROWS_PER_SPLIT = "usage.rejects.max-rows-per-split";
    public static final String LEASE_TTL = "usage.lease.ttl";

    /**
     * Reads and validates; throws {@code ConfigException} listing every problem.
     *
     * @param env the environment, where {@code jdbc.password-env} names a variable (normally {@code
     *     System.getenv()}; tests pass their own)
     */
    public static UsageConfig from(Settings s, Map<String, String> env) {
        String input = s.optional(INPUT).orElse(null);
        String rabbit = s.optional(RABBITMQ_URI).orElse(null);
        String queue = s.optional(RABBITMQ_QUEUE).orElse(null);
        if (input == null && rabbit == null) {
            s.problem(
                    "give either "
                            + INPUT
                            + " (--input, a directory) or "
                            + RABBITMQ_URI
                            + " (--rabbitmq-uri) with "
                            + RABBITMQ_QUEUE
                            + " (--queue)");
        } else if (input != null && rabbit != null) {
            s.problem(INPUT + " and " + RABBITMQ_URI + " exclude each other: pick one way in");
        } else if (rabbit != null && queue == null) {
            s.problem(RABBITMQ_QUEUE + " (--queue) is required with " + RABBITMQ_URI);
        }
        if (rabbit != null && !rabbit.startsWith("amqp://") && !rabbit.startsWith("amqps://")) {
            s.problem(RABBITMQ_URI + "=" + rabbit + " must start with amqp:// or amqps://");
        }
        JdbcSettings jdbc = JdbcSettings.from(s, "jdbc", env);
        int parallelism = s.intValue(PARALLELISM, 0, 0, 1024);
        int maxParallelism = s.intValue(MAX_PARALLELISM, 128, 1, 32768);
        if (parallelism > maxParallelism) {
            s.problem(PARALLELISM + " must not exceed " + MAX_PARALLELISM);
        }
        boolean bounded = s.bool(BOUNDED, false);
        if (bounded && rabbit != null) {
            s.problem(BOUNDED + " applies to directory input only");
        }
        Duration scan = positive(s, SCAN_INTERVAL, Duration.ofSeconds(10));
        Duration checkpoint = positive(s, CHECKPOINT_INTERVAL, Duration.ofSeconds(10));
        String checkpointDir = s.optional(CHECKPOINT_DIR).orElse(null);
        long split = s.bytes(SPLIT_SIZE, 64L << 20, 1L << 20);
        long chunk = s.bytes(CHUNK_SIZE, 64L << 20, 64L << 10);
        int entries = s.intValue(PREAGGREGATE_MAX_ENTRIES, 262_144, 1, 1 << 26);
        Duration period = positive(s, PERIOD, Duration.ofHours(1));
        if (period.toMillis() % 1000 != 0) {
            s.problem(PERIOD + " must be a whole number of seconds");
        }
        int recentMax = s.intValue(RECENT_PATHS_MAX, 100_000, 1, 10_000_000);
        Duration recentAge = s.duration(RECENT_PATHS_MIN_AGE, Duration.ofHours(1));
        long rejectRows = s.longValue(REJECT_ROWS_PER_SPLIT, 100_000, 0, Long.MAX_VALUE);
        Duration leaseTtl = positive(s, LEASE_TTL, Duration.ofSeconds(30));
        if (leaseTtl.toMillis() < 300) {
            s.problem(LEASE_TTL + " must be at least 300ms");
        }
        s.validate();
        return new UsageConfig(
                input,
                rabbit,
                queue,
                jdbc,
                parallelism,
                maxParallelism,
                bounded,
                scan,
                checkpoint,
                checkpointDir,
                split,
                chunk,
                entries,
                period,
                recentMax,
                recentAge,
                rejectRows,
                leaseTtl);
    }

    /** The same configuration with another checkpoint directory. */
    public UsageConfig withCheckpointDir(String dir) {
        return new UsageConfig(
                input,
                rabbitUri,
                queue,
                jdbc,
                parallelism,
                maxParallelism,
                bounded,
                scanInterval,
                checkpointInterval,
                dir,
                splitSize,
                chunkSize,
                preaggregateMaxEntries,
                period,
                recentPathsMax,
                recentPathsMinAge,
                maxRejectRowsPerSplit,
                leaseTtl);
    }

    /** The same configuration with another parallelism (0 keeps Flink's default). */
    public UsageConfig withParallelism(int readers) {
        return new UsageConfig(
                input,
                rabbitUri,
                queue,
                jdbc,
                readers,
                maxParallelism,
                bounded,
                scanInterval,
                checkpointInterval,
                checkpointDir,
                splitSize,
                chunkSize,
                preaggregateMaxEntries,
                period,
                recentPathsMax,
                recentPathsMinAge,
                maxRejectRowsPerSplit,
                leaseTtl);
    }

    /** True when files come from RabbitMQ notifications. */
    public boolean notificationMode() {
        return rabbitUri != null;
    }

    private static Duration positive(Settings s, String key, Duration fallback) {
        Duration d = s.duration(key, fallback);
        if (d.isZero()) {
            s.problem(key + " must be greater than zero");
            return fallback;
        }
        return d;
    }
}
