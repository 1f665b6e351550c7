package io.datafabric.despacker.commit;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.despacker.config.FailurePoint;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.config.SourceConfig;
import io.datafabric.despacker.master.MasterTable;
import io.datafabric.despacker.metadata.DesMetadata;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.despacker.model.ShardCommittable;
import io.datafabric.despacker.pack.FlinkRangeSource;
import io.datafabric.despacker.pack.SourceStorage;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records closed shards once the checkpoint that holds them has completed, in the order that keeps
 * every crash consistent:
 *
 * <ol>
 *   <li>the object exists with the size that was written (it was completed before the checkpoint);
 *   <li>{@code des.shards}, {@code des.files} and {@code des.failed_files} are upserted in one
 *       transaction of the DES database;
 *   <li>the master rows are set to packed (with the archive location) or failed, in one transaction
 *       of the master database, only where they are still marked with the same name;
 *   <li>with {@code packer.delete-originals} on, the shard is read back through des-format's
 *       reader, and the originals of the files whose size and CRC32C it confirms are deleted.
 * </ol>
 *
 * Flink re-commits committables after a recovery, and each step is idempotent, so a crash between
 * any two steps ends in the same state as no crash.
 */
final class ShardCommitter implements Committer<ShardCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCommitter.class);

    private final PackerConfig config;
    private final DesMetadata des;
    private final Map<String, MasterTable> masters = new HashMap<>();
    private final Map<String, SourceStorage> storages = new HashMap<>();
    private final Counter shardsCommitted;
    private final Counter filesCommitted;
    private final Counter failuresCommitted;
    private final Counter originalsDeleted;
    private final Counter originalsKept;

    ShardCommitter(PackerConfig config, MetricGroup group) {
        this.config = config;
        this.des = new DesMetadata(config.desJdbc());
        PartMetrics metrics = PartMetrics.of(group, "despacker");
        this.shardsCommitted = metrics.counter("shardsCommitted");
        this.filesCommitted = metrics.counter("filesCommitted");
        this.failuresCommitted = metrics.counter("failuresCommitted");
        this.originalsDeleted = metrics.counter("originalsDeleted");
        this.originalsKept = metrics.counter("originalsKeptAfterFailedVerification");
    }

    @Override
    public void commit(Collection<CommitRequest<ShardCommittable>> requests)
            throws IOException, InterruptedException {
        for (CommitRequest<ShardCommittable> request : requests) {
            commitOne(request.getCommittable());
        }
    }

    void commitOne(ShardCommittable c) throws IOException {
        ShardCommittable shard = c.hasObject() ? checkObject(c) : c;
        MasterTable master =
                masters.computeIfAbsent(c.source(), s -> new MasterTable(config.source(s)));
        try {
            des.record(shard);
            if (config.failurePoint() != null) {
                config.failurePoint()
                        .maybeFail(FailurePoint.Point.AFTER_DES_METADATA, c.objectKey());
            }
            master.recordOutcome(shard.files(), shard.objectUri(), shard.failed());
        } catch (SQLException e) {
            throw new IOException(
                    "recording shard " + c.objectKey() + " of source " + c.source() + " failed", e);
        }
        if (shard.hasObject()) {
            shardsCommitted.inc();
            filesCommitted.inc(shard.files().size());
        }
        failuresCommitted.inc(shard.failed().size());
        for (FailedFile f : shard.failed()) {
            LOG.warn(
                    "source {}: file {} ({}) failed: {}",
                    c.source(),
                    f.ref().id(),
                    f.ref().path(),
                    f.reason());
        }
        if (config.deleteOriginals() && shard.hasObject()) {
            deleteOriginals(shard);
        }
    }

    /**
     * The object must exist with the written size before metadata may point at it. If it vanished
     * (removed by hand, or by gc run with too small a minimum age), its files are recorded as
     * failed instead, so nothing points at a missing object and no row waits forever.
     */
    private ShardCommittable checkObject(ShardCommittable c) throws IOException {
        Path path = new Path(c.objectUri());
        String problem = null;
        try {
            FileStatus status = path.getFileSystem().getFileStatus(path);
            if (status.getLen() != c.objectSize()) {
                problem =
                        "has "
                                + status.getLen()
                                + " bytes instead of the "
                                + c.objectSize()
                                + " written";
            }
        } catch (java.io.FileNotFoundException e) {
            problem = "is missing";
        }
        if (problem == null) {
            return c;
        }
        LOG.error(
                "shard object {} {} at commit; its files are recorded as failed",
                c.objectUri(),
                problem);
        List<FailedFile> failed = new ArrayList<>(c.failed());
        for (PackedFile f : c.files()) {
            failed.add(new FailedFile(f.ref(), "shard object " + c.objectKey() + " " + problem));
        }
        return new ShardCommittable(c.source(), c.shard(), -1, "", "", 0, "", List.of(), failed);
    }

    private void deleteOriginals(ShardCommittable c) {
        SourceConfig source = config.source(c.source());
        SourceStorage storage =
                storages.computeIfAbsent(c.source(), s -> SourceStorage.of(source.storage()));
        try (DesReader reader =
                DesReader.builder(new FlinkRangeSource(new Path(c.objectUri()))).build()) {
            for (PackedFile f : c.files()) {
                Optional<DesEntry> entry = reader.entry(f.ref().desName());
                if (entry.isEmpty()
                        || entry.get().size() != f.length()
                        || entry.get().crc32c() != f.crc32c()) {
                    originalsKept.inc();
                    LOG.error(
                            "shard {} does not confirm {} ({}); its original is kept",
                            c.objectKey(),
                            f.ref().desName(),
                            f.ref().path());
                    continue;
                }
                try {
                    storage.delete(f.ref().path());
                    originalsDeleted.inc();
                } catch (IOException e) {
                    originalsKept.inc();
                    LOG.warn("cannot delete original {}: {}", f.ref().path(), e.getMessage());
                }
            }
        } catch (IOException e) {
            originalsKept.inc(c.files().size());
            LOG.error("cannot verify shard {}; originals kept: {}", c.objectKey(), e.getMessage());
        }
    }

    @Override
    public void close() {
        des.close();
        masters.values().forEach(MasterTable::close);
        storages.values().forEach(SourceStorage::close);
    }
}
