package io.datafabric.replication;

import picocli.CommandLine;

/**
 * {@code flink run} entry point, with the options of {@code replicate}. It does not call {@code
 * System.exit}: inside a Flink cluster that would end the JobManager process; a failure is thrown
 * instead.
 */
public final class ReplicationJob {
    private ReplicationJob() {}

    public static void main(String[] args) {
        ReplicateCommand command = new ReplicateCommand();
        int code = new CommandLine(command).execute(args);
        if (code != 0) {
            // The cause travels with the exception, so the JobManager's log and the client show it.
            throw new IllegalStateException(
                    "replicate ended with exit code " + code, command.failure());
        }
    }
}
