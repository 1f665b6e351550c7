package io.datafabric.drms.load;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an edge stands, stored as JSON text in {@code drms_cursor.cursor} of the target database
 * and committed in the same transaction as every batch. Values are kept as canonical text (see
 * {@link Values#canonical(Object)}) and read back with the column types.
 *
 * <pre>{@code
 * {"version":1,"phase":"INCREMENTAL","batch":42,
 *  "snapshot":null,
 *  "position":{"columns":["updated_at","id"],"values":["2024-05-01T10:00:00.000000Z","17"]}}
 * }</pre>
 *
 * @param version format version (1)
 * @param phase what the next run continues with
 * @param batch id of the last batch this edge committed (0 before the first)
 * @param snapshot the running snapshot pass, or null
 * @param position incremental position: the highest cursor tuple loaded (for a staged source:
 *     {@code batch_id} then key), or null before the first incremental read
 * @param rules the rules fingerprint (see {@code EdgeTask.rulesFingerprint}) of the last complete
 *     snapshot pass: the target holds the slice those rules define, so a job that lost its state
 *     resumes from here instead of snapshotting again; null when unknown
 * @param deleteDiffAt ISO instant at which the last complete primary-key diff (or a snapshot into
 *     an empty target, which is as good) started; null when none completed. Persisted so that hard
 *     deletes are found on schedule even when the job restarts more often than the interval
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EdgeCursor(
        int version,
        Phase phase,
        long batch,
        Snapshot snapshot,
        Position position,
        String rules,
        String deleteDiffAt) {

    private static final ObjectMapper JSON =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The phase an edge is in between runs. */
    public enum Phase {
        /** A snapshot pass is running (resumable from {@link Snapshot#after()}). */
        SNAPSHOT,
        /** The edge follows changes from {@link #position()}. */
        INCREMENTAL,
        /** A snapshot-mode edge finished its last pass; the next run starts a new one. */
        IDLE
    }

    /**
     * A snapshot pass in progress.
     *
     * @param keyColumns the primary key columns paged by
     * @param after key values of the last row loaded (null: nothing loaded yet)
     * @param direct true when the target was empty at the start, so chunks are copied straight into
     *     it without upsert or staging
     * @param startedAt ISO instant the pass started
     * @param rows rows loaded by this pass so far
     */
    public record Snapshot(
            List<String> keyColumns,
            List<String> after,
            boolean direct,
            String startedAt,
            long rows) {
        public Snapshot {
            keyColumns = List.copyOf(keyColumns);
            after = after == null ? null : List.copyOf(after);
        }
    }

    /**
     * An incremental position. {@code values} may hold only the first column's value: then it is a
     * boundary ("everything up to and including this value was read").
     */
    public record Position(List<String> columns, List<String> values) {
        public Position {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
            if (values.isEmpty() || values.size() > columns.size()) {
                throw new IllegalArgumentException(
                        "position needs 1.." + columns.size() + " values");
            }
        }

        public boolean isBoundary() {
            return values.size() < columns.size();
        }
    }

    @JsonCreator
    public EdgeCursor {
        Objects.requireNonNull(phase, "phase");
    }

    /** A cursor without rules fingerprint and diff time. */
    public EdgeCursor(int version, Phase phase, long batch, Snapshot snapshot, Position position) {
        this(version, phase, batch, snapshot, position, null, null);
    }

    public static EdgeCursor initial(Phase phase) {
        return new EdgeCursor(1, phase, 0, null, null);
    }

    public EdgeCursor withPhase(Phase p) {
        return new EdgeCursor(version, p, batch, snapshot, position, rules, deleteDiffAt);
    }

    public EdgeCursor withSnapshot(Snapshot s) {
        return new EdgeCursor(version, phase, batch, s, position, rules, deleteDiffAt);
    }

    public EdgeCursor withPosition(Position p) {
        return new EdgeCursor(version, phase, batch, snapshot, p, rules, deleteDiffAt);
    }

    public EdgeCursor withRules(String r) {
        return new EdgeCursor(version, phase, batch, snapshot, position, r, deleteDiffAt);
    }

    public EdgeCursor withDeleteDiffAt(String at) {
        return new EdgeCursor(version, phase, batch, snapshot, position, rules, at);
    }

    /** The same cursor as batch {@code id}. */
    public EdgeCursor withBatch(long id) {
        return new EdgeCursor(1, phase, id, snapshot, position, rules, deleteDiffAt);
    }

    /** The same cursor with the next batch id (every committed batch takes one). */
    public EdgeCursor nextBatch() {
        return withBatch(batch + 1);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cursor cannot be written as JSON", e);
        }
    }

    public static EdgeCursor fromJson(String json) {
        try {
            EdgeCursor c = JSON.readValue(json, EdgeCursor.class);
            if (c.version() != 1) {
                throw new IllegalArgumentException("unsupported cursor version " + c.version());
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored cursor is not valid JSON: " + json, e);
        }
    }

    /** Canonical texts of {@code values} (for {@link Snapshot#after()} and positions). */
    public static List<String> encode(List<?> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v == null) {
                throw new IllegalArgumentException("cursor values must not be null");
            }
            out.add(Values.canonical(v));
        }
        return out;
    }

    /** Values of {@code texts} converted to the types of {@code columns} (same order). */
    public static List<Object> decode(List<String> texts, List<Column> columns) {
        List<Object> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(Values.coerce(texts.get(i), columns.get(i).type()));
        }
        return out;
    }
}
