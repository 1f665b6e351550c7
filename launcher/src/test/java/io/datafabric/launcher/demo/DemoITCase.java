package io.datafabric.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.launcher.DataFabricCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/demo --check} from a clean directory: embedded PostgreSQL, one local cluster,
 * every part started through its own command, and each part's result verified against what the demo
 * fed in (the generator's exact totals, the slice's rows).
 */
class DemoITCase {

    @Test
    void demoStartsEveryPartAndItsResultsAreRight(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = DataFabricCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int code =
                cli.execute(
                        "demo",
                        "--check",
                        "--dir",
                        dir.resolve("demo").toString(),
                        "--web-port",
                        "0",
                        "--api-port",
                        Integer.toString(freePort()),
                        "--check-timeout",
                        "180");

        assertThat(out.toString())
                .contains("embedded PostgreSQL")
                .contains("ok     usage totals equal the generator's")
                .contains("ok     replication copy equals the slice")
                .contains("demo check: all parts verified");
        assertThat(code).isZero();
        assertThat(dir.resolve("demo").resolve(DemoDirectory.MARKER)).exists();
    }

    @Test
    void refusesToEmptyADirectoryItDidNotMake(@TempDir Path dir) throws Exception {
        Path precious = dir.resolve("precious.txt");
        Files.writeString(precious, "keep me");
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = DataFabricCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("demo", "--check", "--dir", dir.toString(), "--web-port", "0");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("was not made by the demo");
        assertThat(precious).hasContent("keep me");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
