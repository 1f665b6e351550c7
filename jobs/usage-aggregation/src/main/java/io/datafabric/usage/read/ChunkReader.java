package io.datafabric.usage.read;

import io.datafabric.usage.aggregate.LongLongMap;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.parse.RejectReason;
import io.datafabric.usage.parse.UsageLineParser;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads a {@link FileSplit} chunk by chunk: bytes are parsed by hand and summed per consumer in a
 * primitive map, so memory stays bounded by the buffer and the map whatever the file size.
 *
 * <p>A chunk ends after {@link ReadOptions#chunkBytes()} bytes, when the map reaches {@link
 * ReadOptions#maxEntries()} consumers, or at the end of the split. Chunks end on line boundaries,
 * so the position after a chunk is a safe place to resume.
 *
 * <p>Not thread-safe; one instance per reading thread.
 */
public final class ChunkReader implements Closeable {
    /** Longest accepted line, without its line feed. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final byte[] CAPPED =
            "further rejected lines of this split are counted, not recorded"
                    .getBytes(StandardCharsets.UTF_8);

    private final ReadOptions options;
    private final UsageLineParser parser = new UsageLineParser();
    private final LongLongMap sums;
    private final byte[] buf = new byte[2 * MAX_LINE_BYTES + 64 * 1024];
    private final long[] counted = new long[1];
    private final LineBatch batch = new LineBatch();

    private FileSplit split;
    private FSDataInputStream in;
    private long bufStart;
    private int pos;
    private int lim;
    private long readLimit;
    private long physicalLines;
    private long rejects;
    private boolean done;
    private List<RejectRow> pendingRejects = new ArrayList<>();
    private long pendingRejectCount;

    public ChunkReader(ReadOptions options) {
        this.options = options;
        this.sums = new LongLongMap(Math.min(options.maxEntries(), 1 << 12));
    }

    /** Starts reading a split at its recorded position. */
    public void open(FileSplit s) throws IOException {
        close();
        split = s;
        physicalLines = s.physicalLines();
        rejects = s.rejects();
        readLimit = s.fileSize();
        pendingRejects = new ArrayList<>();
        pendingRejectCount = 0;
        bufStart = s.offset();
        pos = 0;
        lim = 0;
        done = s.isFinished();
        if (done) {
            return;
        }
        Path path = new Path(s.path());
        in = path.getFileSystem().open(path);
        if (s.offset() == s.start() && s.start() > 0) {
            // the line that began in the previous range belongs to the previous split
            seek(s.start() - 1);
            skipPastLineFeed();
        } else {
            seek(s.offset());
        }
    }

    /** True once the split has been read to its end. */
    public boolean isDone() {
        return done;
    }

    public FileSplit split() {
        return split;
    }

    /** Reads the next chunk of the open split. */
    public ChunkDelta readChunk() throws IOException {
        LongLongMap map = sums;
        map.clear();
        List<RejectRow> rejectRows = pendingRejects;
        long chunkRejects = pendingRejectCount;
        pendingRejects = new ArrayList<>();
        pendingRejectCount = 0;
        long lines = 0;
        final long startOffset = bufStart + pos;
        final long end = Math.min(split.end(), readLimit);
        final long chunkLimit = startOffset + options.chunkBytes();
        final int maxEntries = options.maxEntries();
        final byte[] b = buf;
        while (!done) {
            long lineStart = bufStart + pos;
            if (lineStart >= end || lineStart >= readLimit) {
                done = true;
                break;
            }
            if (lineStart >= chunkLimit || map.size() >= maxEntries) {
                break;
            }
            // fast path: a run of "<digits> <digits>\n" lines, in a small method the JIT
            // compiles early and well
            long stopOffset = Math.min(Math.min(end, readLimit), chunkLimit);
            int stopIndex = (int) Math.min(lim, stopOffset - bufStart);
            int after = scanSimpleLines(b, pos, lim, stopIndex, map, maxEntries, counted, batch);
            if (after > pos) {
                lines += counted[0];
                physicalLines += counted[0];
                pos = after;
                continue;
            }
            int l = lim;
            // general path: find the line end, refilling the buffer when needed
            int nl = indexOfLineFeed(b, pos, l);
            int lineEnd;
            int next;
            if (nl >= 0) {
                lineEnd = nl;
                next = nl + 1;
            } else if (bufStart + l >= readLimit) {
                lineEnd = l;
                next = l;
            } else if (l - pos > MAX_LINE_BYTES) {
                physicalLines++;
                chunkRejects +=
                        reject(RejectReason.LINE_TOO_LONG, lineStart, pos, pos + RejectRow.MAX_RAW);
                skipPastLineFeed();
                continue;
            } else {
                fill();
                continue;
            }
            physicalLines++;
            if (lineEnd - pos > MAX_LINE_BYTES) {
                chunkRejects +=
                        reject(RejectReason.LINE_TOO_LONG, lineStart, pos, pos + RejectRow.MAX_RAW);
                pos = next;
                continue;
            }
            int code = parser.parse(b, pos, lineEnd);
            if (code == UsageLineParser.OK) {
                if (map.add(parser.consumer(), parser.amount())) {
                    lines++;
                } else {
                    chunkRejects += reject(RejectReason.TOTAL_OVERFLOW, lineStart, pos, lineEnd);
                }
            } else if (code != UsageLineParser.EMPTY) {
                chunkRejects += reject(UsageLineParser.reasonOf(code), lineStart, pos, lineEnd);
            }
            pos = next;
        }
        // pending rejects recorded while skipping (open, truncation) were moved into this chunk
        rejectRows.addAll(pendingRejects);
        chunkRejects += pendingRejectCount;
        pendingRejects = new ArrayList<>();
        pendingRejectCount = 0;

        long nextOffset = bufStart + pos;
        long[][] arrays = map.toArrays();
        SplitProgress progress =
                new SplitProgress(
                        split.path(),
                        split.fileSize(),
                        split.mtimeMillis(),
                        split.periodStart(),
                        split.splitSize(),
                        split.count(),
                        split.index(),
                        split.owner(),
                        nextOffset,
                        physicalLines,
                        lines,
                        chunkRejects,
                        nextOffset - startOffset,
                        done);
        return new ChunkDelta(progress, split.periodStart(), arrays[0], arrays[1], rejectRows);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            try {
                in.close();
            } finally {
                in = null;
            }
        }
    }

    /** Lines parsed before they are added to the map, see {@link #scanSimpleLines}. */
    static final int BATCH = 16;

    /** Scratch space of one reader for {@link #scanSimpleLines}. */
    static final class LineBatch {
        final long[] consumers = new long[BATCH];
        final long[] amounts = new long[BATCH];
        final int[] ends = new int[BATCH];
    }

    /**
     * Parses consecutive lines of the common form {@code <digits> <digits>\n} (at most 18 digits
     * each, so no overflow is possible) into the map. Stops before the first line that starts at or
     * after {@code stopIndex}, is of another form, is not complete in the buffer or would overflow
     * its sum, and when the map holds {@code maxEntries} consumers.
     *
     * <p>Lines are parsed in batches of up to {@link #BATCH} and their map slots loaded before any
     * of them is added: with many consumers nearly every add misses the CPU caches, and this way
     * the misses of a batch overlap instead of following one another (the profile of the 1 GiB,
     * 100,000-consumer benchmark had 80 % of the reader's time in the map). A batch never holds
     * more lines than the map has room for new consumers, so {@code maxEntries} stays exact.
     *
     * @param counted receives the number of lines parsed
     * @return the position after the last line parsed
     */
    static int scanSimpleLines(
            byte[] b,
            int pos,
            int lim,
            int stopIndex,
            LongLongMap map,
            int maxEntries,
            long[] counted,
            LineBatch batch) {
        final long[] consumers = batch.consumers;
        final long[] amounts = batch.amounts;
        final int[] ends = batch.ends;
        int n = 0;
        while (true) {
            int room = Math.min(BATCH, maxEntries - map.size());
            int m = 0;
            int p = pos;
            while (m < room && p < stopIndex) {
                int i = p;
                long consumer = 0;
                int d;
                int stop = Math.min(lim, p + 18);
                while (i < stop && (d = b[i] - '0') >= 0 && d <= 9) {
                    consumer = consumer * 10 + d;
                    i++;
                }
                if (i == p || i >= lim || b[i] != ' ') {
                    break;
                }
                int amountStart = ++i;
                long amount = 0;
                stop = Math.min(lim, amountStart + 18);
                while (i < stop && (d = b[i] - '0') >= 0 && d <= 9) {
                    amount = amount * 10 + d;
                    i++;
                }
                if (i == amountStart || i >= lim || b[i] != '\n') {
                    break;
                }
                consumers[m] = consumer;
                amounts[m] = amount;
                p = i + 1;
                ends[m] = p;
                m++;
            }
            if (m == 0) {
                break;
            }
            map.prefetch(consumers, m);
            int added = 0;
            while (added < m && map.add(consumers[added], amounts[added])) {
                added++;
            }
            n += added;
            if (added > 0) {
                pos = ends[added - 1];
            }
            if (added < m || m < room) {
                break;
            }
        }
        counted[0] = n;
        return pos;
    }

    /** Records a reject (or only counts it past the cap); returns 1 for the chunk's count. */
    private int reject(RejectReason reason, long lineStart, int from, int to) {
        rejects++;
        long cap = options.maxRejectRowsPerSplit();
        if (rejects <= cap) {
            pendingRejects.add(
                    RejectRow.ofLine(
                            split.path(),
                            split.index(),
                            physicalLines,
                            lineStart,
                            reason,
                            buf,
                            from,
                            Math.min(to, lim)));
        } else if (rejects == cap + 1) {
            pendingRejects.add(
                    new RejectRow(
                            split.path(),
                            split.index(),
                            physicalLines,
                            lineStart,
                            RejectReason.REJECT_ROWS_CAPPED,
                            CAPPED));
        }
        return 1;
    }

    private void seek(long offset) throws IOException {
        in.seek(offset);
        bufStart = offset;
        pos = 0;
        lim = 0;
    }

    /** Moves past the next line feed (or to the end of the data). */
    private void skipPastLineFeed() throws IOException {
        while (true) {
            int nl = indexOfLineFeed(buf, pos, lim);
            if (nl >= 0) {
                pos = nl + 1;
                return;
            }
            pos = lim;
            if (!fill()) {
                return;
            }
        }
    }

    /**
     * Keeps the unread bytes and reads more after them.
     *
     * @return false when no more bytes can be read
     */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        long remaining = readLimit - (bufStart + lim);
        if (remaining <= 0 || lim == buf.length) {
            return false;
        }
        int n = in.read(buf, lim, (int) Math.min(buf.length - lim, remaining));
        if (n < 0) {
            // the file is shorter than when it was discovered: count what is there, say so
            long at = bufStart + lim;
            rejects++;
            pendingRejectCount++;
            pendingRejects.add(
                    RejectRow.ofText(
                            split.path(),
                            RejectReason.FILE_TRUNCATED,
                            "file ended at byte " + at + " but had " + readLimit + " bytes"));
            readLimit = at;
            return false;
        }
        lim += n;
        return true;
    }

    private static int indexOfLineFeed(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
