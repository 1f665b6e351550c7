package io.datafabric.despacker.pack;

import io.datafabric.des.DesEntry;
import io.datafabric.des.DesWriter;
import io.datafabric.des.FileMetadata;
import io.datafabric.despacker.config.FailurePoint;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.despacker.model.ShardCommittable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one shard object: streams each file's body from its source storage into a {@link
 * DesWriter} on the archive. Files sorted by DES name, so the same files give the same bytes under
 * the same name when a window is retried.
 *
 * <p>A file that is missing, unreadable or whose size no longer matches its row is left out and
 * reported as failed; the shard goes on without it. Missing files and size changes are seen before
 * any byte of the file is written; a read error in the middle of a body aborts the partial object
 * and the shard is written again without that file (the DES writer cannot take a body back).
 */
public final class ShardWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

    private final ArchiveSink archive;
    private final Function<String, SourceStorage> storages;
    private final FailurePoint failure;

    /**
     * @param archive where shard objects go
     * @param storages the source storage of each source name
     * @param failure test hook, or null
     */
    public ShardWriter(
            ArchiveSink archive, Function<String, SourceStorage> storages, FailurePoint failure) {
        this.archive = archive;
        this.storages = storages;
        this.failure = failure;
    }

    /**
     * Writes {@code refs} (all of one source and shard) as the object {@code key}.
     *
     * @return the committable; without an object when every file failed
     */
    public ShardCommittable write(
            String source, int shard, long seq, String key, String uri, List<FileRef> refs)
            throws IOException {
        List<FileRef> pending = new ArrayList<>(refs);
        pending.sort(Comparator.comparing(FileRef::desName));
        List<FailedFile> failed = new ArrayList<>();
        SourceStorage storage = storages.apply(source);
        for (int attempt = 0; attempt <= refs.size(); attempt++) {
            List<PackedFile> packed = new ArrayList<>();
            FileRef brokenMidBody = null;
            String brokenReason = null;
            try (DesWriter writer =
                    DesWriter.builder(archive, key).bigFileThreshold(Long.MAX_VALUE).build()) {
                int added = 0;
                for (FileRef ref : pending) {
                    if (failure != null && added == pending.size() / 2 && added > 0) {
                        failure.maybeFail(FailurePoint.Point.MID_UPLOAD, key);
                    }
                    if (ref.size() < 0) {
                        failed.add(new FailedFile(ref, "size unknown in the master row"));
                        continue;
                    }
                    SourceStorage.Body body;
                    try {
                        body = storage.open(ref.path());
                    } catch (SourceStorage.SourceFileException e) {
                        failed.add(new FailedFile(ref, e.getMessage()));
                        continue;
                    }
                    GuardedStream in = new GuardedStream(body.stream());
                    try (in) {
                        if (body.length() != ref.size()) {
                            failed.add(
                                    new FailedFile(
                                            ref,
                                            "size changed: the row says "
                                                    + ref.size()
                                                    + " bytes, the storage has "
                                                    + body.length()));
                            continue;
                        }
                        long offset = writer.position();
                        DesEntry entry =
                                writer.add(
                                        ref.desName(),
                                        in,
                                        ref.size(),
                                        FileMetadata.NONE
                                                .withAttribute("source", ref.source())
                                                .withAttribute("id", ref.id()));
                        in.readToEnd();
                        packed.add(new PackedFile(ref, offset, entry.size(), entry.crc32c()));
                        added++;
                    } catch (IOException e) {
                        if (in.failure != null || in.endedEarly) {
                            brokenMidBody = ref;
                            brokenReason =
                                    in.failure != null
                                            ? "unreadable: " + in.failure.getMessage()
                                            : "size changed while reading: " + e.getMessage();
                            break;
                        }
                        throw e;
                    }
                }
                if (brokenMidBody == null) {
                    if (packed.isEmpty()) {
                        return new ShardCommittable(
                                source, shard, -1, "", "", 0, "", List.of(), failed);
                    }
                    writer.finish();
                    ArchiveSink.Committed object = archive.takeCommitted(key);
                    if (failure != null) {
                        failure.maybeFail(FailurePoint.Point.AFTER_UPLOAD, key);
                    }
                    return new ShardCommittable(
                            source,
                            shard,
                            seq,
                            key,
                            uri,
                            object.length(),
                            object.checksum(),
                            packed,
                            failed);
                }
            }
            LOG.warn(
                    "source {}: {} ({}) broke mid-body: {}; writing {} again without it",
                    source,
                    brokenMidBody.path(),
                    brokenMidBody.desName(),
                    brokenReason,
                    key);
            failed.add(new FailedFile(brokenMidBody, brokenReason));
            pending.remove(brokenMidBody);
            failed.removeIf(f -> pending.contains(f.ref()));
        }
        throw new IllegalStateException("shard " + key + " could not be assembled");
    }

    /** Remembers a read failure of the source, to tell it from a failure of the archive. */
    private static final class GuardedStream extends FilterInputStream {
        IOException failure;
        boolean endedEarly;

        GuardedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                endedEarly |= b < 0;
                return b;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                endedEarly |= n < 0;
                return n;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        /**
         * Reads the (empty) rest of a body that was read for its full length, so an HTTP response
         * ends normally instead of being cut off: S3-compatible servers keep an object busy while a
         * response is cut off.
         */
        void readToEnd() throws IOException {
            byte[] rest = new byte[8192];
            while (read(rest, 0, rest.length) >= 0) {
                // a body that grew after its size was read: the extra bytes are not packed
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException ignored) {
                // closing a source stream
            }
        }
    }
}
