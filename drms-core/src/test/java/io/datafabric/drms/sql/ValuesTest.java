package io.datafabric.drms.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void canonicalTextIsTheSameForEqualValuesFromDifferentDrivers() {
        assertThat(Values.canonical(new BigDecimal("100.500"))).isEqualTo("100.5");
        assertThat(Values.canonical(new BigDecimal("0.00"))).isEqualTo("0");
        assertThat(Values.canonical(100L)).isEqualTo(Values.canonical(new BigDecimal("100.00")));
        assertThat(Values.canonical(3.0d)).isEqualTo("3");
        assertThat(Values.canonical(1.1f)).isEqualTo("1.1");
        assertThat(Values.canonical(1e20d)).isEqualTo("100000000000000000000");
        assertThat(Values.canonical(Double.NaN)).isEqualTo("NaN");
        assertThat(Values.canonical(true)).isEqualTo("true");
        assertThat(Values.canonical(LocalDateTime.of(2024, 5, 1, 10, 0)))
                .isEqualTo("2024-05-01T10:00:00.000000Z")
                .isEqualTo(
                        Values.canonical(
                                OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2))));
        assertThat(Values.canonical(new byte[] {1, (byte) 0xff})).isEqualTo("\\x01ff");
        assertThat(Values.canonical(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(Values.canonical("{\"b\": 1, \"a\": [1, 2.50]}", ColumnType.JSON))
                .isEqualTo("{\"a\":[1,2.5],\"b\":1}");
        assertThat(Values.canonical("ABC-1", ColumnType.UUID)).isEqualTo("abc-1");
    }

    @Test
    void coercesConfigLiteralsToColumnTypes() {
        assertThat(Values.coerce("42", ColumnType.BIGINT)).isEqualTo(42L);
        assertThat(Values.coerce(42, ColumnType.decimal(10, 2))).isEqualTo(new BigDecimal("42"));
        assertThat(Values.coerce("2024-05-01", ColumnType.TIMESTAMP))
                .isEqualTo(LocalDateTime.of(2024, 5, 1, 0, 0));
        assertThat(Values.coerce("2024-05-01 10:00:00.5+02", ColumnType.TIMESTAMPTZ))
                .isEqualTo(OffsetDateTime.of(2024, 5, 1, 8, 0, 0, 500_000_000, ZoneOffset.UTC));
        assertThat(Values.coerce("t", ColumnType.BOOLEAN)).isEqualTo(true);
        assertThat(Values.coerce(0, ColumnType.BOOLEAN)).isEqualTo(false);
        assertThat(Values.coerce("6f1e1c1a-0000-4000-8000-000000000001", ColumnType.UUID))
                .isInstanceOf(UUID.class);
        assertThat(Values.coerce("\\x01ff", ColumnType.BYTES))
                .isEqualTo(new byte[] {1, (byte) 0xff});
        assertThat(Values.coerce(12, ColumnType.TEXT)).isEqualTo("12");
        assertThatThrownBy(() -> Values.coerce(1.5, ColumnType.BIGINT))
                .hasMessageContaining("'1.5' cannot be used as BIGINT");
        assertThatThrownBy(() -> Values.coerce("x", ColumnType.BOOLEAN))
                .hasMessageContaining("BOOLEAN");
        assertThatThrownBy(() -> Values.coerce(3_000_000_000L, ColumnType.INTEGER))
                .hasMessageContaining("INTEGER");
    }

    @Test
    void comparesAcrossClassesLikeSql() {
        assertThat(Values.compare(1, new BigDecimal("1.00"))).isZero();
        assertThat(Values.compare(2L, 1.5d)).isPositive();
        assertThat(
                        Values.compare(
                                LocalDateTime.of(2024, 1, 1, 0, 0),
                                OffsetDateTime.of(2024, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(1))))
                .isZero();
        assertThat(Values.compare("10", 9)).isPositive();
        assertThat(Values.compare("a", "B")).isPositive();
        assertThatThrownBy(() -> Values.compare(true, LocalDate.now()))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void lookbackSubtraction() {
        assertThat(Values.minus(LocalDateTime.of(2024, 1, 1, 0, 10), Duration.ofMinutes(15), 0))
                .isEqualTo(LocalDateTime.of(2023, 12, 31, 23, 55));
        assertThat(Values.minus(100L, Duration.ZERO, 30)).isEqualTo(70L);
        assertThat(Values.minus(LocalDate.of(2024, 1, 2), Duration.ofHours(1), 0))
                .isEqualTo(LocalDate.of(2024, 1, 1));
    }
}
