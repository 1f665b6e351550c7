package io.datafabric.des;

import static io.datafabric.des.TestShards.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.des.format.DesFormat;
import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.io.FileRangeSource;
import io.datafabric.des.io.LocalDirectorySink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesRoundTripTest {
    @TempDir Path dir;

    private DesWriter writer(long threshold) throws IOException {
        return DesWriter.builder(new LocalDirectorySink(dir), "shard.des")
                .bigFileThreshold(threshold)
                .build();
    }

    private DesReader reader() throws IOException {
        return DesReader.open(dir.resolve("shard.des"));
    }

    @Test
    void emptyShardIsHeaderPlusFooter() throws IOException {
        try (DesWriter w = writer(1024)) {
            ShardSummary summary = w.finish();
            assertThat(summary.entryCount()).isZero();
            assertThat(summary.objectLength()).isEqualTo(DesFormat.MIN_OBJECT_LENGTH);
        }
        assertThat(Files.size(dir.resolve("shard.des"))).isEqualTo(96);
        try (DesReader r = reader()) {
            assertThat(r.list()).isEmpty();
            assertThat(r.read("anything")).isEmpty();
            assertThat(r.stat("anything")).isEmpty();
            assertThat(r.verify()).isEqualTo(new VerifyReport(0, 0, 0, 0));
        }
    }

    @Test
    void oneFileWithMetadata() throws IOException {
        FileMetadata meta =
                FileMetadata.of("text/plain")
                        .withAttribute("zeta", "last")
                        .withAttribute("alpha", "first")
                        .withAttribute("ключ", "значение");
        try (DesWriter w = writer(1024)) {
            w.add("hello.txt", utf8("hello, world\n"), meta);
            w.finish();
        }
        try (DesReader r = reader()) {
            assertThat(r.list())
                    .containsExactly(new DesEntry("hello.txt", 13, crc("hello, world\n"), false));
            assertThat(r.read("hello.txt"))
                    .hasValueSatisfying(b -> assertThat(b).isEqualTo(utf8("hello, world\n")));
            FileStat stat = r.stat("hello.txt").orElseThrow();
            assertThat(stat.contentType()).isEqualTo("text/plain");
            assertThat(stat.attributes())
                    .containsExactly(
                            Map.entry("alpha", "first"),
                            Map.entry("zeta", "last"),
                            Map.entry("ключ", "значение"));
            assertThat(stat.bigFileRef()).isEmpty();
            assertThat(stat.metadata()).isEqualTo(meta);
            assertThat(r.verify().inlineBytes()).isEqualTo(13);
        }
    }

    @Test
    void zeroLengthFiles() throws IOException {
        try (DesWriter w = writer(1024)) {
            w.add("a-empty", new byte[0], FileMetadata.NONE);
            w.add("b-full", utf8("xyz"), FileMetadata.NONE);
            w.add("c-empty", new ByteArrayInputStream(new byte[0]), 0, FileMetadata.NONE);
            w.add("d-empty", new ByteArrayInputStream(new byte[0]), FileMetadata.NONE);
            w.finish();
        }
        try (DesReader r = reader()) {
            assertThat(r.list())
                    .extracting(DesEntry::name, DesEntry::size)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("a-empty", 0L),
                            org.assertj.core.groups.Tuple.tuple("b-full", 3L),
                            org.assertj.core.groups.Tuple.tuple("c-empty", 0L),
                            org.assertj.core.groups.Tuple.tuple("d-empty", 0L));
            for (String name : List.of("a-empty", "c-empty", "d-empty")) {
                assertThat(r.read(name)).hasValueSatisfying(b -> assertThat(b).isEmpty());
                try (InputStream in = r.open(name).orElseThrow()) {
                    assertThat(in.readAllBytes()).isEmpty();
                }
            }
            assertThat(r.read("b-full").orElseThrow()).isEqualTo(utf8("xyz"));
            assertThat(r.verify().entries()).isEqualTo(4);
        }
    }

    @Test
    void nonAsciiNamesAreStoredInUtf8ByteOrder() throws IOException {
        // U+FF21 sorts after U+1F600 in UTF-16 (String.compareTo) but before it in UTF-8.
        List<String> names =
                List.of("日本語/ファイル.txt", "ünïcødé", "emoji-😀", "\uFF21", "😀", "plain", "é");
        try (DesWriter w = writer(1024)) {
            for (String name : names) {
                w.add(name, utf8("body of " + name), FileMetadata.NONE);
            }
            w.finish();
        }
        List<String> utf8Order = new ArrayList<>(names);
        utf8Order.sort((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)));
        assertThat(utf8Order.indexOf("\uFF21")).isLessThan(utf8Order.indexOf("😀"));
        try (DesReader r = reader()) {
            assertThat(r.list()).extracting(DesEntry::name).containsExactlyElementsOf(utf8Order);
            for (String name : names) {
                assertThat(new String(r.read(name).orElseThrow(), StandardCharsets.UTF_8))
                        .isEqualTo("body of " + name);
            }
            assertThat(r.read("日本語")).isEmpty();
        }
    }

    @Test
    void bigFilesBecomeSideObjects() throws IOException {
        byte[] big = randomBytes(5000, 1);
        byte[] streamed = randomBytes(3000, 2);
        byte[] unknownLength = randomBytes(7000, 3);
        byte[] exactlyThreshold = randomBytes(1000, 4);
        try (DesWriter w = writer(1000)) {
            w.add("big/one.bin", big, FileMetadata.of("application/x-big"));
            w.add("small", utf8("tiny"), FileMetadata.NONE);
            w.add(
                    "big/two.bin",
                    new ByteArrayInputStream(streamed),
                    streamed.length,
                    FileMetadata.NONE);
            w.add("big/three.bin", new ByteArrayInputStream(unknownLength), FileMetadata.NONE);
            w.add("edge", new ByteArrayInputStream(exactlyThreshold), FileMetadata.NONE);
            ShardSummary summary = w.finish();
            assertThat(summary.sideObjectKeys())
                    .containsExactly(
                            "_bigFiles/big/one.bin",
                            "_bigFiles/big/two.bin",
                            "_bigFiles/big/three.bin");
            assertThat(summary.bodyBytes()).isEqualTo(5000 + 4 + 3000 + 7000 + 1000);
        }
        assertThat(Files.readAllBytes(dir.resolve("_bigFiles/big/one.bin"))).isEqualTo(big);
        assertThat(Files.readAllBytes(dir.resolve("_bigFiles/big/two.bin"))).isEqualTo(streamed);
        assertThat(Files.readAllBytes(dir.resolve("_bigFiles/big/three.bin")))
                .isEqualTo(unknownLength);
        assertThat(dir.resolve("_bigFiles/edge")).doesNotExist();
        // The shard holds only the small bodies.
        assertThat(Files.size(dir.resolve("shard.des"))).isLessThan(2000);
        try (DesReader r = reader()) {
            assertThat(r.read("big/one.bin").orElseThrow()).isEqualTo(big);
            assertThat(r.read("big/two.bin").orElseThrow()).isEqualTo(streamed);
            assertThat(r.read("big/three.bin").orElseThrow()).isEqualTo(unknownLength);
            assertThat(r.read("edge").orElseThrow()).isEqualTo(exactlyThreshold);
            assertThat(r.read("big/one.bin", 4000, 2000).orElseThrow())
                    .isEqualTo(Arrays.copyOfRange(big, 4000, 5000));
            FileStat stat = r.stat("big/one.bin").orElseThrow();
            assertThat(stat.bigFileRef()).contains("_bigFiles/big/one.bin");
            assertThat(stat.contentType()).isEqualTo("application/x-big");
            assertThat(r.entry("big/one.bin").orElseThrow().bigFile()).isTrue();
            try (InputStream in = r.open("big/three.bin").orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(unknownLength);
            }
            assertThat(r.verify()).isEqualTo(new VerifyReport(5, 1004, 3, 15000));
        }
    }

    @Test
    void missingSideObjectIsAFormatError() throws IOException {
        try (DesWriter w = writer(10)) {
            w.add("big", randomBytes(100, 5), FileMetadata.NONE);
            w.finish();
        }
        Files.delete(dir.resolve("_bigFiles/big"));
        try (DesReader r = reader()) {
            assertThatThrownBy(() -> r.read("big"))
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("side object _bigFiles/big")
                    .hasMessageContaining("missing");
            assertThatThrownBy(r::verify).isInstanceOf(DesFormatException.class);
        }
    }

    @Test
    void rangeReadsAreClippedToTheFile() throws IOException {
        byte[] body = randomBytes(1000, 6);
        try (DesWriter w = writer(1 << 20)) {
            w.add("before", utf8("0123"), FileMetadata.NONE);
            w.add("file", body, FileMetadata.NONE);
            w.add("after", utf8("4567"), FileMetadata.NONE);
            w.finish();
        }
        try (DesReader r = reader()) {
            assertThat(r.read("file", 0, 10).orElseThrow()).isEqualTo(Arrays.copyOf(body, 10));
            assertThat(r.read("file", 500, 100).orElseThrow())
                    .isEqualTo(Arrays.copyOfRange(body, 500, 600));
            assertThat(r.read("file", 990, 100).orElseThrow())
                    .isEqualTo(Arrays.copyOfRange(body, 990, 1000));
            assertThat(r.read("file", 1000, 10).orElseThrow()).isEmpty();
            assertThat(r.read("file", 5000, 10).orElseThrow()).isEmpty();
            assertThat(r.read("missing", 0, 10)).isEmpty();
            assertThatThrownBy(() -> r.read("file", -1, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void identicalInputGivesIdenticalBytes() throws IOException {
        Map<String, byte[]> files = TestShards.files(50, 3000, 7);
        Path first = TestShards.write(Files.createDirectory(dir.resolve("a")), files, 2000);
        Path second = TestShards.write(Files.createDirectory(dir.resolve("b")), files, 2000);
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
        try (DesReader r = DesReader.open(first)) {
            assertThat(r.entryCount()).isEqualTo(50);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                assertThat(r.read(file.getKey()).orElseThrow()).isEqualTo(file.getValue());
            }
        }
    }

    @Test
    void duplicateNamesAreRejectedAndTheWriterGoesOn() throws IOException {
        try (DesWriter w = writer(1024)) {
            w.add("same", utf8("first"), FileMetadata.NONE);
            assertThatThrownBy(() -> w.add("same", utf8("second"), FileMetadata.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("duplicate name 'same'");
            w.add("other", utf8("x"), FileMetadata.NONE);
            w.finish();
        }
        try (DesReader r = reader()) {
            assertThat(r.read("same").orElseThrow()).isEqualTo(utf8("first"));
            assertThat(r.entryCount()).isEqualTo(2);
        }
    }

    @Test
    void invalidNamesAreRejected() throws IOException {
        try (DesWriter w = writer(1024)) {
            for (String bad :
                    List.of(
                            "",
                            "/abs",
                            "dir/",
                            "a//b",
                            "a/../b",
                            "./a",
                            "..",
                            "a\\b",
                            "tab\there",
                            "nul\0",
                            "x\uD800y")) {
                assertThatThrownBy(() -> w.add(bad, utf8("x"), FileMetadata.NONE))
                        .as("name %s", bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("invalid entry name");
            }
            assertThatThrownBy(() -> w.add("n".repeat(1025), new byte[0], FileMetadata.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
            w.add("n".repeat(1024), new byte[0], FileMetadata.NONE);
            w.finish();
        }
    }

    @Test
    void closeWithoutFinishLeavesNothingBehind() throws IOException {
        try (DesWriter w = writer(10)) {
            w.add("small", utf8("abc"), FileMetadata.NONE);
            w.add("big", randomBytes(100, 8), FileMetadata.NONE);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aStreamThatEndsEarlyFailsTheShard() throws IOException {
        try (DesWriter w = writer(1024)) {
            w.add("ok", utf8("fine"), FileMetadata.NONE);
            assertThatThrownBy(
                            () ->
                                    w.add(
                                            "short",
                                            new ByteArrayInputStream(new byte[5]),
                                            10,
                                            FileMetadata.NONE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("ended after 5 of 10 bytes");
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        assertThat(dir.resolve("shard.des")).doesNotExist();
    }

    @Test
    void streamedReadsCheckTheBody() throws IOException {
        byte[] body = randomBytes(10_000, 9);
        try (DesWriter w = writer(1 << 20)) {
            w.add("file", body, FileMetadata.NONE);
            w.finish();
        }
        Path shard = dir.resolve("shard.des");
        try (DesReader r = DesReader.builder(new FileRangeSource(shard)).chunkSize(777).build()) {
            try (InputStream in = r.open("file").orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            assertThat(r.open("nope")).isEmpty();
        }
        byte[] bytes = Files.readAllBytes(shard);
        bytes[DesFormat.HEADER_LENGTH + 5000] ^= 0x40;
        Files.write(shard, bytes);
        try (DesReader r = DesReader.builder(new FileRangeSource(shard)).chunkSize(777).build()) {
            try (InputStream in = r.open("file").orElseThrow()) {
                assertThatThrownBy(in::readAllBytes)
                        .isInstanceOf(DesFormatException.class)
                        .hasMessageContaining("fails its checksum");
            }
            assertThatThrownBy(() -> r.read("file"))
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("fails its checksum");
            // A range read is not checked: it returns the bytes as stored.
            assertThat(r.read("file", 0, 100).orElseThrow()).isEqualTo(Arrays.copyOf(body, 100));
        }
    }

    @Test
    void readersShareAnIndexCache() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>(TestShards.files(20, 500, 10));
        Path shard = TestShards.write(dir, files, 1 << 20);
        var cache = io.datafabric.des.cache.IndexCache.bounded(1 << 20);
        for (int i = 0; i < 3; i++) {
            try (DesReader r = DesReader.builder(new FileRangeSource(shard)).cache(cache).build()) {
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    assertThat(r.read(file.getKey()).orElseThrow()).isEqualTo(file.getValue());
                }
            }
        }
        assertThat(cache.stats().missCount()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.weightedSize()).isBetween(1L, 1L << 20);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static int crc(String text) {
        return io.datafabric.des.format.Checksums.crc32c(utf8(text));
    }
}
