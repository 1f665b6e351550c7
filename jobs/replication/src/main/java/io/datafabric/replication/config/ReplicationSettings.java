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

    /** Reads every key, then throws a ConfigException listing every problem. */
    public static ReplicationSettings from(Settings s, Map<String, String> env) {
        JdbcSettings control = JdbcSettings.from(s, "control.jdbc", env);
        Duration poll = s.duration("replication.poll-interval", Duration.ofSeconds(5));
        int capacity = s.intValue("replication.capacity", 250, 1, 10_000);
        int attempts = s.intValue("replication.retry.max-attempts", 5, 1, 100);
        Duration initial = s.duration("replication.retry.initial-backoff", Duration.ofSeconds(1));
        Duration max = s.duration("replication.retry.max-backoff", Duration.ofMinutes(1));
        Duration timeout = s.duration("replication.task-timeout", Duration.ofMinutes(30));
        int pool = s.intValue("replication.pool-size", 8, 1, 1000);
        int batch = s.intValue("replication.batch-rows", 10_000, 1, 10_000_000);
        Duration slice = s.duration("replication.task-slice", Duration.ofSeconds(10));
        Duration diffEvery = s.duration("replication.delete-diff-interval", Duration.ofHours(1));
        Duration lookback = s.duration("replication.lookback", Duration.ofSeconds(5));
        boolean bounded = s.bool("replication.bounded", false);
        String uri = s.string("rabbitmq.uri", null);
        String exchange = s.string("rabbitmq.exchange", "drms.events");
        String queue = s.string("rabbitmq.queue", "drms.replication");
        int parallelism = s.intValue("replication.parallelism", 1, 1, 1024);
        if (poll.isZero()) {
            s.problem("replication.poll-interval must be positive");
        }
        if (uri != null && !uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
            s.problem("rabbitmq.uri=" + uri + " must start with amqp:// or amqps://");
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
