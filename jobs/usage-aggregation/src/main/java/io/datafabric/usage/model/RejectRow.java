package io.datafabric.usage.model;

import io.datafabric.usage.parse.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One row of {@code usage.rejects}. Positions are {@code -1} when they do not apply (a rejected
 * notification, a total that would overflow).
 *
 * @param raw the offending bytes, at most {@link #MAX_RAW} of them
 */
public record RejectRow(
        String file,
        int splitIndex,
        long lineInSplit,
        long byteOffset,
        RejectReason reason,
        byte[] raw) {
    public static final int MAX_RAW = 256;

    public RejectRow {
        if (raw.length > MAX_RAW) {
            raw = Arrays.copyOf(raw, MAX_RAW);
        }
    }

    /** A reject of part of a buffer, cut to {@link #MAX_RAW} bytes. */
    public static RejectRow ofLine(
            String file,
            int splitIndex,
            long lineInSplit,
            long byteOffset,
            RejectReason reason,
            byte[] buf,
            int from,
            int to) {
        int len = Math.min(MAX_RAW, Math.max(0, to - from));
        return new RejectRow(
                file,
                splitIndex,
                lineInSplit,
                byteOffset,
                reason,
                Arrays.copyOfRange(buf, from, from + len));
    }

    /** A reject that is not a line of a file. */
    public static RejectRow ofText(String file, RejectReason reason, String raw) {
        return new RejectRow(file, -1, -1, -1, reason, raw.getBytes(StandardCharsets.UTF_8));
    }
}
