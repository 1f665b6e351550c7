package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.UidAudit;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Savepoints map state to operators by uid: every operator of both usage pipelines has an explicit
 * one, and the list is pinned, so a renamed or forgotten uid fails here before it breaks an
 * upgrade.
 */
class UsagePipelineUidTest {

    private static StreamExecutionEnvironment built(Map<String, String> way) {
        Map<String, String> values = new java.util.HashMap<>(way);
        values.put("jdbc.url", "jdbc:postgresql://127.0.0.1:5432/unused");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new UsagePipeline(UsageTestData.config(values)).build(env);
        return env;
    }

    @Test
    void everyOperatorOfTheDirectoryPipelineHasAPinnedUid() {
        StreamExecutionEnvironment env = built(Map.of("usage.input", "/data/usage"));
        assertThat(UidAudit.operatorsWithoutUid(env)).isEmpty();
        assertThat(UidAudit.uids(env)).containsExactly(PINNED_DIRECTORY);
    }

    @Test
    void everyOperatorOfTheNotificationPipelineHasAPinnedUid() {
        StreamExecutionEnvironment env =
                built(
                        Map.of(
                                "usage.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/%2F",
                                "usage.rabbitmq.queue", "usage-files"));
        assertThat(UidAudit.operatorsWithoutUid(env)).isEmpty();
        assertThat(UidAudit.uids(env)).containsExactly(PINNED_NOTIFICATION);
    }

    // the sink's writer, committer and pre-commit stage take their uids from the sink's uid
    private static final String[] PINNED_DIRECTORY = {
        "Sink Committer: usage-postgres-sink",
        "usage-directory-source",
        "usage-postgres-sink",
        "usage-postgres-sink: usage-ledger-stamp"
    };
    private static final String[] PINNED_NOTIFICATION = {
        "Sink Committer: usage-postgres-sink",
        "usage-notification-planner",
        "usage-postgres-sink",
        "usage-postgres-sink: usage-ledger-stamp",
        "usage-rabbitmq-notifications",
        "usage-split-reader"
    };
}
