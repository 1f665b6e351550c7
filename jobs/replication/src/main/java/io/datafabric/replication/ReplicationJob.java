package io.datafabric.replication;

import picocli.CommandLine;

/** {@code flink run} entry point: the same options as {@code replicate}. */
public final class ReplicationJob {
    private ReplicationJob() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicateCommand()).execute(args));
    }
}
