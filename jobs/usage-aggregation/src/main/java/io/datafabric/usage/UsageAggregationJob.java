package io.datafabric.usage;

import picocli.CommandLine;

/**
 * Entry point for {@code flink run} with the shaded jar: the same options as the {@code usage}
 * command of {@code bin/datafabric}.
 */
public final class UsageAggregationJob {
    private UsageAggregationJob() {}

    public static void main(String[] args) {
        int code = new CommandLine(new UsageCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
