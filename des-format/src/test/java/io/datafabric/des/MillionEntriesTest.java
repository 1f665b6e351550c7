package io.datafabric.des;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.format.DesFormat;
import io.datafabric.des.io.CountingRangeSource;
import io.datafabric.des.io.FileRangeSource;
import io.datafabric.des.io.LocalDirectorySink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard of 1,000,000 tiny files, streamed to a temp file, reads back in full. */
class MillionEntriesTest {
    private static final int COUNT = 1_000_000;

    @TempDir Path dir;

    private static String name(int i) {
        // Written in a scrambled order so the writer really has to sort.
        return String.format("f%07d", i);
    }

    private static byte[] body(int i) {
        return new byte[] {(byte) i, (byte) (i >>> 8), (byte) (i >>> 16)};
    }

    @Test
    void millionEntriesRoundTrip() throws IOException {
        try (DesWriter writer =
                DesWriter.builder(new LocalDirectorySink(dir), "million.des").build()) {
            for (int k = 0; k < COUNT; k++) {
                int i = (int) ((k * 7919L) % COUNT);
                writer.add(name(i), body(i), FileMetadata.NONE);
            }
            ShardSummary summary = writer.finish();
            assertThat(summary.entryCount()).isEqualTo(COUNT);
        }
        Path shard = dir.resolve("million.des");
        // Per entry: 3 body bytes, a 30-byte META record, a 40-byte slot and an 8-byte name.
        assertThat(Files.size(shard))
                .isEqualTo(DesFormat.MIN_OBJECT_LENGTH + (long) COUNT * (3 + 30 + 40 + 8));

        CountingRangeSource source = new CountingRangeSource(new FileRangeSource(shard));
        try (DesReader reader = DesReader.builder(source).build()) {
            assertThat(reader.entryCount()).isEqualTo(COUNT);
            assertThat(source.requests()).isEqualTo(2);
            List<DesEntry> list = reader.list();
            assertThat(list.get(0).name()).isEqualTo("f0000000");
            assertThat(list.get(COUNT - 1).name()).isEqualTo("f0999999");
            assertThat(list.get(123_456))
                    .isEqualTo(new DesEntry("f0123456", 3, list.get(123_456).crc32c(), false));
            Random random = new Random(5);
            for (int n = 0; n < 2000; n++) {
                int i = random.nextInt(COUNT);
                assertThat(reader.read(name(i)).orElseThrow()).isEqualTo(body(i));
            }
            assertThat(reader.read("f1000000")).isEmpty();
            assertThat(reader.verify().entries()).isEqualTo(COUNT);
        }
    }
}
