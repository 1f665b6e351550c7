package io.datafabric.drms.validate;

import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Values;
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
        checkWidth(row);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                sb.append('-');
            } else {
                String text = text(row[i], types.get(i));
                sb.append(text.length()).append(':').append(text);
            }
        }
        return sb.toString();
    }

    /**
     * {@code hashText(canonicalText(row))}, computed while walking the row (FNV-1a is a stream
     * hash, so the pieces can be fed one after the other without building the text).
     */
    public long hash(Object[] row) {
        checkWidth(row);
        long h = FNV_OFFSET;
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                h = (h ^ '-') * FNV_PRIME;
            } else {
                String text = text(row[i], types.get(i));
                h = feed(h, Integer.toString(text.length()));
                h = (h ^ ':') * FNV_PRIME;
                h = feed(h, text);
            }
        }
        return fmix(h);
    }

    private void checkWidth(Object[] row) {
        if (row.length != types.size()) {
            throw new IllegalArgumentException(
                    "row has " + row.length + " values, expected " + types.size());
        }
    }

    private static String text(Object v, ColumnType t) {
        return Values.canonical(Values.hasClassOf(v, t) ? v : Values.coerce(v, t), t);
    }

    /** FNV-1a 64 of the UTF-8 bytes of {@code text}, then fmix64. */
    public static long hashText(String text) {
        return fmix(feed(FNV_OFFSET, text));
    }

    /** Feeds the UTF-8 encoding of {@code s} (lone surrogates as '?', like String.getBytes). */
    private static long feed(long h, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = (h ^ (0xf0 | (cp >> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
            } else if (Character.isSurrogate(c)) {
                h = (h ^ '?') * FNV_PRIME;
            } else {
                h = (h ^ (0xe0 | (c >> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            }
        }
        return h;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
