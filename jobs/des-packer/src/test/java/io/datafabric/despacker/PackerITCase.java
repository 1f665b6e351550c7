package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.des.io.S3RangeSource;
import io.datafabric.despacker.gc.DesGcCommand;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code pack --config packer.yaml --bounded} end to end: two master databases with different
 * contracts (column names, status values, id types), one reading its files from S3 and one from a
 * local directory, packing into an S3 archive bucket through flink-s3-fs-hadoop; two marker
 * instances and two packer subtasks.
 */
class PackerITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase MEDIA_DB = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DOCS_DB = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DES_DB = new PostgresDatabase();
    static final S3ProxyServer SOURCE_BUCKET = new S3ProxyServer();
    static final S3ProxyServer ARCHIVE_BUCKET = new S3ProxyServer();

    static final MasterFiles.Contract MEDIA =
            new MasterFiles.Contract(
                    "media_files",
                    "file_id",
                    "bigint",
                    "uri",
                    "bytes",
                    "created",
                    "state",
                    "des",
                    "shard_no",
                    "location",
                    "why",
                    "A",
                    "M",
                    "P",
                    "F");
    static final MasterFiles.Contract DOCS =
            new MasterFiles.Contract(
                    "catalog.documents",
                    "id",
                    "text",
                    "path",
                    "size",
                    "created_at",
                    "status",
                    "des_name",
                    "shard",
                    "archive_location",
                    null,
                    "active",
                    "marked",
                    "packed",
                    "failed");

    @TempDir static Path tmp;

    static String archive() {
        return "s3://" + ARCHIVE_BUCKET.bucket();
    }

    static DesReader open(String key) {
        return DesReader.builder(
                        new S3RangeSource(ARCHIVE_BUCKET.client(), ARCHIVE_BUCKET.bucket(), key))
                .build();
    }

    @BeforeAll
    static void openBuckets() throws Exception {
        SOURCE_BUCKET.open("packer-source");
        ARCHIVE_BUCKET.open("packer-archive");
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", ARCHIVE_BUCKET.endpoint());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", ARCHIVE_BUCKET.accessKey());
        conf.setString("s3.secret-key", ARCHIVE_BUCKET.secretKey());
        // S3A otherwise deletes parent "directory" markers after every write with a bulk delete
        // that S3Proxy leaves unanswered (30 s per object)
        conf.setString("s3.directory.marker.retention", "keep");
        FileSystem.initialize(conf, null);
    }

    /**
     * Empties and deletes the source bucket, each request bounded in time: in this setup S3Proxy
     * (filesystem backend) has been seen to stop answering deletes of objects the packer read, so a
     * clean-up that cannot finish leaves the uniquely named bucket in S3Proxy's temporary directory
     * instead of holding the build for minutes.
     */
    @AfterAll
    static void deleteBuckets() {
        FileSystem.initialize(new Configuration(), null);
        // the whole clean-up is bounded too, on a daemon thread: whatever S3Proxy does, the build
        // goes on after a minute, and a clean-up failure is logged, never thrown
        ExecutorService cleaner =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "packer-itcase-bucket-cleanup");
                            t.setDaemon(true);
                            return t;
                        });
        Future<?> done =
                cleaner.submit(
                        () -> {
                            deleteBucket(SOURCE_BUCKET);
                            deleteBucket(ARCHIVE_BUCKET);
                        });
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            System.err.println(
                    "PackerITCase: bucket clean-up unfinished after 60 s; buckets left in S3Proxy's"
                            + " temporary directory");
        } catch (ExecutionException | InterruptedException e) {
            System.err.println("PackerITCase: bucket clean-up failed: " + e);
        } finally {
            cleaner.shutdownNow();
        }
    }

    private static void deleteBucket(S3ProxyServer bucket) {
        try {
            // S3Proxy's filesystem backend lists the directories of nested keys as objects too
            // (and S3A writes directory markers). Deleting a directory that still has children
            // makes jclouds retry with uninterruptible sleeps, holding a Jetty thread per request,
            // until S3Proxy stops answering: so delete children first (reverse key order)
            List<String> keys = new ArrayList<>();
            for (var o :
                    bucket.client()
                            .listObjectsV2Paginator(
                                    b ->
                                            b.bucket(bucket.bucket())
                                                    .overrideConfiguration(
                                                            c ->
                                                                    c.apiCallTimeout(
                                                                            java.time.Duration
                                                                                    .ofSeconds(5))))
                            .contents()) {
                keys.add(o.key());
            }
            keys.sort(java.util.Comparator.reverseOrder());
            for (String key : keys) {
                bucket.client()
                        .deleteObject(
                                b ->
                                        b.bucket(bucket.bucket())
                                                .key(key)
                                                .overrideConfiguration(
                                                        c ->
                                                                c.apiCallTimeout(
                                                                        java.time.Duration
                                                                                .ofSeconds(5))));
            }
            bucket.close();
        } catch (RuntimeException e) {
            System.err.println(
                    "PackerITCase: bucket "
                            + bucket.bucket()
                            + " left in S3Proxy's temporary directory: "
                            + e);
        }
    }

    @Test
    void packsBothMastersExactlyOnceAndEveryLocationServesTheOriginalBytes() throws Exception {
        Random random = new Random(8);
        MasterFiles media = new MasterFiles(MEDIA);
        MasterFiles docs = new MasterFiles(DOCS);
        Path docsRoot = tmp.resolve("docs-storage");
        int count = 80;
        try (Connection m = MEDIA_DB.connect();
                Connection d = DOCS_DB.connect()) {
            media.createTable(m);
            docs.createTable(d);
            for (int i = 0; i < count; i++) {
                byte[] bytes = MasterFiles.body(random, i, count);
                // non-ASCII keys; no spaces: S3Proxy's multi-object delete (the bucket clean-up)
                // hangs on keys with spaces
                String key = "in/" + i + "/" + MasterFiles.fileName(i).replace(' ', '_');
                SOURCE_BUCKET
                        .client()
                        .putObject(
                                b -> b.bucket(SOURCE_BUCKET.bucket()).key(key),
                                RequestBody.fromBytes(bytes));
                String path = "s3://" + SOURCE_BUCKET.bucket() + "/" + key;
                boolean young = i % 40 == 7;
                boolean temp = i % 40 == 9;
                media.insert(
                        m,
                        String.valueOf(1000 + i),
                        path,
                        (long) bytes.length,
                        young ? 0 : 40,
                        temp ? "temp" : "photo");
                media.rows.add(
                        new MasterFiles.Row(
                                String.valueOf(1000 + i), path, bytes, !young && !temp, null));

                byte[] dbytes = MasterFiles.body(random, i + 1, count);
                Path file = docsRoot.resolve("d" + (i % 7)).resolve(MasterFiles.fileName(i));
                MasterFiles.write(file, dbytes);
                String id = "doc-" + i;
                String dpath = "file://" + file.toAbsolutePath();
                String failure = null;
                long declared = dbytes.length;
                if (i == 11 || i == 12) {
                    Files.delete(file);
                    failure = "missing in source storage";
                } else if (i == 13) {
                    declared = dbytes.length + 5L;
                    failure = "size changed";
                } else if (i == 14) {
                    dpath = "file:///etc/passwd";
                    failure = "outside the source storage root";
                } else if (i == 15) {
                    dpath = "file://" + docsRoot.resolve("d1/../../escape.bin");
                    failure = "outside the source storage root";
                }
                docs.insert(d, id, dpath, declared, 31, "doc");
                docs.rows.add(new MasterFiles.Row(id, dpath, dbytes, true, failure));
            }
            // a second missing S3 object on the media side
            media.insert(
                    m,
                    "99999",
                    "s3://" + SOURCE_BUCKET.bucket() + "/in/nothing-here",
                    10L,
                    40,
                    "photo");
            media.rows.add(
                    new MasterFiles.Row(
                            "99999",
                            "s3://" + SOURCE_BUCKET.bucket() + "/in/nothing-here",
                            new byte[0],
                            true,
                            "missing in source storage"));
        }

        Path yaml = tmp.resolve("packer.yaml");
        Files.writeString(yaml, packerYaml(docsRoot), StandardCharsets.UTF_8);
        String[] args = {
            "--config",
            yaml.toString(),
            "--bounded",
            "--set",
            "sources.media.storage.s3.secret-key=" + SOURCE_BUCKET.secretKey()
        };
        long started = System.nanoTime();
        assertThat(new CommandLine(new PackCommand()).execute(args)).isZero();
        System.err.printf(
                "PackerITCase: pack took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();

        Map<String, byte[]> expectedByName = new HashMap<>();
        int packed = checkMaster(media, MEDIA_DB, expectedByName);
        packed += checkMaster(docs, DOCS_DB, expectedByName);
        assertThat(packed).isGreaterThan(130);

        System.err.printf(
                "PackerITCase: master checks took %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        // every object: each DES name exactly once across the archive, bytes as the originals
        Map<String, Integer> seen = new HashMap<>();
        List<String> keys = archiveKeys();
        assertThat(keys).hasSizeGreaterThan(4);
        for (String key : keys) {
            try (DesReader reader = open(key)) {
                assertThat(reader.verify().entries()).as(key).isPositive();
                for (DesEntry e : reader.list()) {
                    seen.merge(e.name(), 1, Integer::sum);
                    assertThat(reader.read(e.name()).orElseThrow())
                            .as(e.name())
                            .isEqualTo(expectedByName.get(e.name()));
                }
            }
        }
        assertThat(seen.keySet()).isEqualTo(expectedByName.keySet());
        assertThat(seen.values()).allMatch(n -> n == 1);

        // des.files: raw ranges of the objects are the bodies
        try (Connection des = DES_DB.connect();
                Statement st = des.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT f.name, f.object_key, f.\"offset\", f.length, s.size"
                                        + " FROM des.files f JOIN des.shards s USING (object_key)")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                byte[] expected = expectedByName.get(rs.getString(1));
                assertThat(rs.getLong(4)).isEqualTo(expected.length);
                if (expected.length > 0) {
                    long off = rs.getLong(3);
                    String objectKey = rs.getString(2);
                    byte[] got =
                            ARCHIVE_BUCKET
                                    .client()
                                    .getObjectAsBytes(
                                            b ->
                                                    b.bucket(ARCHIVE_BUCKET.bucket())
                                                            .key(objectKey)
                                                            .range(
                                                                    "bytes="
                                                                            + off
                                                                            + "-"
                                                                            + (off
                                                                                    + expected.length
                                                                                    - 1)))
                                    .asByteArray();
                    assertThat(got).isEqualTo(expected);
                }
            }
            assertThat(rows).isEqualTo(expectedByName.size());
        }
        assertThat(DES_DB.queryLong("SELECT count(*) FROM des.failed_files")).isEqualTo(6);
        assertThat(DES_DB.queryLong("SELECT count(DISTINCT source) FROM des.shards")).isEqualTo(2);

        // a second run finds nothing eligible and changes nothing; gc finds no orphan
        long shards = DES_DB.queryLong("SELECT count(*) FROM des.shards");
        assertThat(new CommandLine(new PackCommand()).execute(args)).isZero();
        assertThat(DES_DB.queryLong("SELECT count(*) FROM des.shards")).isEqualTo(shards);
        assertThat(archiveKeys()).isEqualTo(keys);
        String gc = gc(yaml, "--dry-run", "--min-age", "0s");
        assertThat(gc).contains(shards + " referenced shard objects, 0 unreferenced");
    }

    private int checkMaster(
            MasterFiles master, PostgresDatabase db, Map<String, byte[]> expectedByName)
            throws Exception {
        MasterFiles.Contract c = master.contract;
        int packed = 0;
        try (Connection conn = db.connect()) {
            Map<String, String[]> state = master.state(conn);
            for (MasterFiles.Row row : master.rows) {
                String[] s = state.get(row.id());
                if (!row.eligible()) {
                    assertThat(s[0]).as(row.id()).isEqualTo(c.active());
                    assertThat(s[1]).as(row.id()).isNull();
                } else if (row.expectedFailure() != null) {
                    assertThat(s[0]).as(row.id()).isEqualTo(c.failed());
                    if (c.reason() != null) {
                        assertThat(s[4]).as(row.id()).contains(row.expectedFailure());
                    }
                    assertThat(
                                    DES_DB.queryLong(
                                            "SELECT count(*) FROM des.failed_files WHERE"
                                                    + " file_id = '"
                                                    + row.id()
                                                    + "'"))
                            .isEqualTo(1);
                } else {
                    assertThat(s[0]).as(row.id() + " " + row.path()).isEqualTo(c.packed());
                    String name = s[1];
                    assertThat(s[2]).startsWith(archive() + "/des/");
                    String key = s[2].substring((archive() + "/").length());
                    assertThat(Integer.parseInt(s[3]))
                            .isEqualTo(
                                    new io.datafabric.des.naming.ShardNamer(3, "").shardOf(name));
                    try (DesReader reader = open(key)) {
                        assertThat(reader.read(name).orElseThrow()).isEqualTo(row.bytes());
                    }
                    expectedByName.put(name, row.bytes());
                    packed++;
                }
            }
        }
        return packed;
    }

    private List<String> archiveKeys() {
        List<String> keys = new ArrayList<>();
        for (var o :
                ARCHIVE_BUCKET
                        .client()
                        .listObjectsV2Paginator(b -> b.bucket(ARCHIVE_BUCKET.bucket()))
                        .contents()) {
            if (o.key().endsWith(".des")) {
                keys.add(o.key());
            }
        }
        return keys;
    }

    static String gc(Path yaml, String... extra) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new ArrayList<>(List.of("--config", yaml.toString()));
            args.addAll(List.of(extra));
            assertThat(new CommandLine(new DesGcCommand()).execute(args.toArray(String[]::new)))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private String packerYaml(Path docsRoot) {
        return """
                des:
                  jdbc: {url: "%s", user: "%s"}
                archive:
                  uri: "%s"
                  prefix: des
                packer:
                  node-id: 100
                  shard-bits: 3
                  target-size: 1m
                  max-files: 40
                  max-wait: 10m
                  batch-size: 25
                  older-than: 30d
                  parallelism: 2
                  marker-parallelism: 2
                sources:
                  media:
                    jdbc: {url: "%s", user: "%s"}
                    table: media_files
                    older-than: 7d
                    columns: {id: file_id, path: uri, size: bytes, timestamp: created,
                              status: state, des-name: des, shard: shard_no,
                              location: location, reason: why}
                    status: {active: A, marked: M, packed: P, failed: F}
                    eligible: '{"not": {"column": "kind", "op": "=", "value": "temp"}}'
                    storage:
                      root: "s3://%s/in/"
                      s3: {endpoint: "%s", access-key: "%s", path-style: true}
                  docs:
                    jdbc: {url: "%s", user: "%s"}
                    table: catalog.documents
                    storage: {root: "file://%s"}
                """
                .formatted(
                        DES_DB.jdbcUrl(),
                        DES_DB.user(),
                        archive(),
                        MEDIA_DB.jdbcUrl(),
                        MEDIA_DB.user(),
                        SOURCE_BUCKET.bucket(),
                        SOURCE_BUCKET.endpoint(),
                        SOURCE_BUCKET.accessKey(),
                        DOCS_DB.jdbcUrl(),
                        DOCS_DB.user(),
                        docsRoot.toAbsolutePath());
    }
}
