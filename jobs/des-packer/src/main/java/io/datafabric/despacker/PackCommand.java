package io.datafabric.despacker;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import io.datafabric.common.flink.FlinkEnvironments;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.config.SourceConfig;
import io.datafabric.despacker.master.MasterTable;
import io.datafabric.despacker.pack.PluginFileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pack}: runs the DES packer job (marker + packer). */
@Command(
        name = "pack",
        mixinStandardHelpOptions = true,
        description =
                "Marks old files in the master systems' tables and packs them into DES shard"
                        + " objects, recording where each file now lives, exactly once.")
public final class PackCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(PackCommand.class);

    @Option(names = "--config", description = "YAML configuration file (packer.yaml).")
    Path config;

    @Option(
            names = "--bounded",
            description =
                    "Mark and pack everything eligible at start, close all open shards, commit"
                            + " and exit 0.")
    boolean bounded;

    @Option(
            names = "--set",
            description = "Override one configuration key: --set key=value (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() {
        Settings settings;
        PackerConfig packer;
        try {
            settings =
                    new ConfigLoader()
                            .yamlFile(config)
                            .environment(System.getenv())
                            .overrides(sets)
                            .set(PackerConfig.BOUNDED, bounded ? "true" : null, "--bounded")
                            .load();
            packer = PackerConfig.from(settings, System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            PluginFileSystems.initialize(settings);
            Migrations.apply(packer.desJdbc(), "des");
            List<String> problems = new ArrayList<>();
            for (SourceConfig s : packer.sources()) {
                try (MasterTable master = new MasterTable(s)) {
                    master.check();
                } catch (Exception e) {
                    problems.add("sources." + s.name() + ": " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                System.err.println(String.join("\n", problems));
                return 2;
            }
            StreamExecutionEnvironment env = FlinkEnvironments.create(settings);
            if (!packer.bounded()) {
                String dir = packer.checkpointDir();
                if (dir == null
                        && env.getConfiguration()
                                .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                                .isEmpty()) {
                    dir =
                            Path.of(
                                            System.getProperty("java.io.tmpdir"),
                                            "datafabric-packer-checkpoints")
                                    .toUri()
                                    .toString();
                    System.err.println("no checkpoint directory configured; using " + dir);
                }
                if (dir != null) {
                    env.getCheckpointConfig().setCheckpointStorage(dir);
                }
            }
            new PackerPipeline(packer).build(env);
            env.execute("des-packer");
            return 0;
        } catch (Exception e) {
            LOG.error("des-packer failed", e);
            System.err.println("des-packer failed: " + e.getMessage());
            return 1;
        }
    }
}
