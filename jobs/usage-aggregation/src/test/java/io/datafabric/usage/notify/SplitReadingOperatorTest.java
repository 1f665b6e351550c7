package io.datafabric.usage.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitTypeSerializer;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SplitReadingOperator} in Flink's operator test harness: one chunk per mailbox step, the
 * queue of splits with the position reached as operator state, and mid-file resumption from it.
 */
class SplitReadingOperatorTest {
    private static final long CHUNK = 64 << 10;
    private static final List<String> ASSIGNED = new CopyOnWriteArrayList<>();

    @TempDir Path dir;

    private final Map<Long, Long> truth = new HashMap<>();
    private long lines;

    /** Records the splits handed to the operator, as "index@offset". */
    record Recording() implements ReadProgressListener {
        @Override
        public void chunkRead(String path, long physicalLines, boolean resumable) {}

        @Override
        public void splitAssigned(String path, int index, long start, long offset) {
            ASSIGNED.add(index + "@" + offset);
        }
    }

    @BeforeEach
    void clear() {
        ASSIGNED.clear();
        truth.clear();
        lines = 0;
    }

    /** A file of {@code count} lines over 100 consumers; the sums go to {@link #truth}. */
    private FileSplit file(String name, int count) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long consumer = i % 100;
            long amount = i * 7L;
            text.append(consumer).append(' ').append(amount).append('\n');
            truth.merge(consumer, amount, Long::sum);
        }
        lines += count;
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.US_ASCII);
        long size = Files.size(f);
        return new FileSplit(f.toString(), size, 0, 0, size, 0, 1, 0, size, 0, 0, 0, "lineage");
    }

    private static OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> harness(
            OperatorSubtaskState restore) throws Exception {
        OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> h =
                new OneInputStreamOperatorTestHarness<>(
                        new SplitReadingOperatorFactory(
                                new ReadOptions(CHUNK, 1 << 16, 100), new Recording()),
                        FileSplitTypeSerializer.INSTANCE);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** Runs at most {@code max} mailbox steps; returns how many ran. */
    private static int runMails(OneInputStreamOperatorTestHarness<?, ?> h, int max)
            throws Exception {
        int ran = 0;
        while (ran < max) {
            Optional<Mail> mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isEmpty()) {
                break;
            }
            mail.get().run();
            ran++;
        }
        return ran;
    }

    private static void addTo(Map<Long, Long> sums, List<ChunkDelta> deltas) {
        for (ChunkDelta d : deltas) {
            for (int i = 0; i < d.entries(); i++) {
                sums.merge(d.consumers()[i], d.amounts()[i], Long::sum);
            }
        }
    }

    @Test
    void readsOneChunkPerMailboxStepUntilTheSplitIsDone() throws Exception {
        FileSplit split = file("a.txt", 40_000);
        try (OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> h = harness(null)) {
            h.processElement(new StreamRecord<>(split));
            assertThat(h.extractOutputValues())
                    .as("nothing read before the mailbox runs")
                    .isEmpty();
            assertThat(runMails(h, 1)).isEqualTo(1);
            assertThat(h.extractOutputValues()).hasSize(1);
            runMails(h, 1_000);
            List<ChunkDelta> out = h.extractOutputValues();
            assertThat(out.size()).isGreaterThanOrEqualTo((int) (split.fileSize() / CHUNK));
            assertThat(out.get(out.size() - 1).progress().done()).isTrue();
            assertThat(out.stream().mapToLong(d -> d.progress().lines()).sum()).isEqualTo(lines);
            Map<Long, Long> sums = new HashMap<>();
            addTo(sums, out);
            assertThat(sums).isEqualTo(truth);
        }
    }

    @Test
    void aRestoredOperatorResumesMidFileAndReadsEveryLineOnce() throws Exception {
        FileSplit first = file("b.txt", 40_000);
        FileSplit second = file("c.txt", 5_000);
        Map<Long, Long> sums = new HashMap<>();
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> h = harness(null)) {
            h.processElement(new StreamRecord<>(first));
            h.processElement(new StreamRecord<>(second));
            runMails(h, 2);
            snapshot = h.snapshot(1, 1);
            addTo(sums, h.extractOutputValues());
            // read on after the checkpoint: lost with the failure, read again after the restore
            runMails(h, 3);
        }
        assertThat(ASSIGNED).containsExactly("0@0", "0@0");
        try (OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> h = harness(snapshot)) {
            assertThat(ASSIGNED.get(2)).as("resumed past the start").isNotEqualTo("0@0");
            assertThat(ASSIGNED).hasSize(4).endsWith("0@0");
            runMails(h, 1_000);
            addTo(sums, h.extractOutputValues());
        }
        assertThat(sums).isEqualTo(truth);
    }

    @Test
    void endOfInputReadsWhatIsQueued() throws Exception {
        FileSplit a = file("d.txt", 10_000);
        FileSplit b = file("e.txt", 10_000);
        try (OneInputStreamOperatorTestHarness<FileSplit, ChunkDelta> h = harness(null)) {
            h.processElement(new StreamRecord<>(a));
            h.processElement(new StreamRecord<>(b));
            h.endInput();
            Map<Long, Long> sums = new HashMap<>();
            addTo(sums, h.extractOutputValues());
            assertThat(sums).isEqualTo(truth);
        }
    }
}
