package io.datafabric.replication.config;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * The replication job's configuration, read and validated at start-up (keys in the README).
 *
 * @param control the control-plane database
 * @param pollInterval how often the control plane is read for changes
 * @param capacity tasks in flight at most (async I/O capacity and worker threads)
 * @param retry back-off and attempts of a failing task
 * @param taskTimeout a task (with its retries) running longer gives its slot back as failed
 * @param poolSize connections per database at most
 * @param batchRows rows per load transaction
 * @param taskSlice an incremental task stops starting batches after this long and reports what it
 *     did (so events and outcomes flow under continuous writes); the next run continues
 * @param deleteDiffInterval how often at most an incremental task also diffs primary keys to find
 *     hard deletes at a source read by cursor
 * @param lookback how far before its stored position an incremental read starts again, to pick up
 *     rows committed late with older cursor values
 * @param bounded run every approved edge until it converged, then exit
 * @param rabbitUri RabbitMQ for events, or null to run without (edges then run on schedule only)
 * @param exchange the topic exchange events are published to and read from
 * @param queue the durable queue this job reads events from
 * @param parallelism the job's parallelism
 */
public record ReplicationSettings(
        JdbcSettings control,
        Duration pollInterval,
        int capacity,
        RetryPolicy retry,
        Duration taskTimeout,
        int poolSize,
        int batchRows,
        Duration taskSlice,
        Duration deleteDiffInterval,
        Duration lookback,
        boolean bounded,
        String rabbitUri,
        String exchange,
        String queue,
        int parallelism)
        implements Serializable {

    /** The configuration keys (README, "Configuration keys"); {@code CONTROL_JDBC} is a prefix. */
    public static final String CONTROL_JDBC = "control.jdbc";

    public static final String POLL_INTERVAL = "replication.poll-interval";
    public static final String CAPACITY = "replication.capacity";
    public static final String RETRY_MAX_ATTEMPTS = "replication.retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = "replication.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "replication.retry.max-backoff";
    public static final String TASK_TIMEOUT = "replication.task-timeout";
    public static final String POOL_SIZE = "replication.pool-size";
    public static final String BATCH_ROWS = "replication.batch-rows";
    public static final String TASK_SLICE = "replication.task-slice";
    public static final String DELETE_DIFF_INTERVAL = "replication.delete-diff-interval";
    public static final String LOOKBACK = "replication.lookback";
    public static final String BOUNDED = "replication.bounded";
    public static final String RABBITMQ_URI = "rabbitmq.uri";
    public static final String RABBITMQ_EXCHANGE = "rabbitmq.exchange";
    public static final String RABBITMQ_QUEUE = "rabbitmq.queue";
    public static final String PARALLELISM = "replication.parallelism";

    /** Reads every key, then throws a ConfigException listing every problem. */
    public static ReplicationSettings from(Settings s, Map<String, String> env) {
        JdbcSettings control = JdbcSettings.from(s, CONTROL_JDBC, env);
        Duration poll = s.duration(POLL_INTERVAL, Duration.ofSeconds(5));
        int capacity = s.intValue(CAPACITY, 250, 1, 10_000);
        int attempts = s.intValue(RETRY_MAX_ATTEMPTS, 5, 1, 100);
        Duration initial = s.duration(RETRY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        Duration max = s.duration(RETRY_MAX_BACKOFF, Duration.ofMinutes(1));
        Duration timeout = s.duration(TASK_TIMEOUT, Duration.ofMinutes(30));
        int pool = s.intValue(POOL_SIZE, 8, 1, 1000);
        int batch = s.intValue(BATCH_ROWS, 10_000, 1, 10_000_000);
        Duration slice = s.duration(TASK_SLICE, Duration.ofSeconds(10));
        Duration diffEvery = s.duration(DELETE_DIFF_INTERVAL, Duration.ofHours(1));
        Duration lookback = s.duration(LOOKBACK, Duration.ofSeconds(5));
        boolean bounded = s.bool(BOUNDED, false);
        String uri = s.string(RABBITMQ_URI, null);
        String exchange = s.string(RABBITMQ_EXCHANGE, "drms.events");
        String queue = s.string(RABBITMQ_QUEUE, "drms.replication");
        int parallelism = s.intValue(PARALLELISM, 1, 1, 1024);
        if (poll.isZero()) {
            s.problem(POLL_INTERVAL + " must be positive");
        }
        if (uri != null && !uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
            s.problem(RABBITMQ_URI + "=" + uri + " must start with amqp:// or amqps://");
        }
        s.validate();
        return new ReplicationSettings(
                control,
                poll,
                capacity,
                new RetryPolicy(attempts, initial, max),
                timeout,
                pool,
                batch,
                slice,
                diffEvery,
                lookback,
                bounded,
                uri,
                exchange,
                queue,
                parallelism);
    }

    /** How long the async operator waits for one element: every attempt plus the back-offs. */
    public Duration asyncTimeout() {
        Duration total = taskTimeout.multipliedBy(retry.maxAttempts());
        for (int i = 1; i < retry.maxAttempts(); i++) {
            total = total.plus(retry.delayAfter(i));
        }
        return total;
    }
}
