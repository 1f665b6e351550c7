package io.datafabric.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The DataFabric side service. This first version serves its operational endpoints:
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process serves requests;
 *   <li>{@code GET /health/ready}: 200 when its database answers, 503 with the reason otherwise;
 *   <li>{@code GET /metrics}: Prometheus text format (JVM, HTTP, connection pool).
 * </ul>
 */
public final class ApiServer implements AutoCloseable {
    private final ApiConfig config;
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HikariDataSource dataSource;
    private final Javalin app;

    public ApiServer(ApiConfig config) {
        this.config = config;
        this.dataSource = new HikariDataSource(poolConfig(config));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        this.app =
                Javalin.create(
                        cfg -> {
                            cfg.showJavalinBanner = false;
                            cfg.http.defaultContentType = "application/json";
                        });
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        app.get("/health/ready", this::ready);
        app.get(
                "/metrics",
                ctx ->
                        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(registry.scrape()));
        app.before(ctx -> ctx.attribute("started", System.nanoTime()));
        app.after(
                ctx -> {
                    Long started = ctx.attribute("started");
                    if (started != null) {
                        Timer.builder("datafabric.api.requests")
                                .tag("route", ctx.endpointHandlerPath())
                                .tag("status", Integer.toString(ctx.statusCode()))
                                .register(registry)
                                .record(
                                        System.nanoTime() - started,
                                        java.util.concurrent.TimeUnit.NANOSECONDS);
                    }
                });
        app.exception(
                Exception.class,
                (e, ctx) ->
                        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                                .json(Map.of("error", "internal error")));
    }

    private static HikariConfig poolConfig(ApiConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbc().url());
        hikari.setUsername(config.jdbc().user());
        hikari.setPassword(config.jdbc().password());
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setPoolName("api");
        // Start even when the database is down: readiness reports it instead of a crash loop.
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(2_000);
        return hikari;
    }

    private void ready(Context ctx) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                ctx.json(Map.of("status", "ready"));
                return;
            }
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", "not ready", "reason", "database connection invalid"));
        } catch (SQLException e) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .json(
                            Map.of(
                                    "status",
                                    "not ready",
                                    "reason",
                                    "database unreachable: " + e.getMessage()));
        }
    }

    public ApiServer start() {
        app.start(config.host(), config.port());
        return this;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        app.stop();
        dataSource.close();
    }
}
