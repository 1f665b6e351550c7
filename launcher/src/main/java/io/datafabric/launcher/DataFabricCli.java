package io.datafabric.launcher;

import io.datafabric.common.flink.FlinkEnvironments;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/datafabric}: runs any DataFabric job on a local embedded Flink MiniCluster (with the
 * Flink web dashboard) and the suite's tools, one subcommand each.
 */
@Command(
        name = "datafabric",
        mixinStandardHelpOptions = true,
        versionProvider = DataFabricCli.Version.class,
        description = {
            "Runs DataFabric jobs on a local embedded Flink MiniCluster, with the Flink web"
                    + " dashboard on http://localhost:<web-port>, and the suite's tools.",
            "On a Flink cluster, submit the job jars (jobs/*/target/*-flink-job.jar) with `flink"
                    + " run` or the Kubernetes operator instead."
        },
        footer = {
            "",
            "Run `datafabric <command> --help` for a command's options.",
            "Configuration: --config <yaml>, DF_* environment variables, --set key=value"
                    + " (later wins). See README.md."
        })
public final class DataFabricCli implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--web-port",
            defaultValue = "8081",
            description =
                    "Port of the local Flink web dashboard (default: ${DEFAULT-VALUE}; 0 picks a"
                            + " free port).",
            scope = CommandLine.ScopeType.INHERIT)
    void setWebPort(int port) {
        if (port < 0 || port > 65535) {
            throw new ParameterException(
                    spec.commandLine(), "--web-port must be between 0 and 65535, was " + port);
        }
        System.setProperty(FlinkEnvironments.LOCAL_WEB_PORT_PROPERTY, Integer.toString(port));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    /** The command line with every registered command, ready to execute. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DataFabricCli());
        for (Object command : Commands.all()) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    err.println(
                            "datafabric " + commandLine.getCommandName() + ": " + ex.getMessage());
                    if (System.getenv("DF_DEBUG") != null) {
                        ex.printStackTrace(err);
                    } else {
                        err.println("(set DF_DEBUG=1 for the stack trace)");
                    }
                    return 1;
                });
        return cli;
    }

    public static void main(String[] args) {
        System.setProperty(FlinkEnvironments.LOCAL_WEB_PORT_PROPERTY, "8081");
        int exit = commandLine().execute(args);
        System.exit(exit);
    }

    /** The project version, from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DataFabricCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "DataFabric " + (v == null ? "(development build)" : v),
                "Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                "Java " + System.getProperty("java.version")
            };
        }
    }

    /** For tests: the names of the registered commands. */
    static List<String> commandNames() {
        return List.copyOf(commandLine().getSubcommands().keySet());
    }
}
