package io.datafabric.despacker.gc;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.despacker.metadata.DesMetadata;
import io.datafabric.despacker.pack.PluginFileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code des gc [--dry-run]}: lists and removes archive objects that no DES metadata references.
 * Registered under the {@code des} command by the launcher, so des-format stays free of JDBC.
 */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description =
                "Lists and removes shard objects under the archive prefix that no des.shards row"
                        + " references (e.g. uploaded just before a crash), and stale in-progress"
                        + " uploads. Reads des.jdbc.*, archive.uri and archive.prefix from the"
                        + " packer's configuration.")
public final class DesGcCommand implements Callable<Integer> {

    @Option(names = "--config", description = "The packer's YAML configuration (packer.yaml).")
    Path config;

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Option(
            names = "--min-age",
            description = "Keep unreferenced objects younger than this (default ${DEFAULT-VALUE}).",
            defaultValue = "1h")
    String minAge;

    @Option(names = "--jdbc-url", description = "DES database JDBC URL (des.jdbc.url).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "DES database user (des.jdbc.user).")
    String jdbcUser;

    @Option(names = "--archive", description = "Archive root URI (archive.uri).")
    String archive;

    @Option(names = "--set", description = "Override one configuration key (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Settings s;
        JdbcSettings jdbc;
        String root;
        String prefix;
        Duration age;
        try {
            s =
                    new ConfigLoader()
                            .yamlFile(config)
                            .environment(System.getenv())
                            .overrides(sets)
                            .set("des.jdbc.url", jdbcUrl, "--jdbc-url")
                            .set("des.jdbc.user", jdbcUser, "--jdbc-user")
                            .set("archive.uri", archive, "--archive")
                            .set("gc.min-age", minAge, "--min-age")
                            .load();
            jdbc = JdbcSettings.from(s, "des.jdbc", System.getenv());
            root = s.required("archive.uri");
            prefix = s.string("archive.prefix", "des");
            age = s.duration("gc.min-age", Duration.ofHours(1));
            s.validate();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        PluginFileSystems.initialize(s);
        Migrations.apply(jdbc, "des");
        try (DesMetadata des = new DesMetadata(jdbc)) {
            ArchiveGc.Report report = new ArchiveGc(root, prefix, des).run(dryRun, age);
            for (ArchiveGc.Orphan o : report.orphans()) {
                System.out.println(
                        (dryRun ? "orphan " : "removed ")
                                + o.key()
                                + "\t"
                                + o.size()
                                + (o.inProgress() ? "\t(in-progress upload)" : ""));
            }
            System.out.printf(
                    "%d referenced shard objects, %d unreferenced%s, %d younger than %s kept%n",
                    report.referenced(),
                    report.orphans().size(),
                    dryRun ? " (dry run: nothing removed)" : ", " + report.removed() + " removed",
                    report.young(),
                    age);
            return 0;
        }
    }
}
