package io.datafabric.usage.bench;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.usage.UsagePipeline;
import io.datafabric.usage.config.UsageConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The project, end to end: a bounded run of the usage pipeline into PostgreSQL. */
public final class ProjectRun {
    private ProjectRun() {}

    /** Args: input dir, jdbc url, user, threads, checkpoint dir, checkpoint interval. */
    public static void main(String[] args) throws Exception {
        String input = args[0];
        JdbcSettings jdbc = new JdbcSettings(args[1], args[2], "");
        int threads = Integer.parseInt(args[3]);
        Migrations.apply(jdbc, "usage");
        try (Connection c = jdbc.connect();
                Statement st = c.createStatement()) {
            st.execute(
                    "TRUNCATE usage.totals, usage.by_period, usage.files, usage.file_splits,"
                            + " usage.rejects, usage.commits, usage.input_leases, usage.notified_files");
        }
        UsageConfig config =
                UsageConfig.from(
                        Settings.of(
                                Map.of(
                                        "usage.input",
                                        input,
                                        "jdbc.url",
                                        jdbc.url(),
                                        "jdbc.user",
                                        jdbc.user(),
                                        "usage.parallelism",
                                        Integer.toString(threads),
                                        "usage.bounded",
                                        "true",
                                        "usage.checkpoint-dir",
                                        args[4],
                                        "usage.checkpoint-interval",
                                        args[5])),
                        Map.of());
        Configuration flink = new Configuration();
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(threads, flink);
        try (Measured m = new Measured()) {
            new UsagePipeline(config).build(env);
            long netMillis = env.execute("usage-bench").getNetRuntime();
            try (Connection c = jdbc.connect();
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT count(*), sum(total) FROM usage.totals")) {
                rs.next();
                m.report(rs.getLong(1), rs.getString(2), netMillis / 1000.0);
            }
        }
    }
}
