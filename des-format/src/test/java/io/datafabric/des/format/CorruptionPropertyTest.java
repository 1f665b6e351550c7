package io.datafabric.des.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.des.TestShards;
import io.datafabric.des.io.ByteArrayRangeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Corrupts a real shard (flipped bytes, truncation, random garbage) with a fixed seed and a fixed
 * number of tries, and checks that every read gives either a DesFormatException / not-found or the
 * exact original body: never another exception, a wrong body, an OOM or a hang.
 */
class CorruptionPropertyTest {
    private static final Map<String, byte[]> FILES = TestShards.files(40, 600, 21);
    private static final Map<String, byte[]> SIDE = new HashMap<>();
    private static final byte[] SHARD = writeShard();

    private static byte[] writeShard() {
        try {
            Path dir = Files.createTempDirectory("des-corruption");
            byte[] bytes = Files.readAllBytes(TestShards.write(dir, FILES, 500));
            for (String name : FILES.keySet()) {
                Path side = dir.resolve(DesFormat.BIG_FILES_DIR + name);
                if (Files.exists(side)) {
                    SIDE.put(DesFormat.BIG_FILES_DIR + name, Files.readAllBytes(side));
                }
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
            return bytes;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DesReader reader(byte[] bytes, Map<String, byte[]> side) {
        return DesReader.builder(new ByteArrayRangeSource("mem:fuzz", bytes, side))
                .chunkSize(256)
                .tailWindow(512)
                .build();
    }

    /** Every outcome is a format error or the truth; anything else fails the property. */
    private static void assertExactOrRejected(byte[] bytes, Map<String, byte[]> side) {
        DesReader reader = reader(bytes, side);
        List<String> expectedNames = new ArrayList<>(FILES.keySet());
        expectedNames.sort((a, b) -> EntryNames.compare(TestShards.utf8(a), TestShards.utf8(b)));
        try {
            assertThat(reader.list()).extracting(DesEntry::name).isEqualTo(expectedNames);
        } catch (DesFormatException expected) {
            return;
        } catch (IOException e) {
            throw new AssertionError("not a DesFormatException", e);
        }
        for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
            try {
                Optional<byte[]> body = reader.read(file.getKey());
                assertThat(body).as("read of %s", file.getKey()).isPresent();
                assertThat(body.get()).as("body of %s", file.getKey()).isEqualTo(file.getValue());
            } catch (DesFormatException expected) {
                // rejected: fine
            } catch (IOException e) {
                throw new AssertionError("not a DesFormatException", e);
            }
        }
    }

    @Property(tries = 300, seed = "20251121", shrinking = ShrinkingMode.OFF)
    void flippedByteIsRejectedOrHarmless(
            @ForAll @IntRange(min = 0, max = 1 << 30) int where,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] bad = Tamper.flip(SHARD, where % SHARD.length, mask);
        assertExactOrRejected(bad, SIDE);
        // CRC32C catches every single-byte error, and every byte is covered by one.
        assertThatThrownBy(() -> reader(bad, SIDE).verify()).isInstanceOf(DesFormatException.class);
    }

    @Property(tries = 150, seed = "20251122", shrinking = ShrinkingMode.OFF)
    void truncatedShardIsRejected(@ForAll @IntRange(min = 0, max = 1 << 30) int where) {
        byte[] bad = Tamper.truncate(SHARD, where % SHARD.length);
        assertThatThrownBy(() -> reader(bad, SIDE).list()).isInstanceOf(DesFormatException.class);
        assertExactOrRejected(bad, SIDE);
    }

    @Property(tries = 150, seed = "20251123", shrinking = ShrinkingMode.OFF)
    void randomGarbageIsRejectedOrHarmless(
            @ForAll @IntRange(min = 1, max = 40) int changes, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] bad = SHARD.clone();
        // Bias toward the tail, where the structure is.
        int tail = SHARD.length - Tamper.footerStart(SHARD);
        for (int i = 0; i < changes; i++) {
            int position =
                    random.nextBoolean()
                            ? SHARD.length - 1 - random.nextInt(Math.max(tail, 1) + 400)
                            : random.nextInt(SHARD.length);
            bad[Math.max(0, position)] = (byte) random.nextInt(256);
        }
        assertExactOrRejected(bad, SIDE);
    }

    @Property(tries = 60, seed = "20251124", shrinking = ShrinkingMode.OFF)
    void corruptSideObjectIsRejected(
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        Map<String, byte[]> side = new HashMap<>(SIDE);
        List<String> keys = new ArrayList<>(side.keySet());
        keys.sort(String::compareTo);
        String key = keys.get(where % keys.size());
        byte[] body = side.get(key);
        side.put(key, Tamper.flip(body, where % body.length, mask));
        String name = key.substring(DesFormat.BIG_FILES_DIR.length());
        assertThatThrownBy(() -> reader(SHARD, side).read(name))
                .isInstanceOf(DesFormatException.class)
                .hasMessageContaining("fails its checksum");
        assertExactOrRejected(SHARD, side);
    }

    @Property(tries = 1, seed = "1")
    void fixtureHasBigFiles() {
        assertThat(SIDE).hasSizeGreaterThan(3);
    }
}
