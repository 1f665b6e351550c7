package io.datafabric.des.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.des.DesReader;
import io.datafabric.des.TestShards;
import io.datafabric.des.io.ByteArrayRangeSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gives a DesFormatException that says what is wrong. */
class BadInputTest {
    @TempDir static Path dir;
    static Map<String, byte[]> files;
    static byte[] shard;

    @BeforeAll
    static void writeShard() throws Exception {
        files = TestShards.files(12, 300, 11);
        shard = Files.readAllBytes(TestShards.write(dir, files, 1 << 20));
    }

    private static DesReader reader(byte[] bytes) {
        return DesReader.builder(new ByteArrayRangeSource("mem:shard", bytes)).build();
    }

    private static void assertRejected(byte[] bytes, String message) {
        ThrowingCallable open = () -> reader(bytes).list();
        assertThatThrownBy(open)
                .isInstanceOf(DesFormatException.class)
                .hasMessageContaining("mem:shard")
                .hasMessageContaining(message);
    }

    private static String firstName() {
        return files.keySet().iterator().next();
    }

    @Test
    void intactShardReads() throws Exception {
        try (DesReader r = reader(shard)) {
            assertThat(r.read(firstName()).orElseThrow()).isEqualTo(files.get(firstName()));
        }
    }

    @Test
    void truncatedObjects() {
        assertRejected(new byte[0], "truncated");
        assertRejected(Tamper.truncate(shard, 10), "truncated");
        assertRejected(Tamper.truncate(shard, 95), "truncated");
        assertRejected(Tamper.truncate(shard, shard.length - 1), "wrong magic");
        assertRejected(Tamper.truncate(shard, shard.length - 80), "wrong magic");
        assertRejected(Tamper.truncate(shard, 200), "wrong magic");
    }

    @Test
    void extendedObject() {
        byte[] longer = java.util.Arrays.copyOf(shard, shard.length + 80);
        System.arraycopy(shard, shard.length - 80, longer, shard.length, 80);
        assertRejected(longer, "appended");
    }

    @Test
    void notADesObject() {
        byte[] text =
                "just some text, long enough to be more than ninety-six bytes, surely it is more than that now"
                        .repeat(2)
                        .getBytes();
        assertRejected(text, "wrong magic");
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        assertRejected(random, "wrong magic");
    }

    @Test
    void wrongVersionOrUnknownRequiredFeature() throws Exception {
        byte[] v2 = shard.clone();
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putShort(v2.length - 16, (short) 2);
        assertRejected(v2, "unsupported DES version 2");

        byte[] feature =
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        f.metaOffset(),
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0x4,
                                        f.optionalFeatures()));
        assertRejected(feature, "requires features 0x4");

        byte[] optional =
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        f.metaOffset(),
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0xFF));
        try (DesReader r = reader(optional)) {
            assertThat(r.read(firstName())).isPresent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void corruptChecksums() throws Exception {
        Footer f = Tamper.footer(shard);
        assertRejected(Tamper.flip(shard, shard.length - 60, 0x01), "footer: checksum mismatch");
        assertRejected(
                Tamper.flip(shard, (int) f.indexOffset() + 3, 0x10), "INDEX checksum mismatch");
        assertRejected(
                Tamper.flip(shard, (int) f.indexOffset() + (int) f.indexLength() - 1, 0x10),
                "INDEX checksum mismatch");
        assertRejected(
                Tamper.flip(shard, (int) f.metaOffset() + 7, 0x80), "META checksum mismatch");
    }

    @Test
    void corruptHeaderFailsVerifyButNotReads() throws Exception {
        byte[] bad = Tamper.flip(shard, 2, 0x20);
        try (DesReader r = reader(bad)) {
            assertThat(r.read(firstName()).orElseThrow()).isEqualTo(files.get(firstName()));
            assertThatThrownBy(r::verify)
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("header: wrong magic");
        }
        byte[] badCrc = Tamper.flip(shard, 13, 0x01);
        try (DesReader r = reader(badCrc)) {
            assertThatThrownBy(r::verify)
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("header: checksum");
        }
    }

    @Test
    void corruptBody() throws Exception {
        byte[] bad = Tamper.flip(shard, DesFormat.HEADER_LENGTH, 0x01);
        try (DesReader r = reader(bad)) {
            String name = firstName();
            assertThatThrownBy(() -> r.read(name))
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("fails its checksum");
            assertThatThrownBy(r::verify)
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("fails its checksum");
        }
    }

    @Test
    void footerOffsetsOutsideTheObject() throws Exception {
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        1L << 40,
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "do not fit");
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        f.metaOffset(),
                                        Long.MAX_VALUE,
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "do not fit");
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        f.metaOffset(),
                                        f.metaLength(),
                                        f.indexOffset(),
                                        -8,
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "do not fit");
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        3,
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "do not fit");
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        f.objectLength(),
                                        f.metaOffset(),
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        Long.MAX_VALUE,
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "entry count");
        assertRejected(
                Tamper.withFooter(
                        shard,
                        f ->
                                new Footer(
                                        Long.MAX_VALUE,
                                        f.metaOffset(),
                                        f.metaLength(),
                                        f.indexOffset(),
                                        f.indexLength(),
                                        f.entryCount(),
                                        f.metaCrc32c(),
                                        f.indexCrc32c(),
                                        0,
                                        0)),
                "records an object of");
    }

    @Test
    void indexLargerThanTheReaderAcceptsIsRefusedBeforeAllocating() {
        ThrowingCallable open =
                () ->
                        DesReader.builder(new ByteArrayRangeSource("mem:shard", shard))
                                .maxIndexBytes(100)
                                .build()
                                .list();
        assertThatThrownBy(open)
                .isInstanceOf(DesFormatException.class)
                .hasMessageContaining("more than this reader's limit of 100");
    }

    @Test
    void slotsPointingOutsideTheirSections() throws Exception {
        assertRejected(Tamper.withSlot(shard, 0, 0, 1L << 40, 8), "INDEX slot 0: body");
        assertRejected(Tamper.withSlot(shard, 1, 8, 1L << 40, 8), "INDEX slot 1: body");
        assertRejected(Tamper.withSlot(shard, 2, 8, -5, 8), "INDEX slot 2: negative size");
        assertRejected(Tamper.withSlot(shard, 0, 16, 0, 8), "INDEX slot 0: META record");
        assertRejected(Tamper.withSlot(shard, 0, 24, 0x7FFFFFFF, 4), "INDEX slot 0: META record");
        assertRejected(
                Tamper.withSlot(shard, 3, 32, 0x7FFFFFF0, 4), "INDEX slot 3: name lies outside");
        assertRejected(Tamper.withSlot(shard, 3, 36, 0, 2), "INDEX slot 3: name lies outside");
        assertRejected(
                Tamper.withSlot(shard, 0, 38, 0x8000, 2), "INDEX slot 0: unknown flags 0x8000");
        assertRejected(
                Tamper.withSlot(shard, 0, 38, DesFormat.FLAG_BIG_FILE, 2),
                "INDEX slot 0: big file with a data offset");
        // Slot 1 given slot 0's name: names are no longer strictly ascending.
        Footer f = Tamper.footer(shard);
        long nameOffsetOf0 =
                ByteBuffer.wrap(shard)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt((int) f.indexOffset() + 32);
        assertRejected(Tamper.withSlot(shard, 1, 32, nameOffsetOf0, 4), "ascending");
    }

    @Test
    void metaRecordThatDisagreesWithItsSlot() throws Exception {
        // Slot 0 and slot 1 swap META records: each record is valid, but names do not match.
        Footer f = Tamper.footer(shard);
        ByteBuffer buf = ByteBuffer.wrap(shard).order(ByteOrder.LITTLE_ENDIAN);
        int slot0 = (int) f.indexOffset();
        int slot1 = slot0 + DesFormat.SLOT_LENGTH;
        byte[] swapped = Tamper.withSlot(shard, 0, 16, buf.getLong(slot1 + 16), 8);
        swapped = Tamper.withSlot(swapped, 0, 24, buf.getInt(slot1 + 24), 4);
        try (DesReader r = reader(swapped)) {
            String name = r.list().get(0).name();
            assertThatThrownBy(() -> r.stat(name))
                    .isInstanceOf(DesFormatException.class)
                    .hasMessageContaining("disagrees with its INDEX slot");
            assertThatThrownBy(r::verify).isInstanceOf(DesFormatException.class);
        }
    }

    @Test
    void unknownNameIsNotFound() throws Exception {
        try (DesReader r = reader(shard)) {
            assertThat(r.read("no/such/file")).isEmpty();
            assertThat(r.read("no/such/file", 0, 10)).isEmpty();
            assertThat(r.stat("no/such/file")).isEmpty();
            assertThat(r.entry("")).isEmpty();
            assertThat(r.open("\uD800")).isEmpty();
        }
    }
}
