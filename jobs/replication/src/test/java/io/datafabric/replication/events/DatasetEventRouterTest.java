package io.datafabric.replication.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.replication.schedule.ControlEvent;
import io.datafabric.replication.schedule.EdgeCommand;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event router with Flink's broadcast operator harness: which events trigger which edges. */
class DatasetEventRouterTest {
    /**
     * orders ─ a (approved) → copy ─ b (approved), c (pending); orders ▸ big (slice) ─ d
     * (approved).
     */
    private static final String GRAPH =
            """
            connections:
              one: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/one"}
              two: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/two"}
            datasets:
              orders: {connection: one, table: orders, cursor: [id]}
              big: {parent: orders, filter: {column: amount, op: ">=", value: 100}}
              copy: {connection: two, table: orders_copy, cursor: [id]}
            consumers:
              a: {dataset: orders, target: {connection: two, table: orders_copy}, approved: true}
              b: {dataset: copy, target: {connection: one, table: copy_b}, approved: true}
              c: {dataset: copy, target: {connection: one, table: copy_c}}
              d: {dataset: big, target: {connection: two, table: big_d}, approved: true}
            """;

    private BroadcastOperatorTestHarness<String, ControlEvent, EdgeCommand> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new DatasetEventRouter(), DatasetEventRouter.GRAPH);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void graph(String yaml) throws Exception {
        harness.processBroadcastElement(ControlEvent.graph(yaml, 1), 0);
    }

    private List<String> route(String event) throws Exception {
        harness.processElement(event, 0);
        List<EdgeCommand> out = harness.extractOutputValues();
        harness.getOutput().clear();
        assertThat(out).allMatch(c -> c.kind() == EdgeCommand.Kind.TRIGGER);
        return out.stream().map(EdgeCommand::edgeId).sorted().toList();
    }

    private static String loaded(String dataset, String edge) {
        return "{\"schema_version\":1,\"dataset\":\""
                + dataset
                + "\",\"edge\":"
                + (edge == null ? "null" : "\"" + edge + "\"")
                + ",\"rows\":3,\"cursor\":null}";
    }

    @Test
    void eventsBeforeTheGraphTriggerNothing() throws Exception {
        assertThat(route(loaded("orders", null))).isEmpty();
    }

    @Test
    void anEdgesEventTriggersTheApprovedConsumersOfItsTarget() throws Exception {
        graph(GRAPH);
        assertThat(route(loaded("orders", "a"))).containsExactly("b");
        assertThat(route(loaded("copy", "b"))).as("b's target has no consumer").isEmpty();
    }

    @Test
    void anOutsideEventTriggersTheDatasetsConsumersAndItsSlices() throws Exception {
        graph(GRAPH);
        assertThat(route(loaded("orders", null))).containsExactly("a", "d");
        assertThat(route(loaded("copy", null))).containsExactly("b");
        assertThat(route(loaded("nowhere", null))).isEmpty();
    }

    @Test
    void aNewGraphChangesTheRouting() throws Exception {
        graph(GRAPH);
        graph(GRAPH.replace("copy_c}}", "copy_c}, approved: true}"));
        assertThat(route(loaded("orders", "a"))).containsExactly("b", "c");
        graph(GRAPH.replace("table: orders_copy}, approved: true}", "table: orders_copy}}"));
        assertThat(route(loaded("orders", null))).as("a is pending now").containsExactly("d");
    }

    @Test
    void invalidEventsAreDroppedWithoutStoppingTheRouter() throws Exception {
        graph(GRAPH);
        assertThat(route("not json")).isEmpty();
        assertThat(route("{\"schema_version\":2,\"dataset\":\"orders\"}")).isEmpty();
        assertThat(route("{\"schema_version\":1,\"dataset\":\"bad name!\",\"rows\":1}")).isEmpty();
        assertThat(route(loaded("orders", null))).containsExactly("a", "d");
    }
}
