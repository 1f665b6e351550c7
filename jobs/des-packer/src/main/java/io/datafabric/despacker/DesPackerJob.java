package io.datafabric.despacker;

import picocli.CommandLine;

/** Entry point of the job jar ({@code flink run ... --config packer.yaml}). */
public final class DesPackerJob {
    private DesPackerJob() {}

    public static void main(String[] args) {
        int code = new CommandLine(new PackCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
