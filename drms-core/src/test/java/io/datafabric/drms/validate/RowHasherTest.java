package io.datafabric.drms.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.sql.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowHasherTest {
    private static final List<ColumnType> TYPES =
            List.of(
                    ColumnType.BIGINT,
                    ColumnType.decimal(12, 2),
                    ColumnType.TIMESTAMPTZ,
                    ColumnType.BOOLEAN,
                    ColumnType.JSON,
                    ColumnType.UUID,
                    ColumnType.fixedChar(4),
                    ColumnType.TEXT);

    @Test
    void postgresAndMariaDbRepresentationsOfTheSameRowHashAlike() {
        UUID u = UUID.fromString("6f1e1c1a-0000-4000-8000-00000000000a");
        Object[] fromPg = {
            5L,
            new BigDecimal("100.50"),
            OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC),
            true,
            "{\"b\": 1, \"a\": 2}",
            u,
            "ab  ",
            null
        };
        Object[] fromMaria = {
            5, // INT read as Integer
            new BigDecimal("100.5000"),
            LocalDateTime.of(2024, 5, 1, 10, 0), // DATETIME(6) holding UTC
            1, // TINYINT(1)
            "{\"a\":2,\"b\":1}",
            u.toString().toUpperCase(),
            "ab",
            null
        };
        RowHasher h = new RowHasher(TYPES);
        assertThat(h.canonicalText(fromPg)).isEqualTo(h.canonicalText(fromMaria));
        assertThat(h.hash(fromPg)).isEqualTo(h.hash(fromMaria));
    }

    @Test
    void streamedHashEqualsTheHashOfTheCanonicalText() {
        RowHasher h = new RowHasher(TYPES);
        Object[] row = {
            -5L,
            new BigDecimal("-0.10"),
            OffsetDateTime.of(9, 1, 2, 3, 4, 5, 999_999_999, ZoneOffset.ofHours(-3)),
            false,
            "[1, {\"z\": \"\u00e9\"}]",
            UUID.randomUUID(),
            "\u4e2d\uD83D\uDE00\uD800x",
            "\u0000\u007f\u0080\u07ff\u0800\uffff"
        };
        String text = h.canonicalText(row);
        assertThat(h.hash(row)).isEqualTo(RowHasher.hashText(text));
        assertThat(text).contains("0009-01-02T06:04:05.999999Z", "-0.1");
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long fnv = 0xcbf29ce484222325L;
        for (byte b : utf8) {
            fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
        }
        fnv ^= fnv >>> 33;
        fnv *= 0xff51afd7ed558ccdL;
        fnv ^= fnv >>> 33;
        fnv *= 0xc4ceb9fe1a85ec53L;
        fnv ^= fnv >>> 33;
        assertThat(RowHasher.hashText(text)).isEqualTo(fnv);
    }

    @Test
    void nullEmptyAndFieldBoundariesAreDistinct() {
        RowHasher h = new RowHasher(List.of(ColumnType.TEXT, ColumnType.TEXT));
        assertThat(h.hash(new Object[] {null, "x"})).isNotEqualTo(h.hash(new Object[] {"", "x"}));
        assertThat(h.hash(new Object[] {"a1:", "b"}))
                .isNotEqualTo(h.hash(new Object[] {"a", "1:b"}));
        assertThat(h.canonicalText(new Object[] {null, "xy"})).isEqualTo("-2:xy");
    }

    @Test
    void windowChecksumIsOrderIndependentButCountsDuplicates() {
        RowHasher h = new RowHasher(List.of(ColumnType.BIGINT));
        long a = h.hash(new Object[] {1L});
        long b = h.hash(new Object[] {2L});
        assertThat(WindowChecksum.EMPTY.plus(a).plus(b))
                .isEqualTo(WindowChecksum.EMPTY.plus(b).plus(a));
        assertThat(WindowChecksum.EMPTY.plus(a).plus(a).checksum()).isNotEqualTo(0L);
        assertThat(WindowChecksum.EMPTY.plus(a).plus(a)).isNotEqualTo(WindowChecksum.EMPTY.plus(a));
        assertThat(RowHasher.hashText("")).isNotEqualTo(RowHasher.hashText(" "));
    }
}
