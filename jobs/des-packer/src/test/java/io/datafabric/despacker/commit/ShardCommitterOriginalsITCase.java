package io.datafabric.despacker.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.des.naming.ShardNamer;
import io.datafabric.des.naming.SnowflakeNameGenerator;
import io.datafabric.despacker.config.FailurePoint;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.master.MasterTable;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.despacker.model.ShardCommittable;
import io.datafabric.despacker.pack.ArchiveSink;
import io.datafabric.despacker.pack.ShardWriter;
import io.datafabric.despacker.pack.SourceStorage;
import io.datafabric.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of {@code packer.delete-originals} in the committer: a commit that fails after the DES
 * metadata and before the master update deletes nothing; the repeated commit (as after a recovery)
 * records the master rows and then deletes exactly the originals the object read back confirms; a
 * file whose checksum the object does not confirm, and a failed file, keep theirs.
 */
class ShardCommitterOriginalsITCase {
    @RegisterExtension static final PostgresDatabase MASTER = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DES = new PostgresDatabase();

    @TempDir Path tmp;

    @Test
    void deletesOriginalsOnlyAfterRecordingAndVerification() throws Exception {
        Path storage = tmp.resolve("storage");
        Files.createDirectories(storage);
        MASTER.execute(
                "CREATE TABLE files (id bigint PRIMARY KEY, path text NOT NULL, size bigint,"
                        + " created_at timestamptz NOT NULL, status text NOT NULL, des_name text,"
                        + " shard integer, archive_location text)");
        Map<Long, Path> files = new HashMap<>();
        for (long id = 1; id <= 6; id++) {
            Path file = storage.resolve("f-" + id + ".bin");
            Files.write(file, ("body of file " + id).repeat((int) id * 50).getBytes());
            files.put(id, file);
            long declared = id == 3 ? Files.size(file) + 1 : Files.size(file); // 3: size changed
            MASTER.execute(
                    "INSERT INTO files (id, path, size, created_at, status) VALUES ("
                            + id
                            + ", 'file://"
                            + file
                            + "', "
                            + declared
                            + ", now() - interval '40 days', 'active')");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("sources.m.jdbc.url", MASTER.jdbcUrl());
        keys.put("sources.m.jdbc.user", MASTER.user());
        keys.put("sources.m.table", "files");
        keys.put("sources.m.storage.root", "file://" + storage);
        keys.put("des.jdbc.url", DES.jdbcUrl());
        keys.put("des.jdbc.user", DES.user());
        keys.put("archive.uri", "file://" + tmp.resolve("archive"));
        keys.put("packer.shard-bits", "0");
        keys.put("packer.delete-originals", "true");
        keys.put("packer.test.fail-at", "after-des-metadata");
        keys.put("packer.test.fail-marker", tmp.resolve("fired").toString());
        PackerConfig config = PackerConfig.from(Settings.of(keys), Map.of());
        Migrations.apply(config.desJdbc(), "des");

        List<FileRef> refs;
        try (MasterTable master = new MasterTable(config.source("m"))) {
            refs =
                    master.markBatch(
                            Instant.now(),
                            100,
                            new SnowflakeNameGenerator(0),
                            new ShardNamer(0, ""));
        }
        assertThat(refs).hasSize(6);
        List<FileRef> first = refs.stream().filter(r -> Long.parseLong(r.id()) <= 3).toList();
        List<FileRef> second = refs.stream().filter(r -> Long.parseLong(r.id()) > 3).toList();
        ShardCommittable shard1 = write(config, 0, first);
        assertThat(shard1.files()).hasSize(2);
        assertThat(shard1.failed()).hasSize(1);

        ShardCommitter committer = new ShardCommitter(config, new UnregisteredMetricsGroup());
        try {
            // fails after des.* is recorded, before the master update: nothing may be deleted
            assertThatThrownBy(() -> committer.commitOne(shard1))
                    .isInstanceOf(FailurePoint.InjectedFailure.class);
            assertThat(DES.queryLong("SELECT count(*) FROM des.files")).isEqualTo(2);
            assertThat(MASTER.queryLong("SELECT count(*) FROM files WHERE status = 'marked'"))
                    .isEqualTo(6);
            files.values().forEach(f -> assertThat(f).exists());

            // the repeated commit records the master rows, then deletes the verified originals
            committer.commitOne(shard1);
            assertThat(MASTER.queryLong("SELECT count(*) FROM files WHERE status = 'packed'"))
                    .isEqualTo(2);
            assertThat(MASTER.queryLong("SELECT count(*) FROM files WHERE status = 'failed'"))
                    .isOne();
            assertThat(files.get(1L)).doesNotExist();
            assertThat(files.get(2L)).doesNotExist();
            assertThat(files.get(3L)).as("the failed row's original").exists();

            // an object that does not confirm a file's checksum keeps that file's original
            ShardCommittable written = write(config, 1, second);
            List<PackedFile> claimed = new ArrayList<>();
            for (PackedFile f : written.files()) {
                claimed.add(
                        f.ref().id().equals("5")
                                ? new PackedFile(f.ref(), f.offset(), f.length(), ~f.crc32c())
                                : f);
            }
            committer.commitOne(
                    new ShardCommittable(
                            written.source(),
                            written.shard(),
                            written.seq(),
                            written.objectKey(),
                            written.objectUri(),
                            written.objectSize(),
                            written.checksum(),
                            claimed,
                            written.failed()));
            assertThat(MASTER.queryLong("SELECT count(*) FROM files WHERE status = 'packed'"))
                    .isEqualTo(5);
            assertThat(files.get(4L)).doesNotExist();
            assertThat(files.get(5L)).as("original the object does not confirm").exists();
            assertThat(files.get(6L)).doesNotExist();
        } finally {
            committer.close();
        }
    }

    private static ShardCommittable write(PackerConfig config, long seq, List<FileRef> refs)
            throws Exception {
        String key = config.objectKey("m", 0, seq).key();
        try (SourceStorage storage = SourceStorage.of(config.source("m").storage())) {
            return new ShardWriter(new ArchiveSink(config.archiveRoot()), s -> storage, null)
                    .write("m", 0, seq, key, config.objectUri(key), refs);
        }
    }
}
