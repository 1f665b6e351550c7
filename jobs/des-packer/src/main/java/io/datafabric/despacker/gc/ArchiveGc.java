package io.datafabric.despacker.gc;

import io.datafabric.despacker.metadata.DesMetadata;
import io.datafabric.despacker.model.ShardObjectKey;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds and removes archive objects no metadata references: shard objects under the archive prefix
 * without a {@code des.shards} row (uploaded just before a crash, or written again under another
 * sequence after a recovery) and the hidden in-progress files of uploads that never completed. Only
 * names the packer writes are considered; anything else under the prefix is left alone.
 *
 * <p>Objects younger than the minimum age are kept: a running packer completes each object before
 * the checkpoint that records it, so a young unreferenced object may be one about to be recorded.
 * The minimum age must exceed the checkpoint interval plus the time a commit takes.
 */
public final class ArchiveGc {
    private final String root;
    private final String prefix;
    private final DesMetadata des;

    /** One unreferenced object. */
    public record Orphan(String key, long size, boolean inProgress) {}

    /** What a run found and did. */
    public record Report(List<Orphan> orphans, int referenced, int removed, int young) {}

    public ArchiveGc(String archiveRoot, String prefix, DesMetadata des) {
        this.root =
                archiveRoot.endsWith("/")
                        ? archiveRoot.substring(0, archiveRoot.length() - 1)
                        : archiveRoot;
        this.prefix = prefix;
        this.des = des;
    }

    public Report run(boolean dryRun, Duration minAge) throws IOException, SQLException {
        Set<String> referenced = des.referencedObjectKeys();
        Path base = new Path(root + "/" + prefix);
        FileSystem fs = base.getFileSystem();
        List<Orphan> orphans = new ArrayList<>();
        int[] young = {0};
        long now = System.currentTimeMillis();
        walk(fs, base, prefix, referenced, orphans, young, now - minAge.toMillis());
        int removed = 0;
        if (!dryRun && !orphans.isEmpty()) {
            // re-read: a commit may have recorded an object since the listing
            Set<String> still = des.referencedObjectKeys();
            for (Orphan o : orphans) {
                if (!still.contains(o.key()) && fs.delete(new Path(root + "/" + o.key()), false)) {
                    removed++;
                }
            }
        }
        return new Report(List.copyOf(orphans), referenced.size(), removed, young[0]);
    }

    private void walk(
            FileSystem fs,
            Path dir,
            String relative,
            Set<String> referenced,
            List<Orphan> orphans,
            int[] young,
            long cutoff)
            throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return;
        }
        if (entries == null) {
            return;
        }
        for (FileStatus st : entries) {
            String name = st.getPath().getName();
            String key = relative + "/" + name;
            if (st.isDir()) {
                walk(fs, st.getPath(), key, referenced, orphans, young, cutoff);
                continue;
            }
            boolean inProgress = name.startsWith(".") && name.contains(".des.inprogress.");
            boolean shard = false;
            if (!inProgress) {
                try {
                    ShardObjectKey.parse(key);
                    shard = true;
                } catch (IllegalArgumentException foreign) {
                    // not written by the packer: never touched
                }
            }
            if (!(inProgress || shard) || referenced.contains(key)) {
                continue;
            }
            if (st.getModificationTime() > cutoff) {
                young[0]++;
                continue;
            }
            orphans.add(new Orphan(key, st.getLen(), inProgress));
        }
    }
}
