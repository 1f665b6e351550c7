package io.datafabric.drms.task;

import io.datafabric.drms.extract.PrimaryKeyDiff;
import io.datafabric.drms.load.EdgeCursor;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delete-diff part of a run: walks the target's keys against the source slice and deletes what
 * the slice lacks (hard deletes at a source read by cursor); due on the interval recorded in the
 * cursor, or when asked for.
 */
final class DeleteDiffPass {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteDiffPass.class);

    private final EdgeRun run;

    DeleteDiffPass(EdgeRun run) {
        this.run = run;
    }

    /** Whether the primary-key diff is due in this incremental run. */
    boolean due() {
        if (run.task.deleteDiff()) {
            return true;
        }
        if (run.task.deleteDiffInterval() == null || run.sourceStaging != null) {
            return false;
        }
        String last = run.cursor.deleteDiffAt();
        return last == null
                || !Instant.parse(last)
                        .plus(run.task.deleteDiffInterval())
                        .isAfter(run.clock.instant());
    }

    // ---- deletes by diff ----

    /** Deletes what the target has beyond the slice; true when the diff went through. */
    boolean deleteMissing() throws SQLException {
        PrimaryKeyDiff diff =
                // Keys are small: pages larger than a row batch keep the walk to few queries.
                new PrimaryKeyDiff(
                        run.slice,
                        run.task.target(),
                        run.target.table(),
                        Math.max(run.task.chunkSize(), EdgeRunner.DIFF_PAGE_ROWS));
        while (true) {
            if (run.budgetSpent()) {
                run.caughtUp = false;
                return false;
            }
            List<Object[]> keys = diff.next();
            if (keys.isEmpty()) {
                run.diffCompleted = true;
                return true;
            }
            EdgeCursor same = run.cursor;
            List<Object[]> gone = new ArrayList<>();
            run.commit(
                    (c, stage) -> {
                        gone.addAll(run.writer.delete(c, run.target, keys, stage));
                        return new EdgeRun.Outcome(same, 0, gone.size(), BatchInfo.Kind.DIFF);
                    });
            for (Object[] k : gone) {
                run.touch(k);
            }
        }
    }
}
