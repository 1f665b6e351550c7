package io.datafabric.drms.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {
    private static final Filter BIG_PAID =
            new Filter.All(
                    List.of(
                            Filter.of("amount", ">=", 100),
                            Filter.of("status", "in", List.of("paid", "shipped"))));

    private static Map<String, Object> row(Object amount, Object status) {
        Map<String, Object> m = new HashMap<>();
        m.put("amount", amount);
        m.put("status", status);
        return m;
    }

    @Test
    void evaluatesTheSliceFilterOfTheGraphExample() {
        assertThat(BIG_PAID.matches(row(new BigDecimal("150.00"), "paid"))).isTrue();
        assertThat(BIG_PAID.matches(row(100, "shipped"))).isTrue();
        assertThat(BIG_PAID.matches(row(99.99, "paid"))).isFalse();
        assertThat(BIG_PAID.matches(row(500L, "cancelled"))).isFalse();
    }

    @Test
    void nullIsUnknownAndUnknownDoesNotMatch() {
        assertThat(BIG_PAID.matches(row(null, "paid"))).isFalse();
        assertThat(new Filter.Not(Filter.of("amount", ">=", 100)).matches(row(null, "x")))
                .isFalse();
        assertThat(Filter.of("status", "not in", List.of("a")).matches(row(1, null))).isFalse();
        assertThat(Filter.of("status", "is null", null).matches(row(1, null))).isTrue();
        assertThat(Filter.of("status", "is not null", null).matches(row(1, null))).isFalse();
        // unknown OR true = true; unknown AND false = false
        assertThat(
                        new Filter.Any(
                                        List.of(
                                                Filter.of("amount", ">", 1),
                                                Filter.of("status", "=", "x")))
                                .matches(row(null, "x")))
                .isTrue();
        assertThat(
                        new Filter.Not(
                                        new Filter.All(
                                                List.of(
                                                        Filter.of("amount", ">", 1),
                                                        Filter.of("status", "=", "y"))))
                                .matches(row(null, "x")))
                .isTrue();
    }

    @Test
    void betweenLikeAndNegations() {
        Filter between = Filter.of("amount", "between", List.of(10, 20));
        assertThat(between.matches(row(10, ""))).isTrue();
        assertThat(between.matches(row(20.0, ""))).isTrue();
        assertThat(between.matches(row(20.01, ""))).isFalse();
        Filter like = Filter.of("status", "like", "pa_d%");
        assertThat(like.matches(row(1, "paid"))).isTrue();
        assertThat(like.matches(row(1, "paidout"))).isTrue();
        assertThat(like.matches(row(1, "PAID"))).isFalse();
        assertThat(Filter.of("status", "like", "100\\%").matches(row(1, "100%"))).isTrue();
        assertThat(Filter.of("status", "like", "100\\%").matches(row(1, "1000"))).isFalse();
        assertThat(Filter.of("status", "like", "a.c").matches(row(1, "abc"))).isFalse();
        assertThat(Filter.of("amount", "!=", 5).matches(row(5L, ""))).isFalse();
        assertThat(Filter.of("amount", "<", 5).matches(row(4, ""))).isTrue();
        assertThat(Filter.of("amount", "<=", 5).matches(row(5, ""))).isTrue();
        assertThat(Filter.of("amount", ">", 5).matches(row(5, ""))).isFalse();
    }

    @Test
    void literalsAreConvertedToTheColumnTypeWithASchema() {
        TableSchema s =
                new TableSchema(
                        TableName.of("t"),
                        List.of(
                                new Column("ts", ColumnType.TIMESTAMPTZ, true),
                                new Column("n", ColumnType.BIGINT, true)),
                        List.of("n"));
        Filter f = Filter.of("ts", ">=", "2024-05-01 00:00:00+02");
        Map<String, Object> r = new HashMap<>();
        r.put("ts", OffsetDateTime.of(2024, 4, 30, 22, 0, 0, 0, ZoneOffset.UTC));
        r.put("n", 1L);
        assertThat(f.matches(r, s)).isTrue();
        r.put("ts", LocalDateTime.of(2024, 4, 30, 21, 59));
        assertThat(f.matches(r, s)).isFalse();
    }

    @Test
    void stringsCompareByCodePoint() {
        Filter f = Filter.of("status", "<", "b");
        assertThat(f.matches(row(1, "a"))).isTrue();
        assertThat(f.matches(row(1, "B")))
                .isTrue(); // 'B' (66) < 'b' (98), as in a binary collation
        assertThat(f.matches(row(1, "\uD83D\uDE00"))).isFalse();
    }

    @Test
    void graphFileOperatorsAndErrors() {
        assertThat(Filter.of("a", "NOT  IN", List.of(1)))
                .isEqualTo(new Filter.In("a", List.of(1), true));
        assertThat(Filter.of("a", "<>", 1)).isEqualTo(new Filter.Compare("a", Filter.Op.NE, 1));
        assertThat(Filter.of("a", "IS NOT NULL", null)).isEqualTo(new Filter.IsNull("a", true));
        assertThatThrownBy(() -> Filter.of("a", "~", 1))
                .hasMessageContaining("unknown filter operator '~'");
        assertThatThrownBy(() -> Filter.of("a", "in", 1)).hasMessageContaining("needs a list");
        assertThatThrownBy(() -> Filter.of("a", "between", List.of(1)))
                .hasMessageContaining("two values");
        assertThatThrownBy(() -> Filter.of("a", "=", null)).hasMessageContaining("is null");
        assertThatThrownBy(() -> BIG_PAID.matches(Map.of("amount", 150)))
                .hasMessageContaining("status is not in the row");
    }

    @Test
    void columnsAndComposition() {
        Filter f = Filter.and(BIG_PAID, Filter.of("customer_id", "=", 1), Filter.none());
        assertThat(f.columns()).containsExactly("amount", "status", "customer_id");
        assertThat(((Filter.All) f).filters()).hasSize(3);
    }
}
