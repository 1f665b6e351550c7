package io.datafabric.drms.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetGraphTest {
    /** db1.orders -> (slice big) -> db2.big -> (slice recent) -> db3.recent; plus a side branch. */
    private static final String THREE_HOPS =
            """
            connections:
              db1: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1:5432/db1"}
              db2: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1:5432/db2"}
              db3: {dialect: mariadb, url: "jdbc:mariadb://127.0.0.1:3306/db3"}
            datasets:
              orders: {connection: db1, table: public.orders, cursor: [updated_at, id], soft-delete: deleted}
              big: {parent: orders, columns: [id, amount, status, updated_at], filter: {column: amount, op: ">=", value: 100}}
              big2: {connection: db2, table: big, cursor: [updated_at, id]}
              paid2: {parent: big2, columns: [id, amount, updated_at], filter: {column: status, op: "=", value: paid}}
              customers: {connection: db1, table: customers, cursor: [id]}
            consumers:
              paid_to_db3: {dataset: paid2, target: {connection: db3, table: paid}, approved: true}
              big_to_db2: {dataset: big, target: {connection: db2, table: public.big}, approved: true}
              customers_to_db3: {dataset: customers, target: {connection: db3, table: customers}, approved: true}
            """;

    private final DatasetGraph graph = GraphParser.parse(THREE_HOPS).graph();

    @Test
    void structureIsValid() {
        assertThat(graph.structuralProblems()).isEmpty();
    }

    @Test
    void topologicalOrderPutsEveryNodeAfterItsInputs() {
        List<DatasetGraph.NodeRef> order = graph.topologicalOrder();
        assertThat(order).hasSize(8);
        assertThat(order.indexOf(DatasetGraph.NodeRef.dataset("orders")))
                .isLessThan(order.indexOf(DatasetGraph.NodeRef.dataset("big")));
        assertThat(order.indexOf(DatasetGraph.NodeRef.consumer("big_to_db2")))
                .isLessThan(order.indexOf(DatasetGraph.NodeRef.dataset("big2")));
        assertThat(order.indexOf(DatasetGraph.NodeRef.dataset("paid2")))
                .isLessThan(order.indexOf(DatasetGraph.NodeRef.consumer("paid_to_db3")));
        assertThat(graph.consumersInOrder())
                .containsSubsequence("big_to_db2", "paid_to_db3")
                .hasSize(3);
    }

    @Test
    void downstreamSets() {
        assertThat(graph.downstreamConsumers(Set.of("orders")))
                .containsExactly("big_to_db2", "paid_to_db3");
        assertThat(graph.downstreamConsumers(Set.of("big2"))).containsExactly("paid_to_db3");
        assertThat(graph.downstreamConsumers(Set.of("customers")))
                .containsExactly("customers_to_db3");
        assertThat(graph.downstreamConsumers(Set.of("unknown"))).isEmpty();
        assertThat(graph.downstreamOfConsumer("big_to_db2")).containsExactly("paid_to_db3");
        assertThat(graph.downstreamOfConsumer("paid_to_db3")).isEmpty();
        assertThat(graph.upstreamConsumers("paid_to_db3")).containsExactly("big_to_db2");
        assertThat(graph.nextConsumers("big_to_db2")).containsExactly("paid_to_db3");
        assertThat(graph.nextConsumers("paid_to_db3")).isEmpty();
        assertThat(graph.consumersOf("orders")).containsExactly("big_to_db2");
        assertThat(graph.consumersOf("big2")).containsExactly("paid_to_db3");
        assertThat(graph.upstreamConsumers("big_to_db2")).isEmpty();
    }

    @Test
    void resolvingFoldsTheSlicesIn() {
        EdgeDefinition e = graph.resolve("paid_to_db3");
        assertThat(e.source().name()).isEqualTo("db2");
        assertThat(e.sourceTable()).isEqualTo("big");
        assertThat(e.cursor()).containsExactly("updated_at", "id");
        assertThat(e.columns()).containsExactly("id", "amount", "updated_at");
        assertThat(e.target().dialect()).isEqualTo("mariadb");
        assertThat(e.targetTable()).isEqualTo("paid");
        assertThat(e.stagedSource()).isTrue();
        assertThat(graph.resolve("big_to_db2").stagedSource()).isFalse();

        EdgeDefinition first = graph.resolve("big_to_db2");
        assertThat(first.softDelete()).isEqualTo("deleted");
        Condition withDeletes = first.effectiveFilter(TypeFamily.BOOLEAN);
        assertThat(withDeletes.columns()).containsExactly("amount", "deleted");
        assertThat(withDeletes.comparisons())
                .extracting(Condition.Comparison::op)
                .containsExactly(Operator.GE, Operator.IS_NULL, Operator.EQ);
        assertThat(first.effectiveFilter(TypeFamily.TIMESTAMP).comparisons()).hasSize(2);
    }

    @Test
    void edgeDefinitionsRoundTripAndFingerprintIgnoresScheduleAndStatus() {
        EdgeDefinition e = graph.resolve("big_to_db2");
        EdgeDefinition back = EdgeDefinition.fromJson(e.toJson());
        assertThat(back.toJson()).isEqualTo(e.toJson());
        assertThat(back.rulesFingerprint()).isEqualTo(e.rulesFingerprint());

        DatasetGraph rescheduled =
                GraphParser.parse(
                                THREE_HOPS.replace(
                                        "big_to_db2: {dataset: big, target: {connection: db2, table: public.big}, approved: true}",
                                        "big_to_db2: {dataset: big, target: {connection: db2, table: public.big}, schedule: 1h, paused: true}"))
                        .graph();
        EdgeDefinition r = rescheduled.resolve("big_to_db2");
        assertThat(r.status()).isEqualTo(ConsumerStatus.PAUSED);
        assertThat(r.rulesFingerprint()).isEqualTo(e.rulesFingerprint());

        DatasetGraph refiltered =
                GraphParser.parse(THREE_HOPS.replace("value: 100}", "value: 200}")).graph();
        assertThat(refiltered.resolve("big_to_db2").rulesFingerprint())
                .isNotEqualTo(e.rulesFingerprint());
        // the downstream edge reads db2.big, whose own rules did not change
        assertThat(refiltered.resolve("paid_to_db3").rulesFingerprint())
                .isEqualTo(graph.resolve("paid_to_db3").rulesFingerprint());
    }
}
