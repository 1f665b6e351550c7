package io.datafabric.des.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.DesReader;
import io.datafabric.des.TestShards;
import io.datafabric.des.io.CountingRangeSource;
import io.datafabric.des.io.FileRangeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's request budget: cold read at most 3 requests, warm read exactly 1. */
class ReadRequestCountTest {
    @TempDir static Path dir;
    static Map<String, byte[]> files;
    static Path shard;

    @BeforeAll
    static void writeShard() throws IOException {
        // 300 files: META + INDEX take about 40 KB, more than a 4 KiB tail window.
        files = TestShards.files(300, 2000, 31);
        files.put("big-one", TestShards.utf8("x".repeat(5000)));
        shard = TestShards.write(dir, files, 4096);
    }

    private static CountingRangeSource counting() throws IOException {
        return new CountingRangeSource(new FileRangeSource(shard));
    }

    private static String someName() {
        return files.keySet().stream().skip(17).findFirst().orElseThrow();
    }

    @Test
    void coldReadWithIndexInTheTailWindowTakesTwoRequests() throws IOException {
        CountingRangeSource source = counting();
        try (DesReader reader = DesReader.builder(source).cache(IndexCache.none()).build()) {
            assertThat(reader.read(someName()).orElseThrow()).isEqualTo(files.get(someName()));
        }
        assertThat(source.requests()).isEqualTo(2);
    }

    @Test
    void coldReadWithALargeIndexTakesThreeRequests() throws IOException {
        CountingRangeSource source = counting();
        try (DesReader reader =
                DesReader.builder(source).cache(IndexCache.none()).tailWindow(4096).build()) {
            assertThat(reader.read(someName()).orElseThrow()).isEqualTo(files.get(someName()));
        }
        assertThat(source.requests()).isEqualTo(3);
    }

    @Test
    void warmReadsTakeOneRequestEach() throws IOException {
        CaffeineIndexCache cache = IndexCache.bounded(10 << 20);
        CountingRangeSource source = counting();
        try (DesReader reader = DesReader.builder(source).cache(cache).tailWindow(4096).build()) {
            reader.entryCount();
            assertThat(source.requests()).isEqualTo(2);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                source.reset();
                byte[] body = reader.read(file.getKey()).orElseThrow();
                assertThat(body).isEqualTo(file.getValue());
                assertThat(source.requests())
                        .as("requests to read %s", file.getKey())
                        .isEqualTo(file.getValue().length == 0 ? 0 : 1);
            }
            source.reset();
            assertThat(reader.read(someName(), 10, 100)).isPresent();
            assertThat(source.requests()).isEqualTo(1);
            source.reset();
            assertThat(reader.read("big-one").orElseThrow()).hasSize(5000);
            assertThat(source.requests()).isEqualTo(1);
            source.reset();
            assertThat(reader.stat(someName()).orElseThrow().contentType())
                    .isEqualTo("application/octet-stream");
            assertThat(reader.list()).hasSize(files.size());
            assertThat(reader.read("not-there")).isEmpty();
            assertThat(source.requests()).isZero();
        }
        // A second reader of the same shard starts warm from the shared cache.
        CountingRangeSource second = counting();
        try (DesReader reader = DesReader.builder(second).cache(cache).build()) {
            assertThat(reader.read(someName())).isPresent();
        }
        assertThat(second.requests()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isEqualTo(1);
    }

    @Test
    void cacheIsBoundedByBytes() throws IOException {
        long oneIndex;
        CaffeineIndexCache probe = IndexCache.bounded(1 << 30);
        try (DesReader reader = DesReader.builder(counting()).cache(probe).build()) {
            reader.entryCount();
        }
        oneIndex = probe.weightedSize();
        assertThat(oneIndex).isBetween(Files.size(shard) / 20, Files.size(shard));

        // Room for two indexes: copies of the shard under five names evict each other.
        CaffeineIndexCache cache = IndexCache.bounded(oneIndex * 2 + oneIndex / 2);
        for (int copy = 0; copy < 5; copy++) {
            Path other = dir.resolve("copy-" + copy + ".des");
            Files.copy(shard, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (DesReader reader =
                    DesReader.builder(new FileRangeSource(other)).cache(cache).build()) {
                assertThat(reader.read(someName()).orElseThrow()).isEqualTo(files.get(someName()));
            }
            assertThat(cache.weightedSize()).isLessThanOrEqualTo(cache.maxBytes());
        }
        assertThat(cache.size()).isLessThanOrEqualTo(2);
        assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void readerWithoutACacheKeepsItsOwnIndex() throws IOException {
        CountingRangeSource source = counting();
        try (DesReader reader = DesReader.builder(source).build()) {
            reader.read(someName());
            source.reset();
            reader.read(someName());
            assertThat(source.requests()).isEqualTo(1);
        }
    }
}
