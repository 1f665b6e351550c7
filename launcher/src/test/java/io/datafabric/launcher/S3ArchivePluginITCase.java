package io.datafabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code datafabric des gc --dry-run} on an {@code s3://} archive (S3Proxy), through the launcher's
 * command line: the launcher has no S3 filesystem on its classpath, so the listing can only work
 * through flink-s3-fs-hadoop loaded as a Flink plugin from {@code launcher/target/plugins} ({@code
 * FLINK_PLUGINS_DIR}, set for this test by the build as bin/datafabric sets it).
 */
class S3ArchivePluginITCase {
    @RegisterExtension static final PostgresDatabase DES = new PostgresDatabase();
    @RegisterExtension static final S3ProxyServer ARCHIVE = new S3ProxyServer();

    @Test
    void desGcListsAnS3ArchiveThroughThePlugin() throws Exception {
        assertThat(System.getenv("FLINK_PLUGINS_DIR"))
                .as("FLINK_PLUGINS_DIR (set by the launcher's failsafe configuration)")
                .isNotNull();
        assertThatThrownBy(() -> Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem"))
                .as("the S3 filesystem must not be on the launcher's classpath")
                .isInstanceOf(ClassNotFoundException.class);
        String orphan = "des/m/shard-00000/000000000000.des";
        ARCHIVE.client()
                .putObject(
                        b -> b.bucket(ARCHIVE.bucket()).key(orphan),
                        RequestBody.fromString("not referenced by any des.shards row"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit =
                    DataFabricCli.commandLine()
                            .execute(
                                    "des",
                                    "gc",
                                    "--dry-run",
                                    "--min-age",
                                    "0s",
                                    "--jdbc-url",
                                    DES.jdbcUrl(),
                                    "--jdbc-user",
                                    DES.user(),
                                    "--archive",
                                    "s3://" + ARCHIVE.bucket(),
                                    "--set",
                                    "flink.s3.endpoint=" + ARCHIVE.endpoint(),
                                    "--set",
                                    "flink.s3.path.style.access=true",
                                    "--set",
                                    "flink.s3.access-key=" + ARCHIVE.accessKey(),
                                    "--set",
                                    "flink.s3.secret-key=" + ARCHIVE.secretKey());
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("orphan " + orphan)
                .contains("0 referenced shard objects, 1 unreferenced (dry run");
        // a dry run removes nothing
        assertThat(
                        ARCHIVE.client()
                                .headObject(b -> b.bucket(ARCHIVE.bucket()).key(orphan))
                                .contentLength())
                .isEqualTo("not referenced by any des.shards row".length());
    }
}
