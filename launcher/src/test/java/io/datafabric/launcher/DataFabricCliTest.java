package io.datafabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DataFabricCliTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = DataFabricCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryRegisteredCommand() {
        Run run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: datafabric", "--web-port");
        for (String name : DataFabricCli.commandNames()) {
            assertThat(run.out()).contains(name);
        }
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        for (String name : DataFabricCli.commandNames()) {
            Run run = run(name, "--help");
            assertThat(run.exit()).as(name).isZero();
            assertThat(run.out()).as(name).contains("Usage: datafabric " + name);
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run run = run("no-such-command");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no-such-command");
    }

    @Test
    void missingCommandIsAUsageError() {
        Run run = run();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("missing command");
    }

    @Test
    void invalidWebPortIsRejected() {
        Run run = run("--web-port", "70000", "check-services", "--help");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--web-port must be between 0 and 65535");
    }

    @Test
    void checkServicesReportsADownServiceAndFails() {
        // Port 1 is privileged and unused here: nothing listens there.
        Run run = run("check-services", "--postgres-port", "1");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("PostgreSQL", "DOWN");
        assertThat(run.err()).contains("scripts/services");
    }
}
