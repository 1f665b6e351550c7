package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.config.Settings;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.schedule.ControlEvent;
import io.datafabric.testing.UidAudit;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.junit.jupiter.api.Test;

/**
 * Every operator of the replication pipeline, with events in and out, has an explicit uid, and the
 * uids are the ones the README lists (savepoints map state by them).
 */
class ReplicationUidTest {
    static final class Nothing<T> implements SourceFunction<T> {
        @Override
        public void run(SourceContext<T> ctx) {}

        @Override
        public void cancel() {}
    }

    @Test
    void everyOperatorHasItsDocumentedUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ReplicationSettings rs =
                ReplicationSettings.from(
                        Settings.of(Map.of("control.jdbc.url", "jdbc:postgresql://127.0.0.1/x")),
                        Map.of());
        ReplicationPipeline.builder(rs, new Nothing<ControlEvent>(), () -> null)
                .events(new Nothing<String>())
                .eventSink(new DiscardingSink<>())
                .build(env)
                .addSink(new DiscardingSink<>())
                .uid("test-outcomes");

        assertThat(UidAudit.operatorsWithoutUid(env)).isEmpty();
        assertThat(UidAudit.uids(env))
                .containsExactlyInAnyOrder(
                        "drms-control-source",
                        "drms-edge-commands-filter",
                        "drms-edge-commands",
                        "drms-graph-changes",
                        "drms-event-source",
                        "drms-event-router",
                        "drms-edge-scheduler",
                        "drms-task-executor",
                        "drms-loaded-rows",
                        "drms-event-json",
                        "drms-event-sink",
                        "test-outcomes");
    }
}
