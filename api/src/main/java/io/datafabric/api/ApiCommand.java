package io.datafabric.api;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code datafabric api}: runs the side service until stopped. */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description =
                "Runs the DataFabric api service (files, usage, catalog, users; health and metrics) until"
                        + " stopped.")
public final class ApiCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML configuration file.")
    Path config;

    @Option(names = "--host", description = "Address to listen on (api.host, default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port to listen on (api.port, default 8080).")
    Integer port;

    @Option(names = "--jdbc-url", description = "PostgreSQL JDBC url (jdbc.url).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "Database user (jdbc.user).")
    String jdbcUser;

    @Option(names = "--set", description = "Sets any configuration key: --set key=value.")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        ApiConfig cfg;
        try {
            cfg =
                    ApiConfig.from(
                            new ConfigLoader()
                                    .yamlFile(config)
                                    .environment(System.getenv())
                                    .set("api.host", host, "--host")
                                    .set(
                                            "api.port",
                                            port == null ? null : port.toString(),
                                            "--port")
                                    .set("jdbc.url", jdbcUrl, "--jdbc-url")
                                    .set("jdbc.user", jdbcUser, "--jdbc-user")
                                    .overrides(sets)
                                    .load(),
                            System.getenv());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        ApiServer.migrate(cfg);
        ApiServer server = new ApiServer(cfg).start();
        spec.commandLine()
                .getOut()
                .printf(
                        "api listening on %s://%s:%d%n",
                        cfg.tls().isPresent() ? "https" : "http", cfg.host(), server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        stopped.await();
        return 0;
    }
}
