package io.datafabric.usage.source;

import io.datafabric.usage.model.FileSplit;
import java.util.List;
import java.util.Map;

/**
 * Checkpointed state of the directory enumerator: bounded by the splits not yet handed out and the
 * recent-path set, never by the number of files ever processed.
 *
 * @param owner the lineage id written to {@code usage.files.owner}
 * @param recent recently discovered paths with their discovery time, oldest first
 * @param initialScanDone the first listing has been planned (bounded mode lists only once)
 */
public record EnumeratorState(
        String owner,
        List<FileSplit> pending,
        List<Map.Entry<String, Long>> recent,
        boolean initialScanDone) {}
