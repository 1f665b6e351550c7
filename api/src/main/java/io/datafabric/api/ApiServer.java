package io.datafabric.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.datafabric.api.audit.AuditLog;
import io.datafabric.api.audit.AuditRoutes;
import io.datafabric.api.auth.Access;
import io.datafabric.api.auth.AuthRoutes;
import io.datafabric.api.auth.Passwords;
import io.datafabric.api.auth.Principal;
import io.datafabric.api.auth.RateLimiter;
import io.datafabric.api.auth.Tokens;
import io.datafabric.api.auth.UserStore;
import io.datafabric.api.catalog.CatalogRoutes;
import io.datafabric.api.files.ArchiveLocation;
import io.datafabric.api.files.ArchiveStore;
import io.datafabric.api.files.FileLocator;
import io.datafabric.api.files.FileRoutes;
import io.datafabric.api.files.SharedIndexCache;
import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Json;
import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import io.datafabric.api.role.Role;
import io.datafabric.api.usage.UsageRoutes;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.des.io.S3Settings;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The DataFabric side service: packed files by name, usage totals, the replication catalog, users
 * and roles, audit; plus {@code /health/live}, {@code /health/ready}, {@code /metrics} and {@code
 * /openapi.json}. Routes, roles and configuration are documented in api/README.md.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.datafabric.api.access");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ApiConfig config;
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HikariDataSource dataSource;
    private final S3Client s3;
    private final ArchiveStore archive;
    private final SharedIndexCache sharedCache;
    private final Work work;
    private final AuditLog audit;
    private final Javalin app;
    private final RouteTable routes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private boolean closed;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

    public ApiServer(ApiConfig config) {
        this.config = config;
        this.dataSource = new HikariDataSource(poolConfig(config));
        this.s3 = config.archive() instanceof ArchiveLocation.S3 ? s3Client(config) : null;
        this.archive =
                config.archive() instanceof ArchiveLocation.S3 b
                        ? new ArchiveStore.S3Store(s3, b)
                        : new ArchiveStore.LocalStore((ArchiveLocation.Local) config.archive());
        this.sharedCache =
                config.redisUrl().isEmpty()
                        ? SharedIndexCache.none()
                        : SharedIndexCache.redis(
                                config.redisUrl(), "datafabric:api:index:", config.redisTtl());
        this.work = new Work(config.workers(), config.workQueue(), this::failure);
        this.audit = new AuditLog(dataSource, registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("datafabric.api.work.active", work, Work::active).register(registry);
        Gauge.builder("datafabric.api.work.queued", work, Work::queued).register(registry);
        Gauge.builder("datafabric.api.requests.in_flight", inFlight, AtomicInteger::get)
                .register(registry);

        this.app = Javalin.create(this::configure);
        this.routes = new RouteTable(app);

        Clock clock = Clock.systemUTC();
        Tokens tokens = new Tokens(config.jwtSecret(), config.tokenTtl(), clock);
        Access access =
                new Access(
                        tokens,
                        new RateLimiter(config.ratePerSecond(), config.rateBurst()),
                        config.metricsToken());
        UserStore users = new UserStore(dataSource);
        AuthRoutes auth =
                new AuthRoutes(
                        users,
                        new Passwords(10),
                        tokens,
                        work,
                        config.maxBodyBytes(),
                        config.loginMaxFailures(),
                        config.loginLockout(),
                        config.refreshTtl(),
                        clock);

        app.before(this::begin);
        app.beforeMatched(access::check);
        app.after(this::end);
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e));
        app.exception(CompletionException.class, (e, ctx) -> unwrap(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e));
        app.exception(Exception.class, (e, ctx) -> unexpected(ctx, e));

        routes.add(
                HandlerType.GET,
                "/health/live",
                ctx -> ctx.json(Map.of("status", "live")),
                Role.PUBLIC);
        routes.add(
                HandlerType.GET,
                "/health/ready",
                ctx -> work.submit(ctx, this::ready),
                Role.PUBLIC);
        routes.add(
                HandlerType.GET,
                "/metrics",
                ctx ->
                        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(registry.scrape()),
                Role.ADMIN);
        routes.add(HandlerType.GET, "/openapi.json", this::openapi, Role.ANY);
        auth.register(routes);
        new FileRoutes(
                        new FileLocator(
                                dataSource,
                                config.indexCacheEntries(),
                                config.indexCacheTtl(),
                                sharedCache,
                                registry),
                        archive,
                        config.router(),
                        work,
                        instanceId,
                        config.bodyCacheBytes(),
                        config.bodyCacheMaxFileBytes(),
                        registry)
                .register(routes);
        new UsageRoutes(dataSource, work).register(routes);
        CatalogRoutes.on(
                        config.jdbc(),
                        dataSource,
                        work,
                        config.maxBodyBytes(),
                        config.catalogCacheTtl())
                .register(routes);
        new AuditRoutes(dataSource, work).register(routes);

        try {
            auth.bootstrapAdmin(config.adminUser(), config.adminPassword());
        } catch (Exception e) {
            LOG.warn("could not create the first admin yet: {}", e.getMessage());
        }
    }

    /** Applies the Flyway migrations of the api, usage, drms and des schemas. */
    public static void migrate(ApiConfig config) {
        for (String schema : List.of("api", "usage", "drms", "des")) {
            Migrations.apply(config.jdbc(), schema);
        }
    }

    private void configure(io.javalin.config.JavalinConfig cfg) {
        cfg.showJavalinBanner = false;
        cfg.http.defaultContentType = "application/json";
        cfg.http.maxRequestSize = config.maxBodyBytes();
        cfg.http.disableCompression();
        cfg.http.asyncTimeout = 60_000;
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        cfg.jetty.modifyHttpConfiguration(
                hc -> {
                    hc.setSendServerVersion(false);
                    hc.setRequestHeaderSize(16 << 10);
                });
        cfg.jetty.modifyServer(
                server -> {
                    server.setStopTimeout(10_000);
                    server.setErrorHandler(new JsonErrorHandler());
                });
        config.tls()
                .ifPresent(
                        tls ->
                                cfg.jetty.addConnector(
                                        (server, httpConfig) -> {
                                            SslContextFactory.Server ssl =
                                                    new SslContextFactory.Server();
                                            ssl.setKeyStorePath(tls.keystore().toString());
                                            ssl.setKeyStorePassword(tls.password());
                                            ssl.setKeyStoreType(tls.type().toUpperCase());
                                            HttpConfiguration https =
                                                    new HttpConfiguration(httpConfig);
                                            https.addCustomizer(new SecureRequestCustomizer(false));
                                            ServerConnector connector =
                                                    new ServerConnector(
                                                            server,
                                                            new SslConnectionFactory(
                                                                    ssl, "http/1.1"),
                                                            new HttpConnectionFactory(https));
                                            connector.setHost(config.host());
                                            connector.setPort(config.port());
                                            return connector;
                                        }));
    }

    /** Jetty's own errors (bad URIs, oversized headers) as JSON, like every other error. */
    private static final class JsonErrorHandler extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put("Content-Type", "application/json");
            String message =
                    switch (status) {
                        case 400 ->
                                "bad request: malformed or ambiguous URI or headers (encoded"
                                        + " '..', '.', '/' or '\\' path segments are refused)";
                        case 414 -> "request URI too long";
                        case 431 -> "request headers too large";
                        default -> reason == null ? "bad request" : reason;
                    };
            String body =
                    Json.write(
                            Map.of(
                                    "error",
                                    status == 400 ? "bad_request" : "too_large",
                                    "message",
                                    message + (reason == null ? "" : " (" + reason + ")")));
            return ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The S3 client for range reads: des-format's settings, with the Apache HTTP client pooling as
     * many connections as there are workers (the JDK client keeps only 5 idle ones per host).
     */
    static S3Client s3Client(ApiConfig config) {
        S3Settings s = config.s3();
        var builder =
                S3Client.builder()
                        .region(Region.of(s.region()))
                        .serviceConfiguration(
                                S3Configuration.builder()
                                        .pathStyleAccessEnabled(s.pathStyle())
                                        .build())
                        .httpClientBuilder(
                                ApacheHttpClient.builder()
                                        .maxConnections(Math.max(16, config.workers()))
                                        .connectionTimeout(Duration.ofSeconds(5))
                                        .socketTimeout(Duration.ofSeconds(30)));
        if (!s.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(s.endpoint()));
        }
        if (!s.accessKey().isEmpty()) {
            builder.credentialsProvider(
                    StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s.accessKey(), s.secretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.create());
        }
        return builder.build();
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

    private void begin(Context ctx) {
        String rid = ctx.header("X-Request-Id");
        if (rid == null || !REQUEST_ID.matcher(rid).matches()) {
            rid = UUID.randomUUID().toString();
        }
        ctx.attribute("rid", rid);
        ctx.header("X-Request-Id", rid);
        ctx.attribute("started", System.nanoTime());
        inFlight.incrementAndGet();
        ctx.attribute("counted", Boolean.TRUE);
        if (draining && !ctx.path().startsWith("/health/")) {
            ctx.header("Retry-After", "1");
            throw new ApiError(
                    503, "shutting_down", "this instance is shutting down", List.of(), 1);
        }
    }

    private void end(Context ctx) {
        if (ctx.attribute("counted") != null) {
            inFlight.decrementAndGet();
            ctx.attribute("counted", null);
        }
        Long started = ctx.attribute("started");
        long nanos = started == null ? 0 : System.nanoTime() - started;
        String route = ctx.endpointHandlerPath();
        Timer.builder("datafabric.api.requests")
                .tag("route", route)
                .tag("method", ctx.method().name())
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        Principal principal = ctx.attribute(Access.PRINCIPAL);
        String user = principal == null ? "-" : principal.username();
        String rid = ctx.attribute("rid");
        RouteTable.Route r = routes.find(ctx.method(), route);
        if (r != null && r.audited() && principal != null && ctx.attribute("audit.skip") == null) {
            String object = ctx.attribute("audit.object");
            audit.record(
                    new AuditLog.Entry(
                            Instant.now(),
                            user,
                            ctx.method().name(),
                            route,
                            object != null ? object : String.join("/", ctx.pathParamMap().values()),
                            ctx.statusCode(),
                            rid == null ? "-" : rid));
        }
        MDC.put("requestId", rid == null ? "-" : rid);
        try {
            ACCESS.info(
                    "method={} path={} route={} status={} ms={} user={} requestId={}",
                    ctx.method().name(),
                    ctx.path(),
                    route,
                    ctx.statusCode(),
                    nanos / 1_000_000,
                    user,
                    rid);
        } finally {
            MDC.remove("requestId");
        }
    }

    private void error(Context ctx, ApiError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        if (!e.details().isEmpty()) {
            body.put("details", e.details());
        }
        body.put("requestId", ctx.attribute("rid"));
        // A handler may have described a body before failing (GET /files sets Content-Length
        // before the storage read): the error's own body must not be cut to that length.
        ctx.res().setHeader("Content-Length", null);
        if (e.status() != 416) {
            ctx.res().setHeader("Content-Range", null);
        }
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status()).json(body);
    }

    /** Renders any exception of a handler as the JSON error it maps to. */
    private void failure(Context ctx, Throwable e) {
        if (e instanceof ApiError api) {
            error(ctx, api);
        } else if (e instanceof CompletionException c) {
            unwrap(ctx, c);
        } else if (e instanceof HttpResponseException h) {
            httpError(ctx, h);
        } else {
            unexpected(ctx, e);
        }
    }

    private void unwrap(Context ctx, CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiError api) {
            error(ctx, api);
        } else if (cause instanceof HttpResponseException h) {
            httpError(ctx, h);
        } else {
            unexpected(ctx, cause);
        }
    }

    private void httpError(Context ctx, HttpResponseException e) {
        String code =
                switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "too_large";
                    default -> "bad_request";
                };
        String message =
                e.getStatus() == 404
                        ? "no route " + ctx.method().name() + " " + ctx.path()
                        : e.getMessage();
        error(ctx, new ApiError(e.getStatus(), code, message));
    }

    private void unexpected(Context ctx, Throwable e) {
        if (e instanceof SQLException sql
                && sql.getSQLState() != null
                && sql.getSQLState().startsWith("08")) {
            LOG.warn("database unavailable: {}", e.getMessage());
            error(ctx, new ApiError(503, "unavailable", "database unavailable", List.of(), 2));
            return;
        }
        LOG.error(
                "request {} {} failed (requestId {})",
                ctx.method(),
                ctx.path(),
                ctx.<String>attribute("rid"),
                e);
        error(ctx, new ApiError(500, "internal", "internal error; see the log for requestId"));
    }

    private void ready(Context ctx) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = !draining;
        if (draining) {
            checks.put("instance", "shutting down");
        }
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(2);
            checks.put("database", valid ? "ok" : "connection invalid");
            ok &= valid;
        } catch (SQLException e) {
            checks.put("database", "database unreachable: " + e.getMessage());
            ok = false;
        }
        String storageProblem = archive.problem();
        checks.put("storage", storageProblem == null ? "ok" : storageProblem);
        ok &= storageProblem == null;
        if (sharedCache instanceof SharedIndexCache.Redis redis) {
            boolean pong = redis.ping();
            checks.put("redis", pong ? "ok" : "redis unreachable");
            ok &= pong;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "ready" : "not ready");
        body.put("checks", checks);
        if (!ok) {
            body.put("reason", checks.values().stream().filter(v -> !"ok".equals(v)).toList());
        }
        ctx.status(ok ? 200 : 503).json(body);
    }

    private void openapi(Context ctx) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the classpath");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    public ApiServer start() {
        if (config.tls().isPresent()) {
            app.start();
        } else {
            app.start(config.host(), config.port());
        }
        LOG.info("api {} listening on port {} ({})", instanceId, port(), config);
        return this;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    public String instanceId() {
        return instanceId;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public List<RouteTable.Route> routes() {
        return routes.routes();
    }

    /**
     * Graceful shutdown: readiness turns 503 and new requests are refused with 503, requests in
     * flight finish (up to 10 s), then the server, the work pool, the audit writer and the pools
     * close.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        work.shutdown(5_000);
        audit.close();
        sharedCache.close();
        if (s3 != null) {
            s3.close();
        }
        dataSource.close();
    }
}
