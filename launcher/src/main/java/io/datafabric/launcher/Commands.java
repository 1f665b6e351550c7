package io.datafabric.launcher;

import io.datafabric.api.ApiCommand;
import io.datafabric.des.cli.DesCommand;
import io.datafabric.launcher.demo.DemoCommand;
import io.datafabric.replication.DrmsCommand;
import io.datafabric.replication.ReplicateCommand;
import io.datafabric.usage.GenerateUsageCommand;
import io.datafabric.usage.UsageCommand;
import java.util.List;

/** The commands registered in the launcher, one per job or tool. */
final class Commands {
    private Commands() {}

    static List<Object> all() {
        return List.of(
                new UsageCommand(),
                new GenerateUsageCommand(),
                new ReplicateCommand(),
                new DrmsCommand(),
                new DesCommand(),
                new ApiCommand(),
                new ServicesCheckCommand(),
                new DemoCommand());
    }
}
