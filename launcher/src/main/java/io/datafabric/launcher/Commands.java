package io.datafabric.launcher;

import io.datafabric.api.ApiCommand;
import java.util.List;

/** The commands registered in the launcher, one per job or tool. */
final class Commands {
    private Commands() {}

    static List<Object> all() {
        return List.of(new ApiCommand(), new ServicesCheckCommand());
    }
}
