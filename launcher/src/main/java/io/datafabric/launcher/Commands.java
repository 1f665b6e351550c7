package io.datafabric.launcher;

import io.datafabric.api.ApiCommand;
import io.datafabric.des.cli.DesCommand;
import io.datafabric.despacker.PackCommand;
import io.datafabric.despacker.gc.DesGcCommand;
import io.datafabric.launcher.demo.DemoCommand;
import io.datafabric.replication.DrmsCommand;
import io.datafabric.replication.ReplicateCommand;
import io.datafabric.usage.GenerateUsageCommand;
import io.datafabric.usage.UsageCommand;
import java.util.List;
import picocli.CommandLine;

/** The commands registered in the launcher, one per job or tool. */
final class Commands {
    private Commands() {}

    static List<Object> all() {
        return List.of(
                new UsageCommand(),
                new GenerateUsageCommand(),
                new ReplicateCommand(),
                new DrmsCommand(),
                // des-format's command plus the packer's gc, which needs the DES database
                new CommandLine(new DesCommand()).addSubcommand("gc", new DesGcCommand()),
                new PackCommand(),
                new ApiCommand(),
                new ServicesCheckCommand(),
                new DemoCommand(DataFabricCli::commandLine));
    }
}
