package io.datafabric.usage.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.parse.RejectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkReaderTest {
    @TempDir Path dir;

    /** Everything read from a file with the given layout. */
    private record Outcome(
            Map<Long, Long> totals,
            List<RejectRow> rejects,
            long lines,
            long physical,
            int chunks) {}

    private Outcome readAll(Path file, long splitSize, ReadOptions options) throws IOException {
        SplitPlanner planner = new SplitPlanner(splitSize, 3600);
        List<FileSplit> splits =
                planner.plan(new DiscoveredFile(file.toString(), Files.size(file), 0), null, "me");
        Map<Long, Long> totals = new HashMap<>();
        List<RejectRow> rejects = new ArrayList<>();
        long lines = 0;
        long physical = 0;
        int chunks = 0;
        try (ChunkReader reader = new ChunkReader(options)) {
            for (FileSplit split : splits) {
                reader.open(split);
                long splitPhysical = 0;
                do {
                    ChunkDelta d = reader.readChunk();
                    chunks++;
                    for (int i = 0; i < d.entries(); i++) {
                        totals.merge(d.consumers()[i], d.amounts()[i], Long::sum);
                    }
                    rejects.addAll(d.rejects());
                    lines += d.progress().lines();
                    splitPhysical = d.progress().physicalLines();
                } while (!reader.isDone());
                physical += splitPhysical;
            }
        }
        return new Outcome(totals, rejects, lines, physical, chunks);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }

    @Test
    void everyLineIsReadExactlyOnceWhateverTheSplitAndChunkSizes() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        Map<Long, Long> expected = new HashMap<>();
        int lineCount = 5_000;
        for (int i = 0; i < lineCount; i++) {
            long c = random.nextLong(300);
            long a = random.nextLong(1_000_000);
            expected.merge(c, a, Long::sum);
            // varied spacing so the general path is exercised too
            sb.append(i % 7 == 0 ? " " : "").append(c).append(i % 5 == 0 ? "\t " : " ").append(a);
            sb.append(i % 11 == 0 ? "\r\n" : "\n");
        }
        sb.setLength(sb.length() - 1); // last line without a line feed
        Path file = write("many.txt", sb.toString());
        long size = Files.size(file);
        for (long splitSize : new long[] {size + 10, 4096, 1000, 37, 3}) {
            for (long chunk : new long[] {1, 333, 1 << 20}) {
                Outcome o = readAll(file, splitSize, new ReadOptions(chunk, 1 << 16, 1000));
                assertThat(o.totals())
                        .as("split %d chunk %d", splitSize, chunk)
                        .isEqualTo(expected);
                assertThat(o.lines()).isEqualTo(lineCount);
                assertThat(o.physical()).isEqualTo(lineCount);
                assertThat(o.rejects()).isEmpty();
            }
        }
    }

    @Test
    void aFullMapFlushesEarly() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(i).append(' ').append(1).append('\n');
        }
        Path file = write("wide.txt", sb.toString());
        Outcome o = readAll(file, 1 << 20, new ReadOptions(1 << 20, 100, 10));
        assertThat(o.totals()).hasSize(1000);
        assertThat(o.chunks()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void batchedLinesKeepTheMapBoundExactAndStopAtAnOverflow() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            // 18-digit amounts stay on the fast path; the 10th one of consumer 5 overflows
            sb.append("5 999999999999999999\n6 1\n");
        }
        Path file = write("overflow.txt", sb.toString());
        Outcome o = readAll(file, 1 << 20, new ReadOptions(1 << 20, 100, 100));
        assertThat(o.totals())
                .containsEntry(5L, 9 * 999_999_999_999_999_999L)
                .containsEntry(6L, 30L);
        assertThat(o.rejects())
                .hasSize(21)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo(RejectReason.TOTAL_OVERFLOW));
        assertThat(o.rejects().get(0).lineInSplit()).isEqualTo(19);
        assertThat(o.lines()).isEqualTo(39);

        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            wide.append(i).append(' ').append(i).append('\n');
        }
        Path many = write("wide-batches.txt", wide.toString());
        SplitPlanner planner = new SplitPlanner(1 << 20, 3600);
        FileSplit split =
                planner.plan(new DiscoveredFile(many.toString(), Files.size(many), 0), null, "me")
                        .get(0);
        long lines = 0;
        try (ChunkReader reader = new ChunkReader(new ReadOptions(1 << 20, 3, 10))) {
            reader.open(split);
            do {
                ChunkDelta d = reader.readChunk();
                assertThat(d.entries()).isLessThanOrEqualTo(3);
                lines += d.progress().lines();
            } while (!reader.isDone());
        }
        assertThat(lines).isEqualTo(1000);
    }

    @Test
    void rejectsCarryTheirReasonSplitLineAndRawBytes() throws IOException {
        Path file = write("bad.txt", "1 2\n\nx 3\n4 5 6\n7 -8\n9 9223372036854775807\n9 1\n");
        Outcome o = readAll(file, 1 << 20, new ReadOptions(1 << 20, 100, 100));
        assertThat(o.totals()).containsEntry(1L, 2L).containsEntry(9L, Long.MAX_VALUE);
        assertThat(o.rejects())
                .extracting(RejectRow::reason)
                .containsExactly(
                        RejectReason.NON_DIGIT,
                        RejectReason.EXTRA_FIELD,
                        RejectReason.SIGN,
                        RejectReason.TOTAL_OVERFLOW);
        assertThat(o.rejects()).extracting(RejectRow::lineInSplit).containsExactly(3L, 4L, 5L, 7L);
        assertThat(new String(o.rejects().get(1).raw(), StandardCharsets.US_ASCII))
                .isEqualTo("4 5 6");
        assertThat(o.rejects().get(0).byteOffset()).isEqualTo(5);
        assertThat(o.lines()).isEqualTo(2);
        assertThat(o.physical()).isEqualTo(7);
    }

    @Test
    void aLineOverOneMebibyteIsRejectedAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("long.txt");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("1 1\n".getBytes(StandardCharsets.US_ASCII));
            byte[] digits = new byte[ChunkReader.MAX_LINE_BYTES + 10];
            java.util.Arrays.fill(digits, (byte) '7');
            out.write(digits);
            out.write("\n2 2\n".getBytes(StandardCharsets.US_ASCII));
            byte[] exact = new byte[ChunkReader.MAX_LINE_BYTES];
            java.util.Arrays.fill(exact, (byte) ' ');
            exact[0] = '3';
            exact[exact.length - 1] = '3';
            out.write(exact);
            out.write("\n".getBytes(StandardCharsets.US_ASCII));
        }
        Outcome o = readAll(file, 1 << 30, new ReadOptions(1 << 20, 100, 100));
        assertThat(o.totals()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(o.rejects())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.reason()).isEqualTo(RejectReason.LINE_TOO_LONG);
                            assertThat(r.raw()).hasSize(RejectRow.MAX_RAW);
                            assertThat(r.lineInSplit()).isEqualTo(2);
                        });
        assertThat(o.physical()).isEqualTo(4);
    }

    @Test
    void rejectRowsPerSplitAreCappedButAllRejectsAreCounted() throws IOException {
        Path file = write("garbage.txt", "x\n".repeat(50) + "1 1\n");
        SplitPlanner planner = new SplitPlanner(1 << 20, 3600);
        FileSplit split =
                planner.plan(new DiscoveredFile(file.toString(), Files.size(file), 0), null, "me")
                        .get(0);
        try (ChunkReader reader = new ChunkReader(new ReadOptions(1 << 20, 100, 5))) {
            reader.open(split);
            ChunkDelta d = reader.readChunk();
            assertThat(d.progress().rejects()).isEqualTo(50);
            assertThat(d.rejects()).hasSize(6);
            assertThat(d.rejects().get(5).reason()).isEqualTo(RejectReason.REJECT_ROWS_CAPPED);
            assertThat(d.progress().lines()).isEqualTo(1);
        }
    }

    @Test
    void resumesFromACheckpointedPositionMidFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(i % 10).append(' ').append(i).append('\n');
        }
        Path file = write("resume.txt", sb.toString());
        SplitPlanner planner = new SplitPlanner(1 << 20, 3600);
        FileSplit split =
                planner.plan(new DiscoveredFile(file.toString(), Files.size(file), 0), null, "me")
                        .get(0);
        Map<Long, Long> totals = new HashMap<>();
        try (ChunkReader reader = new ChunkReader(new ReadOptions(100, 100, 10))) {
            reader.open(split);
            ChunkDelta first = reader.readChunk();
            for (int i = 0; i < first.entries(); i++) {
                totals.merge(first.consumers()[i], first.amounts()[i], Long::sum);
            }
            // a new reader resumes where the first chunk ended, as after a failure
            FileSplit resumed =
                    split.advancedTo(
                            first.progress().nextOffset(), first.progress().physicalLines(), 0);
            try (ChunkReader again = new ChunkReader(new ReadOptions(1 << 20, 100, 10))) {
                again.open(resumed);
                ChunkDelta rest = again.readChunk();
                assertThat(again.isDone()).isTrue();
                for (int i = 0; i < rest.entries(); i++) {
                    totals.merge(rest.consumers()[i], rest.amounts()[i], Long::sum);
                }
                assertThat(first.progress().lines() + rest.progress().lines()).isEqualTo(1000);
                assertThat(rest.progress().physicalLines()).isEqualTo(1000);
            }
        }
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        assertThat(all).isEqualTo(999L * 1000 / 2);
    }

    @Test
    void aFileShorterThanAnnouncedIsReadAsFarAsItGoesAndRejected() throws IOException {
        Path file = write("short.txt", "1 1\n2 2\n");
        FileSplit split =
                new SplitPlanner(1 << 20, 3600)
                        .plan(new DiscoveredFile(file.toString(), 100, 0), null, "me")
                        .get(0);
        try (ChunkReader reader = new ChunkReader(new ReadOptions(1 << 20, 100, 10))) {
            reader.open(split);
            ChunkDelta d = reader.readChunk();
            assertThat(reader.isDone()).isTrue();
            assertThat(d.progress().lines()).isEqualTo(2);
            assertThat(d.rejects())
                    .extracting(RejectRow::reason)
                    .containsExactly(RejectReason.FILE_TRUNCATED);
        }
    }

    @Test
    void anEmptyFileIsOneFinishedSplit() throws IOException {
        Path file = write("empty.txt", "");
        Outcome o = readAll(file, 100, new ReadOptions(100, 100, 10));
        assertThat(o.totals()).isEmpty();
        assertThat(o.chunks()).isEqualTo(1);
    }
}
