package io.datafabric.drms.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.graph.GraphValidationException;
import io.datafabric.drms.graph.GraphValidator;
import io.datafabric.testing.PostgresDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control plane's public API against a real PostgreSQL: versions, the catalog (publish,
 * register, approve, reject, remove, with validation) and the task journal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneITCase {
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SOURCE = new PostgresDatabase();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane plane;

    @BeforeAll
    static void setUp() throws Exception {
        SOURCE.execute(
                "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL,"
                        + " status text NOT NULL, updated_at timestamp NOT NULL)");
        plane = new ControlPlane(new JdbcSettings(CONTROL.jdbcUrl(), CONTROL.user(), ""));
        plane.migrate();
        plane.migrate(); // idempotent
        String yaml =
                """
                connections:
                  db1: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  orders: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                consumers: {}
                """
                        .formatted(SOURCE.jdbcUrl());
        plane.versions()
                .apply(
                        yaml,
                        GraphValidator.parseValid(yaml, new JdbcSchemaLookup(Map.of())),
                        "file",
                        null);
    }

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    @Order(1)
    void publishesASliceAndRegistersAPendingConsumer() throws Exception {
        GraphVersion v2 =
                plane.catalog()
                        .upsertDataset(
                                "big",
                                json(
                                        "{\"parent\":\"orders\",\"filter\":{\"column\":\"amount\","
                                                + "\"op\":\">=\",\"value\":100}}"),
                                "alice",
                                new JdbcSchemaLookup(Map.of()));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.diff()).isEqualTo("+ datasets.big");

        GraphVersion v3 =
                plane.catalog()
                        .upsertConsumer(
                                "big_copy",
                                json(
                                        "{\"dataset\":\"big\",\"target\":{\"connection\":\"db1\","
                                                + "\"table\":\"big_copy\"},\"schedule\":\"5m\","
                                                + "\"status\":\"approved\"}"),
                                "bob",
                                null);
        assertThat(v3.version()).isEqualTo(3);
        CatalogEntry c = plane.catalog().consumer("big_copy").orElseThrow();
        assertThat(c.status()).as("a status in the request is ignored").isEqualTo("pending");
        assertThat(c.dataset()).isEqualTo("big");
        assertThat(plane.catalog().consumersOf("big"))
                .extracting(CatalogEntry::name)
                .containsExactly("big_copy");
        assertThat(plane.catalog().datasets())
                .extracting(CatalogEntry::name, CatalogEntry::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("big", "slice"),
                        org.assertj.core.groups.Tuple.tuple("orders", "table"));
        assertThat(plane.versions().current().graph().consumers()).containsKey("big_copy");
    }

    @Test
    @Order(2)
    void approvalIsKeptAcrossRuleChangesAndRejectStops() throws Exception {
        assertThat(plane.catalog().approve("big_copy", "carol")).isTrue();
        assertThat(plane.catalog().approve("nobody", "carol")).isFalse();
        CatalogEntry approved = plane.catalog().consumer("big_copy").orElseThrow();
        assertThat(approved.status()).isEqualTo("approved");
        assertThat(approved.statusChangedBy()).isEqualTo("carol");

        GraphVersion v4 =
                plane.catalog()
                        .upsertConsumer(
                                "big_copy",
                                json(
                                        "{\"dataset\":\"big\",\"target\":{\"connection\":\"db1\","
                                                + "\"table\":\"big_copy\"},\"schedule\":\"1m\"}"),
                                "bob",
                                null);
        // the approval made between the two versions shows in the diff too
        assertThat(v4.diff())
                .isEqualTo("~ consumers.big_copy: schedule 5m -> 1m, status pending -> approved");
        assertThat(plane.catalog().consumer("big_copy").orElseThrow().status())
                .isEqualTo("approved");
        assertThat(plane.catalog().reject("big_copy", "carol")).isTrue();
        assertThat(plane.versions().current().graph().consumer("big_copy").orElseThrow().status())
                .hasToString("REJECTED");
    }

    @Test
    @Order(3)
    void invalidChangesWriteNothingAndNameEveryProblem() throws Exception {
        long before = plane.versions().history().size();
        assertThatThrownBy(
                        () ->
                                plane.catalog()
                                        .upsertDataset(
                                                "bad",
                                                json(
                                                        "{\"parent\":\"orders\",\"columns\":[\"id\","
                                                                + "\"nope\"]}"),
                                                "alice",
                                                new JdbcSchemaLookup(Map.of())))
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(
                        () ->
                                plane.catalog()
                                        .upsertConsumer(
                                                "loop",
                                                json(
                                                        "{\"dataset\":\"ghost\",\"target\":"
                                                                + "{\"connection\":\"db1\","
                                                                + "\"table\":\"x\"}}"),
                                                "bob",
                                                null))
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> plane.catalog().deleteDataset("big", "alice"))
                .isInstanceOf(DatasetInUseException.class)
                .satisfies(
                        e ->
                                assertThat(((DatasetInUseException) e).dependents())
                                        .containsExactly("consumers.big_copy"));
        assertThat(plane.versions().history()).hasSize((int) before);
        assertThat(plane.catalog().dataset("bad")).isEmpty();
    }

    @Test
    @Order(4)
    void removesConsumerThenDatasetAsNewVersions() throws Exception {
        assertThat(plane.catalog().deleteConsumer("ghost", "bob")).isEmpty();
        assertThat(plane.catalog().deleteConsumer("big_copy", "bob").orElseThrow().diff())
                .isEqualTo("- consumers.big_copy");
        assertThat(plane.catalog().deleteDataset("big", "alice").orElseThrow().diff())
                .isEqualTo("- datasets.big");
        List<GraphVersion> history = plane.versions().history();
        assertThat(history.get(0).appliedBy()).isEqualTo("alice");
        // every change is recorded, and a version's text re-parses like a file (rollback)
        String v3 = plane.versions().version(3).orElseThrow().source();
        assertThat(GraphValidator.validate(v3, null)).isEmpty();
    }

    @Test
    @Order(5)
    void journalRecordsAttemptsPerConsumerNewestFirst() throws Exception {
        TaskJournal tasks = plane.tasks();
        long first = tasks.started("edge_a", "snapshot", null, 1);
        tasks.finished(
                new TaskRecord(
                        first, "retrying", null, 0, null, null, null, 1, "x".repeat(5000), false));
        long second = tasks.started("edge_a", "snapshot", "run-1", 2);
        tasks.finished(
                new TaskRecord(
                        second,
                        "succeeded",
                        "incremental",
                        7,
                        "{}",
                        "{\"batch\":1}",
                        "7:ab",
                        2,
                        null,
                        true));
        tasks.started("edge_b", "incremental", null, 1);

        List<TaskEntry> a = tasks.ofConsumer("edge_a", 10);
        assertThat(a).extracting(TaskEntry::id).containsExactly(second, first);
        assertThat(a.get(0).kind()).as("the kind that ran").isEqualTo("incremental");
        assertThat(a.get(0).rows()).isEqualTo(7);
        assertThat(a.get(0).converged()).isTrue();
        assertThat(a.get(1).kind()).as("kept when not reported").isEqualTo("snapshot");
        assertThat(a.get(1).error()).hasSize(TaskJournal.MAX_ERROR);
        assertThat(tasks.ofConsumer("edge_a", 1)).hasSize(1);
        assertThat(tasks.ofRun("run-1")).extracting(TaskEntry::id).containsExactly(second);
        assertThat(tasks.ofConsumer("edge_b", 10).get(0).status()).isEqualTo("running");
    }
}
