package io.datafabric.drms.load;

/**
 * The edge's stored cursor is not the one this run started from: another runner advanced it. The
 * batch is rolled back; nothing was written.
 */
public final class CursorConflictException extends IllegalStateException {
    public CursorConflictException(String edgeId, String expected, String found) {
        super(
                "cursor of edge "
                        + edgeId
                        + " changed under this run (another runner?): expected "
                        + expected
                        + " but found "
                        + found);
    }
}
