package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.Settings;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.schedule.ControlEvent;
import java.util.Map;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.junit.jupiter.api.Test;

/**
 * The {@code flink run} main fails by throwing, with the cause, never by {@code System.exit} (which
 * would end a JobManager); the pipeline builder takes no nulls.
 */
class ReplicationJobTest {
    static final class NoControl implements SourceFunction<ControlEvent> {
        @Override
        public void run(SourceContext<ControlEvent> ctx) {}

        @Override
        public void cancel() {}
    }

    @Test
    void badConfigurationIsThrownNotExited() {
        assertThatThrownBy(() -> ReplicationJob.main(new String[] {"--set", "x=y"}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exit code 2");
    }

    @Test
    void aFailureCarriesItsCause() {
        // nothing listens on port 1: the control plane cannot be migrated
        assertThatThrownBy(
                        () ->
                                ReplicationJob.main(
                                        new String[] {
                                            "--control-jdbc-url",
                                            "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2"
                                        }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exit code 1")
                .hasCauseInstanceOf(Exception.class);
    }

    @Test
    void theBuilderTakesNoNulls() {
        ReplicationSettings rs =
                ReplicationSettings.from(
                        Settings.of(Map.of("control.jdbc.url", "jdbc:postgresql://127.0.0.1/x")),
                        Map.of());
        EdgeTaskRunner.Factory runners = () -> null;
        assertThatThrownBy(() -> ReplicationPipeline.builder(rs, null, runners))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("control");
        assertThatThrownBy(
                        () ->
                                ReplicationPipeline.builder(rs, new NoControl(), runners)
                                        .events(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("events");
    }
}
