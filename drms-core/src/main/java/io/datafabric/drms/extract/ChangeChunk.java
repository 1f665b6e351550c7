package io.datafabric.drms.extract;

import java.util.List;

/**
 * A bounded chunk of changes, in source order, with at most one change per key (the latest).
 *
 * @param changes upserts and deletes
 * @param rowsRead source rows read (before collapsing repeated keys)
 * @param last cursor tuple of the last row read, or null when nothing was read
 * @param cursorsOfRows cursor tuple of each change (same order), used to spot re-read rows
 */
public record ChangeChunk(
        List<Change> changes, int rowsRead, List<Object> last, List<List<Object>> cursorsOfRows) {

    /** True when the source had fewer rows than asked for: it is exhausted for now. */
    public boolean exhausted(int limit) {
        return rowsRead < limit;
    }
}
