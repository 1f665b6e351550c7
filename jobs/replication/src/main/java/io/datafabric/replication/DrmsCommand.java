package io.datafabric.replication;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.GraphVersion;
import io.datafabric.drms.control.JdbcSchemaLookup;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.drms.graph.GraphProblem;
import io.datafabric.drms.graph.GraphValidator;
import io.datafabric.drms.graph.SchemaLookup;
import io.datafabric.replication.config.ReplicationSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The replication graph as code: {@code drms validate|apply|history|rollback}. Every apply is a
 * numbered version in the control plane; an invalid file changes nothing.
 */
@Command(
        name = "drms",
        mixinStandardHelpOptions = true,
        description = "Validates and applies the replication graph, lists and rolls back versions.",
        subcommands = {
            DrmsCommand.Validate.class,
            DrmsCommand.Apply.class,
            DrmsCommand.History.class,
            DrmsCommand.Rollback.class
        })
public final class DrmsCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DrmsCommand()).execute(args));
    }

    /** Shared by the subcommands that check a file. */
    abstract static class GraphCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--offline",
                description =
                        "Do not connect to the graph's databases: check the file's structure only"
                                + " (no column or type checks)")
        boolean offline;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** The problems of a file, printed one per line with their YAML paths. */
        List<GraphProblem> check(String text) {
            GraphParser.Result parsed = GraphParser.parse(text);
            SchemaLookup lookup = offline ? null : new JdbcSchemaLookup(System.getenv());
            List<GraphProblem> problems = GraphValidator.validate(parsed, lookup);
            if (!problems.isEmpty()) {
                err().println(
                                "invalid graph ("
                                        + problems.size()
                                        + (problems.size() == 1 ? " problem):" : " problems):"));
                for (GraphProblem p : problems) {
                    err().println("  " + p.path() + ": " + p.message());
                }
            }
            return problems;
        }

        static String read(Path file) throws IOException {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    /** Needs the control plane too. */
    abstract static class ControlCommand extends GraphCommand {
        @Mixin ControlPlaneOptions control;

        @Option(
                names = "--user",
                description = "Who applies (recorded with the version); default: $USER")
        String user;

        ControlPlane controlPlane() {
            Settings settings = control.load();
            JdbcSettings jdbc =
                    JdbcSettings.from(settings, ReplicationSettings.CONTROL_JDBC, System.getenv());
            settings.validate();
            ControlPlane plane = new ControlPlane(jdbc);
            plane.migrate();
            return plane;
        }

        String who() {
            if (user != null && !user.isBlank()) {
                return user;
            }
            return Optional.ofNullable(System.getenv("USER"))
                    .filter(u -> !u.isBlank())
                    .orElse("unknown");
        }

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (ConfigException e) {
                err().println(e.getMessage());
                return BAD_INPUT;
            } catch (IOException e) {
                err().println("cannot read the graph file: " + e.getMessage());
                return BAD_INPUT;
            } catch (SQLException | RuntimeException e) {
                err().println("failed: " + e.getMessage());
                return FAILED;
            }
        }

        abstract int run() throws IOException, SQLException;

        int applyText(String text, Long rollbackOf) throws SQLException {
            if (!check(text).isEmpty()) {
                err().println("nothing was applied");
                return BAD_INPUT;
            }
            DatasetGraph graph = GraphParser.parse(text).graph();
            GraphVersion v = controlPlane().versions().apply(text, graph, who(), rollbackOf);
            out().println(
                            "applied version "
                                    + v.version()
                                    + (rollbackOf == null
                                            ? ""
                                            : " (rollback to version " + rollbackOf + ")")
                                    + " by "
                                    + v.appliedBy());
            out().println(v.diff());
            return OK;
        }
    }

    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = "Checks a graph file and prints every problem with its YAML path.")
    static final class Validate extends GraphCommand {
        @Parameters(index = "0", description = "The graph file (YAML)")
        Path file;

        @Override
        public Integer call() {
            try {
                List<GraphProblem> problems = check(read(file));
                if (problems.isEmpty()) {
                    out().println(file + ": valid");
                    return OK;
                }
                return BAD_INPUT;
            } catch (IOException e) {
                err().println("cannot read the graph file: " + e.getMessage());
                return BAD_INPUT;
            }
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Validates a graph file and makes it the current graph as a new version; an"
                            + " invalid file changes nothing.")
    static final class Apply extends ControlCommand {
        @Parameters(index = "0", description = "The graph file (YAML)")
        Path file;

        @Override
        int run() throws IOException, SQLException {
            return applyText(read(file), null);
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Lists the applied versions, newest first: who, when, what changed.")
    static final class History extends ControlCommand {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

        @Override
        int run() throws SQLException {
            List<GraphVersion> versions = controlPlane().versions().history();
            if (versions.isEmpty()) {
                out().println("no version applied yet");
            }
            for (GraphVersion v : versions) {
                out().println(
                                "version "
                                        + v.version()
                                        + "  "
                                        + TIME.format(v.appliedAt())
                                        + "  "
                                        + v.appliedBy()
                                        + (v.rollbackOf() == null
                                                ? ""
                                                : "  (rollback to " + v.rollbackOf() + ")"));
                for (String line : v.diff().split("\n")) {
                    out().println("    " + line);
                }
            }
            return OK;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Re-applies an earlier version as a new version (validated against the"
                            + " databases as they are now).")
    static final class Rollback extends ControlCommand {
        @Parameters(index = "0", description = "The version to go back to")
        long version;

        @Override
        int run() throws SQLException {
            ControlPlane plane = controlPlane();
            Optional<GraphVersion> v = plane.versions().version(version);
            if (v.isEmpty()) {
                err().println("no version " + version + " (see drms history)");
                return BAD_INPUT;
            }
            return applyText(v.get().source(), version);
        }
    }
}
