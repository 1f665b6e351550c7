package io.datafabric.drms.validate;

import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Values;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The 64-bit hash of a row's canonical text form.
 *
 * <p>Canonical text: for each column in order, {@code -} for NULL, otherwise {@code <n>:<text>}
 * where {@code text} is {@link Values#canonical(Object, ColumnType)} of the value converted to the
 * column's type (numbers without trailing zeros, booleans {@code true}/{@code false}, timestamps
 * UTC ISO with microseconds, bytes {@code \x}+hex, JSON with sorted keys) and {@code n} its length
 * in UTF-16 units. The hash is 64-bit FNV-1a over the UTF-8 bytes, finished with MurmurHash3's
 * fmix64 so that nearby texts spread over the whole range.
 */
public final class RowHasher {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final List<ColumnType> types;

    /**
     * @param types the types values are canonicalised as (use the source's for both sides)
     */
    public RowHasher(List<ColumnType> types) {
        this.types = List.copyOf(types);
    }

    /** The canonical text of a row. */
    public String canonicalText(Object[] row) {
        if (row.length != types.size()) {
            throw new IllegalArgumentException(
                    "row has " + row.length + " values, expected " + types.size());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                sb.append('-');
            } else {
                ColumnType t = types.get(i);
                String text = Values.canonical(Values.coerce(row[i], t), t);
                sb.append(text.length()).append(':').append(text);
            }
        }
        return sb.toString();
    }

    public long hash(Object[] row) {
        return hashText(canonicalText(row));
    }

    /** FNV-1a 64 of the UTF-8 bytes of {@code text}, then fmix64. */
    public static long hashText(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
