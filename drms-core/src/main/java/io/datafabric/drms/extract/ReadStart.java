package io.datafabric.drms.extract;

import java.util.List;

/**
 * Where an incremental read starts: after a full cursor tuple (keyset), at a lower bound of the
 * first cursor column (look-back window or batch boundary), or at the beginning.
 *
 * @param after full cursor tuple to read strictly after, or null
 * @param lowerBound value of the first cursor column to start from, or null
 * @param inclusive whether {@code lowerBound} itself is included
 */
public record ReadStart(List<Object> after, Object lowerBound, boolean inclusive) {

    public static ReadStart beginning() {
        return new ReadStart(null, null, false);
    }

    public static ReadStart after(List<Object> tuple) {
        return new ReadStart(List.copyOf(tuple), null, false);
    }

    public static ReadStart from(Object firstColumnValue, boolean inclusive) {
        return new ReadStart(null, firstColumnValue, inclusive);
    }
}
