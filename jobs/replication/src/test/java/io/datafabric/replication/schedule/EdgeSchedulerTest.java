package io.datafabric.replication.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.drms.graph.GraphParser;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EdgeSchedulerTest {
    private static final String GRAPH =
            """
            connections:
              a: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/a"}
              b: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/b"}
            datasets:
              t: {connection: a, table: t, cursor: [id]}
            consumers:
              e: {dataset: t, target: {connection: b, table: t}, schedule: 10s, approved: true}
            """;

    private KeyedOneInputStreamOperatorTestHarness<String, EdgeCommand, TaskRequest> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new EdgeScheduler(null), EdgeCommand::edgeId, Types.STRING);
        harness.setProcessingTime(1_000);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static EdgeDefinition definition(String yaml) {
        DatasetGraph g = GraphParser.parse(yaml).graph();
        return g.resolve("e");
    }

    private void send(EdgeCommand.Kind kind, EdgeDefinition def) throws Exception {
        harness.processElement(
                new EdgeCommand(kind, "e", def, "upstream x"), harness.getProcessingTime());
    }

    private List<TaskRequest.Kind> kinds() {
        List<TaskRequest.Kind> out =
                harness.extractOutputValues().stream().map(TaskRequest::kind).toList();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void newEdgeSnapshotsThenRunsOnSchedule() throws Exception {
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        assertThat(kinds()).containsExactly(TaskRequest.Kind.SNAPSHOT);
        harness.setProcessingTime(10_999);
        assertThat(kinds()).isEmpty();
        harness.setProcessingTime(11_000);
        assertThat(kinds()).containsExactly(TaskRequest.Kind.INCREMENTAL);
        harness.setProcessingTime(21_000);
        assertThat(kinds()).containsExactly(TaskRequest.Kind.INCREMENTAL);
        // the same configuration again (a job restart re-reads it) changes nothing
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        assertThat(kinds()).isEmpty();
    }

    @Test
    void triggersRunAtOnceAndRuleChangesSnapshot() throws Exception {
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        kinds();
        send(EdgeCommand.Kind.TRIGGER, null);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.kind()).isEqualTo(TaskRequest.Kind.INCREMENTAL);
                            assertThat(r.reason()).isEqualTo("upstream x");
                        });
        harness.getOutput().clear();
        send(
                EdgeCommand.Kind.CONFIG,
                definition(
                        GRAPH.replace("cursor: [id]}", "cursor: [id]}\n  s: {parent: t}")
                                .replace("dataset: t,", "dataset: s, columns: [id],")));
        assertThat(kinds()).containsExactly(TaskRequest.Kind.SNAPSHOT);
    }

    @Test
    void pausedEdgesStopAndResume() throws Exception {
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        kinds();
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH.replace("approved: true", "paused: true")));
        harness.setProcessingTime(100_000);
        send(EdgeCommand.Kind.TRIGGER, null);
        assertThat(kinds()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        assertThat(kinds()).containsExactly(TaskRequest.Kind.INCREMENTAL);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    @Test
    void scheduleChangeMovesTheTimerAndRemovalForgets() throws Exception {
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH));
        kinds();
        send(EdgeCommand.Kind.CONFIG, definition(GRAPH.replace("schedule: 10s", "schedule: 1h")));
        assertThat(kinds()).isEmpty();
        harness.setProcessingTime(11_000);
        assertThat(kinds()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        send(EdgeCommand.Kind.REMOVE, null);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        // the executor is told, so that it forgets the edge and its metrics
        assertThat(kinds()).containsExactly(TaskRequest.Kind.REMOVE);
        send(EdgeCommand.Kind.TRIGGER, null);
        assertThat(kinds()).isEmpty();
    }
}
