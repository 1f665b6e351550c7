package io.datafabric.drms.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.sql.ColumnType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgCopyTextTest {
    @Test
    void escapesAndParsesBackEveryAwkwardCharacter() {
        String nasty = "tab\there\nnew\rcr \\ back \\N not-null \u00e9\uD83D\uDE00";
        Object[] row = {7L, nasty, null, true, new BigDecimal("1.50"), new byte[] {0, (byte) 0xff}};
        List<ColumnType> types =
                List.of(
                        ColumnType.BIGINT,
                        ColumnType.TEXT,
                        ColumnType.TEXT,
                        ColumnType.BOOLEAN,
                        ColumnType.decimal(5, 2),
                        ColumnType.BYTES);
        StringBuilder sb = new StringBuilder();
        PgCopyText.appendRow(sb, row, types);
        String line = sb.toString();
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        assertThat(line.split("\t", -1)).hasSize(6);
        assertThat(line).contains("\\\\x00ff", "\t\\N\t", "\tt\t1.50\t");

        List<String> fields = PgCopyText.fields(line.getBytes(StandardCharsets.UTF_8));
        assertThat(fields).containsExactly("7", nasty, null, "t", "1.50", "\\x00ff");
    }

    @Test
    void parsesPostgresOctalAndHexEscapes() {
        assertThat(PgCopyText.unescape("a\\101\\x42\\b")).isEqualTo("aAB\b");
        assertThat(PgCopyText.unescape("\\N")).isNull();
    }

    @Test
    void timestampsAreWrittenInTheTargetColumnsType() {
        StringBuilder sb = new StringBuilder();
        OffsetDateTime t = OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 1000, ZoneOffset.ofHours(2));
        PgCopyText.appendRow(
                sb, new Object[] {t, t}, List.of(ColumnType.TIMESTAMPTZ, ColumnType.TIMESTAMP));
        assertThat(sb.toString())
                .isEqualTo("2024-05-01T10:00:00.000001Z\t2024-05-01T10:00:00.000001\n");
        assertThat(Arrays.asList(LocalDateTime.parse("2024-05-01T10:00:00.000001"))).hasSize(1);
    }
}
