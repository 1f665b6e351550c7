package io.datafabric.des.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.format.DesFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code des} in-process with captured stdout/stderr. */
class DesCommandTest {
    @TempDir Path temp;
    Path input;

    /** What one run printed and returned. */
    record Run(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    static Run des(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new DesCommand(stdout));
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(stderr, true));
        int code = cli.execute(args);
        return new Run(code, stdout.toByteArray(), stderr.toString());
    }

    @BeforeEach
    void makeInput() throws IOException {
        input = Files.createDirectory(temp.resolve("input"));
        Files.writeString(input.resolve("readme.txt"), "read me\n");
        Files.write(input.resolve("empty"), new byte[0]);
        Files.createDirectories(input.resolve("sub/deeper"));
        byte[] binary = new byte[70_000];
        new Random(3).nextBytes(binary);
        Files.write(input.resolve("sub/deeper/data.bin"), binary);
        Files.writeString(input.resolve("sub/ünïcødé.txt"), "ünïcødé\n");
        Files.write(input.resolve("sub/large.bin"), new byte[3000]);
    }

    @Test
    void packListCatVerifyRoundTripsADirectoryByteForByte() throws IOException {
        Path shard = temp.resolve("out/shard.des");
        Run pack =
                des("pack-dir", input.toString(), shard.toString(), "--big-file-threshold", "2k");
        assertThat(pack.exitCode()).as(pack.stderr()).isZero();
        assertThat(pack.stderr()).contains("packed 5 files");
        assertThat(temp.resolve("out/_bigFiles/sub/large.bin")).exists();

        Run ls = des("ls", shard.toString());
        assertThat(ls.exitCode()).isZero();
        assertThat(ls.out())
                .isEqualTo(
                        "empty\t0\n"
                                + "readme.txt\t8\n"
                                + "sub/deeper/data.bin\t70000\n"
                                + "sub/large.bin\t3000\n"
                                + "sub/ünïcødé.txt\t"
                                + "ünïcødé\n".getBytes(StandardCharsets.UTF_8).length
                                + "\n");

        for (String line : ls.out().split("\n")) {
            String name = line.split("\t")[0];
            Run cat = des("cat", shard.toString(), name);
            assertThat(cat.exitCode()).as(cat.stderr()).isZero();
            assertThat(cat.stdout()).as(name).isEqualTo(Files.readAllBytes(input.resolve(name)));
        }

        Run verify = des("verify", shard.toString());
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out())
                .startsWith("OK ")
                .contains("5 files")
                .contains("2 big files (73000 bytes)");
    }

    @Test
    void packingIsDeterministic() throws IOException {
        Path first = temp.resolve("a.des");
        Path second = temp.resolve("b.des");
        assertThat(des("pack-dir", input.toString(), first.toString()).exitCode()).isZero();
        assertThat(des("pack-dir", input.toString(), second.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    }

    @Test
    void outputInsideTheInputDirectoryIsNotPackedIntoItself() throws IOException {
        Path shard = input.resolve("self.des");
        assertThat(des("pack-dir", input.toString(), shard.toString()).exitCode()).isZero();
        assertThat(des("ls", shard.toString()).out()).doesNotContain("self.des");
    }

    @Test
    void verifyFailsWithTheReasonOnStderr() throws IOException {
        Path shard = temp.resolve("s.des");
        des("pack-dir", input.toString(), shard.toString());
        byte[] bytes = Files.readAllBytes(shard);
        bytes[DesFormat.HEADER_LENGTH + 2] ^= 1;
        Files.write(shard, bytes);
        Run verify = des("verify", shard.toString());
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stderr()).contains("FAILED").contains("fails its checksum");
        assertThat(verify.stderr()).doesNotContain("\tat ");
        assertThat(verify.stdout()).isEmpty();

        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        Run truncated = des("verify", shard.toString());
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.stderr()).contains("wrong magic");
    }

    @Test
    void failuresExitOneWithoutStackTraces() throws IOException {
        Path shard = temp.resolve("s.des");
        des("pack-dir", input.toString(), shard.toString());

        Run missingName = des("cat", shard.toString(), "nope.txt");
        assertThat(missingName.exitCode()).isEqualTo(1);
        assertThat(missingName.stderr()).contains("no file named 'nope.txt'");

        Run missingShard = des("ls", temp.resolve("missing.des").toString());
        assertThat(missingShard.exitCode()).isEqualTo(1);
        assertThat(missingShard.stderr()).contains("no such file").contains("missing.des");

        Run notADir = des("pack-dir", temp.resolve("nowhere").toString(), shard.toString());
        assertThat(notADir.exitCode()).isEqualTo(1);
        assertThat(notADir.stderr()).contains("not a directory");

        Files.writeString(
                temp.resolve("plain.txt"),
                "not a shard at all, but long enough to have a tail of ninety six bytes or more, yes"
                        .repeat(2));
        Run notAShard = des("ls", temp.resolve("plain.txt").toString());
        assertThat(notAShard.exitCode()).isEqualTo(1);
        assertThat(notAShard.stderr()).contains("not a DES object");

        for (Run run : new Run[] {missingName, missingShard, notADir, notAShard}) {
            assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(des().exitCode()).isEqualTo(2);
        assertThat(des("frobnicate").exitCode()).isEqualTo(2);
        assertThat(des("ls").exitCode()).isEqualTo(2);
        assertThat(des("cat", "only-one-arg").exitCode()).isEqualTo(2);
        Run badSize = des("pack-dir", "a", "b", "--big-file-threshold", "lots");
        assertThat(badSize.exitCode()).isEqualTo(2);
        assertThat(badSize.stderr()).contains("not a size");
        assertThat(des("ls", "s3://bucket-without-key").exitCode()).isEqualTo(1);
    }

    @Test
    void helpWorks() {
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DesCommand(ignored));
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString())
                .contains("pack-dir")
                .contains("ls")
                .contains("cat")
                .contains("verify");
        assertThat(cli.getCommandName()).isEqualTo("des");
    }
}
