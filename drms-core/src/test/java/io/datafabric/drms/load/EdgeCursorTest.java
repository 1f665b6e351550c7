package io.datafabric.drms.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeCursorTest {
    @Test
    void roundTripsThroughJsonWithTypedValues() {
        OffsetDateTime ts = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000, ZoneOffset.UTC);
        EdgeCursor c =
                EdgeCursor.initial(EdgeCursor.Phase.SNAPSHOT)
                        .withSnapshot(
                                new EdgeCursor.Snapshot(
                                        List.of("id"),
                                        EdgeCursor.encode(List.of(42L)),
                                        true,
                                        "2024-05-01T10:00:00Z",
                                        42))
                        .withPosition(
                                new EdgeCursor.Position(
                                        List.of("updated_at", "id"),
                                        EdgeCursor.encode(List.of(ts, 42L))))
                        .nextBatch();
        String json = c.toJson();
        assertThat(json)
                .contains(
                        "\"phase\":\"SNAPSHOT\"", "\"batch\":1", "\"2024-05-01T10:00:00.123456Z\"");
        EdgeCursor back = EdgeCursor.fromJson(json);
        assertThat(back).isEqualTo(c);
        List<Object> values =
                EdgeCursor.decode(
                        back.position().values(),
                        List.of(
                                new Column("updated_at", ColumnType.TIMESTAMPTZ, false),
                                new Column("id", ColumnType.BIGINT, false)));
        assertThat(values).containsExactly(ts, 42L);
        assertThat(back.position().isBoundary()).isFalse();
        assertThat(new EdgeCursor.Position(List.of("batch_id", "id"), List.of("7")).isBoundary())
                .isTrue();
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> EdgeCursor.fromJson("{not json"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EdgeCursor.fromJson("{\"version\":2,\"phase\":\"IDLE\"}"))
                .hasMessageContaining("unsupported cursor version 2");
    }
}
