package io.datafabric.drms.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectTest {
    private static final String HOSTILE = "a\"; DROP TABLE x; --";
    private static final String HOSTILE_BACKTICK = "b`; DROP TABLE x; --";

    private static final TableSchema ORDERS =
            new TableSchema(
                    new TableName("public", "orders"),
                    List.of(
                            new Column("id", ColumnType.BIGINT, false),
                            new Column("customer_id", ColumnType.BIGINT, false),
                            new Column("amount", ColumnType.decimal(12, 2), false),
                            new Column("status", ColumnType.varchar(20), true),
                            new Column("updated_at", ColumnType.TIMESTAMP, false)),
                    List.of("id"));

    private static final TableSchema HOSTILE_TABLE =
            new TableSchema(
                    new TableName("s\"x", "t`y"),
                    List.of(
                            new Column("id", ColumnType.BIGINT, false),
                            new Column(HOSTILE, ColumnType.TEXT, true),
                            new Column(HOSTILE_BACKTICK, ColumnType.TEXT, true)),
                    List.of("id"));

    @Test
    void rendersProjectionFilterKeysetOrderAndLimitForPostgres() {
        SqlQuery q =
                Select.from(ORDERS)
                        .columns(List.of("id", "amount", "updated_at"))
                        .where(
                                new Filter.All(
                                        List.of(
                                                Filter.of("amount", ">=", 100),
                                                Filter.of(
                                                        "status",
                                                        "in",
                                                        List.of("paid", "shipped")))))
                        .after(List.of("updated_at", "id"), List.of("2024-05-01 10:00:00", 7))
                        .orderBy(List.of("updated_at", "id"))
                        .limit(500)
                        .render(PostgresDialect.INSTANCE);

        assertThat(q.sql())
                .isEqualTo(
                        "SELECT \"id\", \"amount\", \"updated_at\" FROM \"public\".\"orders\""
                                + " WHERE (\"amount\" >= ? AND \"status\" IN (?, ?))"
                                + " AND (\"updated_at\", \"id\") > (?, ?)"
                                + " ORDER BY \"updated_at\", \"id\" LIMIT 500");
        assertThat(q.params())
                .containsExactly(
                        new BigDecimal("100"),
                        "paid",
                        "shipped",
                        LocalDateTime.of(2024, 5, 1, 10, 0),
                        7L);
    }

    @Test
    void rendersExpandedKeysetAndBackticksForMariaDb() {
        SqlQuery q =
                Select.from(ORDERS)
                        .columns(List.of("id", "status"))
                        .where(Filter.of("status", "!=", "void"))
                        .after(List.of("updated_at", "id"), List.of("2024-05-01T10:00", 7L))
                        .orderBy(List.of("updated_at", "id"))
                        .limit(10)
                        .render(MariaDbDialect.INSTANCE);

        assertThat(q.sql())
                .isEqualTo(
                        "SELECT `id`, `status` FROM `public`.`orders` WHERE `status` <> ?"
                                + " AND (`updated_at` >= ? AND ((`updated_at` > ?)"
                                + " OR (`updated_at` = ? AND `id` > ?)))"
                                + " ORDER BY `updated_at`, `id` LIMIT 10");
        LocalDateTime ts = LocalDateTime.of(2024, 5, 1, 10, 0);
        assertThat(q.params()).containsExactly("void", ts, ts, ts, 7L);
    }

    @Test
    void genericDialectUsesFetchFirst() {
        SqlQuery q =
                Select.from(ORDERS)
                        .columns(List.of("id"))
                        .orderBy(List.of("id"))
                        .limit(3)
                        .render(GenericDialect.INSTANCE);
        assertThat(q.sql())
                .isEqualTo(
                        "SELECT \"id\" FROM \"public\".\"orders\" ORDER BY \"id\" FETCH FIRST 3"
                                + " ROWS ONLY");
    }

    @Test
    void everyFilterOperatorRendersWithParametersOnly() {
        Filter f =
                new Filter.Any(
                        List.of(
                                Filter.of("status", "is null", null),
                                Filter.of("status", "is not null", null),
                                Filter.of("amount", "between", List.of(1, "2.5")),
                                Filter.of("status", "like", "pa%"),
                                Filter.of("status", "not in", List.of("x")),
                                new Filter.Not(Filter.of("customer_id", "<", 3)),
                                Filter.of("customer_id", "<=", 3),
                                Filter.of("customer_id", ">", 3),
                                Filter.of("customer_id", "=", 3)));
        for (SqlDialect d :
                List.of(
                        PostgresDialect.INSTANCE,
                        MariaDbDialect.INSTANCE,
                        GenericDialect.INSTANCE)) {
            SqlQuery q = Select.from(ORDERS).where(f).render(d);
            assertThat(q.sql())
                    .contains(" IS NULL", " IS NOT NULL", " BETWEEN ? AND ?", " LIKE ?")
                    .contains(" NOT IN (?)", "NOT (", " < ?", " <= ?", " > ?", " = ?")
                    .doesNotContain("pa%", "2.5", "'x'");
            assertThat(q.params())
                    .containsExactly(
                            new BigDecimal("1"), new BigDecimal("2.5"), "pa%", "x", 3L, 3L, 3L, 3L);
        }
    }

    @Test
    void emptyGroupsAndListsAreConstantPredicates() {
        SqlQuery q =
                Select.from(ORDERS)
                        .where(Filter.none())
                        .where(new Filter.Any(List.of()))
                        .where(new Filter.In("status", List.of(), false))
                        .where(new Filter.In("status", List.of(), true))
                        .render(PostgresDialect.INSTANCE);
        assertThat(q.sql()).endsWith("WHERE 1 = 1 AND 1 = 0 AND 1 = 0 AND 1 = 1");
        assertThat(q.params()).isEmpty();
    }

    @Test
    void hostileValuesStayInParameters() {
        String evil = "x'); DROP TABLE orders; --";
        for (SqlDialect d : List.of(PostgresDialect.INSTANCE, MariaDbDialect.INSTANCE)) {
            SqlQuery q =
                    Select.from(ORDERS)
                            .where(Filter.of("status", "=", evil))
                            .where(Filter.of("status", "like", evil))
                            .where(Filter.of("status", "in", List.of(evil, evil)))
                            .render(d);
            assertThat(q.sql()).doesNotContain("DROP").doesNotContain("'");
            assertThat(q.params()).containsExactly(evil, evil, evil, evil);
        }
    }

    @Test
    void unknownColumnsAreRejectedNamingColumnAndTable() {
        assertThatThrownBy(() -> Select.from(ORDERS).columns(List.of("id", HOSTILE)))
                .isInstanceOf(UnknownColumnException.class)
                .hasMessageContaining("unknown column '" + HOSTILE + "'")
                .hasMessageContaining("public.orders");
        assertThatThrownBy(() -> Select.from(ORDERS).where(Filter.of(HOSTILE, "=", 1)))
                .isInstanceOf(UnknownColumnException.class)
                .hasMessageContaining(HOSTILE);
        assertThatThrownBy(() -> Select.from(ORDERS).orderBy(List.of("nope")))
                .isInstanceOf(UnknownColumnException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> Select.from(ORDERS).after(List.of("id; --"), List.of(1)))
                .isInstanceOf(UnknownColumnException.class);
    }

    @Test
    void hostileIdentifiersThatExistAreQuotedSafely() {
        SqlQuery pg =
                Select.from(HOSTILE_TABLE)
                        .where(Filter.of(HOSTILE, "=", "v"))
                        .render(PostgresDialect.INSTANCE);
        assertThat(pg.sql())
                .isEqualTo(
                        "SELECT \"id\", \"a\"\"; DROP TABLE x; --\", \"b`; DROP TABLE x; --\""
                                + " FROM \"s\"\"x\".\"t`y\" WHERE \"a\"\"; DROP TABLE x; --\" = ?");
        SqlQuery maria =
                Select.from(HOSTILE_TABLE)
                        .where(Filter.of(HOSTILE_BACKTICK, "=", "v"))
                        .render(MariaDbDialect.INSTANCE);
        assertThat(maria.sql())
                .isEqualTo(
                        "SELECT `id`, `a\"; DROP TABLE x; --`, `b``; DROP TABLE x; --`"
                                + " FROM `s\"x`.`t``y` WHERE `b``; DROP TABLE x; --` = ?");
    }

    @Test
    void valuesThatDoNotFitTheColumnTypeAreClearErrors() {
        assertThatThrownBy(() -> Select.from(ORDERS).where(Filter.of("amount", ">", "lots")))
                .hasMessageContaining("amount")
                .hasMessageContaining("lots")
                .hasMessageContaining("DECIMAL(12,2)");
        assertThatThrownBy(
                        () -> Select.from(ORDERS).where(Filter.of("updated_at", ">", "yesterday")))
                .hasMessageContaining("updated_at");
        assertThatThrownBy(() -> Select.from(ORDERS).where(Filter.of("amount", "like", "1%")))
                .hasMessageContaining("'like' needs a text column");
    }

    @Test
    void keyInAndFlagsAndNotTrue() {
        SqlQuery q =
                Select.from(ORDERS)
                        .columns(List.of("id"))
                        .flag("in_slice", Filter.of("amount", ">=", 100))
                        .whereNotTrue(Filter.of("status", "=", "deleted"))
                        .keyIn(List.of("id", "customer_id"), List.of(List.of(1, 2), List.of(3, 4)))
                        .render(PostgresDialect.INSTANCE);
        assertThat(q.sql())
                .isEqualTo(
                        "SELECT \"id\", CASE WHEN \"amount\" >= ? THEN 1 ELSE 0 END AS"
                                + " \"in_slice\" FROM \"public\".\"orders\" WHERE (CASE WHEN"
                                + " \"status\" = ? THEN 1 ELSE 0 END) = 0 AND (\"id\","
                                + " \"customer_id\") IN ((?, ?), (?, ?))");
        assertThat(q.params()).containsExactly(new BigDecimal("100"), "deleted", 1L, 2L, 3L, 4L);

        SqlQuery generic =
                Select.from(ORDERS)
                        .columns(List.of("id"))
                        .keyIn(List.of("id", "customer_id"), List.of(List.of(1, 2), List.of(3, 4)))
                        .render(GenericDialect.INSTANCE);
        assertThat(generic.sql())
                .endsWith(
                        "WHERE ((\"id\" = ? AND \"customer_id\" = ?) OR (\"id\" = ? AND"
                                + " \"customer_id\" = ?))");
    }

    @Test
    void customPlaceholdersForCopy() {
        SqlQuery q =
                Select.from(ORDERS)
                        .columns(List.of("id"))
                        .where(Filter.of("amount", ">=", 100))
                        .after(List.of("id"), List.of(5))
                        .render(
                                PostgresDialect.INSTANCE,
                                (i, t) ->
                                        "p"
                                                + i
                                                + "::"
                                                + PostgresDialect.INSTANCE.typeSql(t, false));
        assertThat(q.sql()).contains("\"amount\" >= p1::numeric(12,2)", "\"id\" > p2::bigint");
    }
}
