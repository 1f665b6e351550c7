package io.datafabric.api;

import io.datafabric.api.files.ArchiveLocation;
import io.datafabric.api.files.ShardOwnership;
import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.des.io.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The api service's configuration (keys documented in api/README.md). Secrets (JWT signing key,
 * keystore password, S3 secret key, first admin's password) come from the environment or from
 * files, never from the YAML.
 */
public record ApiConfig(
        String host,
        int port,
        int dbPoolSize,
        JdbcSettings jdbc,
        int workers,
        int workQueue,
        int maxBodyBytes,
        String jwtSecret,
        Duration tokenTtl,
        Duration refreshTtl,
        String adminUser,
        String adminPassword,
        int loginMaxFailures,
        Duration loginLockout,
        double ratePerSecond,
        int rateBurst,
        Optional<Tls> tls,
        S3Settings s3,
        ArchiveLocation archive,
        long indexCacheEntries,
        Duration indexCacheTtl,
        String redisUrl,
        Duration redisTtl,
        ShardOwnership router,
        String metricsToken,
        Duration catalogCacheTtl,
        long bodyCacheBytes,
        int bodyCacheMaxFileBytes) {

    /** A keystore to serve HTTPS with. */
    public record Tls(Path keystore, String password, String type) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", type=" + type + ", password=****]";
        }
    }

    /** Environment variable of the JWT signing secret unless {@code api.jwt.secret-env} says. */
    public static final String DEFAULT_JWT_SECRET_ENV = "DF_API_JWT_SECRET";

    /** A configuration for tests and embedding: defaults everywhere but the database. */
    public static ApiConfig defaults(JdbcSettings jdbc, String jwtSecret) {
        return from(
                Settings.of(
                        Map.of("jdbc.url", jdbc.url(), "jdbc.user", jdbc.user(), "api.port", "0")),
                Map.of(DEFAULT_JWT_SECRET_ENV, jwtSecret));
    }

    /** Reads and validates; throws a ConfigException listing every problem. */
    public static ApiConfig from(Settings settings, Map<String, String> env) {
        String host = settings.string("api.host", "127.0.0.1");
        int port = settings.intValue("api.port", 8080, 0, 65535);
        int pool = settings.intValue("api.db-pool-size", 8, 1, 200);
        JdbcSettings jdbc = JdbcSettings.from(settings, "jdbc", env);
        int workers = settings.intValue("api.workers", 32, 1, 1024);
        int queue = settings.intValue("api.work-queue", 2000, 1, 1_000_000);
        int maxBody = settings.intValue("api.max-body-bytes", 64 << 10, 256, 16 << 20);

        String jwtSecret =
                secret(settings, env, "api.jwt.secret", DEFAULT_JWT_SECRET_ENV).orElse(null);
        if (jwtSecret == null) {
            settings.problem(
                    "api.jwt.secret is required: set "
                            + DEFAULT_JWT_SECRET_ENV
                            + " (or name another variable with api.jwt.secret-env, or a file with"
                            + " api.jwt.secret-file)");
        } else if (jwtSecret.length() < 32) {
            settings.problem("api.jwt.secret must be at least 32 characters long");
        }
        Duration ttl = settings.duration("api.jwt.ttl", Duration.ofMinutes(15));
        Duration refreshTtl = settings.duration("api.jwt.refresh-ttl", Duration.ofDays(7));

        String adminUser =
                settings.optional("api.admin.user")
                        .orElseGet(
                                () ->
                                        env.getOrDefault(
                                                settings.string(
                                                        "api.admin.user-env", "DF_API_ADMIN_USER"),
                                                ""));
        String adminPassword =
                secret(settings, env, "api.admin.password", "DF_API_ADMIN_PASSWORD").orElse("");

        int maxFailures = settings.intValue("api.login.max-failures", 5, 1, 1000);
        Duration lockout = settings.duration("api.login.lockout", Duration.ofMinutes(5));
        double rate = settings.longValue("api.rate-limit.per-second", 100, 0, 1_000_000);
        int burst = settings.intValue("api.rate-limit.burst", 200, 1, 10_000_000);

        Optional<Tls> tls = Optional.empty();
        Optional<String> keystore = settings.optional("api.tls.keystore");
        if (keystore.isPresent()) {
            Path ks = Path.of(keystore.get());
            if (!Files.isReadable(ks)) {
                settings.problem("api.tls.keystore=" + ks + " is not a readable file");
            }
            String ksPassword =
                    secret(settings, env, "api.tls.keystore-password", "DF_API_TLS_PASSWORD")
                            .orElse("");
            tls =
                    Optional.of(
                            new Tls(
                                    ks,
                                    ksPassword,
                                    settings.oneOf(
                                            "api.tls.keystore-type", "pkcs12", "pkcs12", "jks")));
        }

        S3Settings fromEnv = S3Settings.fromEnvironment(env);
        S3Settings s3 =
                new S3Settings(
                        settings.string("s3.endpoint", fromEnv.endpoint()),
                        settings.string("s3.access-key", fromEnv.accessKey()),
                        secret(settings, env, "s3.secret-key", S3Settings.ENV_SECRET_KEY)
                                .orElse(""),
                        settings.string("s3.region", fromEnv.region()),
                        settings.bool("s3.path-style", fromEnv.pathStyle()));
        ArchiveLocation archive;
        Optional<String> archiveUri = settings.optional("archive.uri");
        if (archiveUri.isPresent()) {
            try {
                archive = ArchiveLocation.parse(archiveUri.get());
            } catch (IllegalArgumentException e) {
                settings.problem("archive.uri: " + e.getMessage());
                archive = new ArchiveLocation.S3("des", "");
            }
        } else {
            archive = new ArchiveLocation.S3(settings.string("des.bucket", "des"), "");
        }
        long cacheEntries = settings.longValue("api.index-cache.entries", 200_000, 1, 100_000_000);
        Duration cacheTtl = settings.duration("api.index-cache.ttl", Duration.ofMinutes(10));
        String redisUrl = settings.string("redis.url", "");
        if (!redisUrl.isEmpty()
                && !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
            settings.problem("redis.url=" + redisUrl + " must start with redis:// or rediss://");
        }
        Duration redisTtl = settings.duration("redis.ttl", Duration.ofHours(1));

        List<String> routerProblems = new ArrayList<>();
        ShardOwnership router =
                ShardOwnership.parse(
                        settings.intValue("router.shard-bits", 8, 0, 16),
                        settings.string("router.owned", "all"),
                        settings.list("router.peers"),
                        routerProblems);
        routerProblems.forEach(settings::problem);
        String metricsToken =
                secret(settings, env, "api.metrics.token", "DF_API_METRICS_TOKEN").orElse("");
        Duration catalogTtl = settings.duration("api.catalog.cache-ttl", Duration.ofSeconds(1));
        long bodyCache = settings.longValue("api.body-cache.bytes", 0, 0, 1L << 40);
        int bodyMax = settings.intValue("api.body-cache.max-file-bytes", 64 << 10, 1, 16 << 20);
        settings.validate();
        return new ApiConfig(
                host,
                port,
                pool,
                jdbc,
                workers,
                queue,
                maxBody,
                jwtSecret,
                ttl,
                refreshTtl,
                adminUser,
                adminPassword,
                maxFailures,
                lockout,
                rate,
                burst,
                tls,
                s3,
                archive,
                cacheEntries,
                cacheTtl,
                redisUrl,
                redisTtl,
                router,
                metricsToken,
                catalogTtl,
                bodyCache,
                bodyMax);
    }

    /**
     * A secret from the variable named by {@code <key>-env} (default {@code defaultEnv}) or from
     * the file named by {@code <key>-file}.
     */
    private static Optional<String> secret(
            Settings settings, Map<String, String> env, String key, String defaultEnv) {
        Optional<String> file = settings.optional(key + "-file");
        if (file.isPresent()) {
            try {
                return Optional.of(Files.readString(Path.of(file.get())).strip());
            } catch (IOException e) {
                settings.problem(key + "-file=" + file.get() + " cannot be read: " + e);
                return Optional.empty();
            }
        }
        String value = env.get(settings.string(key + "-env", defaultEnv));
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public ApiConfig withPort(int newPort) {
        return new Builder(this).port(newPort).build();
    }

    /** Copy-and-change for tests and embedding. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes single fields of a configuration. */
    public static final class Builder {
        private String host;
        private int port;
        private int dbPoolSize;
        private JdbcSettings jdbc;
        private int workers;
        private int workQueue;
        private int maxBodyBytes;
        private String jwtSecret;
        private Duration tokenTtl;
        private Duration refreshTtl;
        private String adminUser;
        private String adminPassword;
        private int loginMaxFailures;
        private Duration loginLockout;
        private double ratePerSecond;
        private int rateBurst;
        private Optional<Tls> tls;
        private S3Settings s3;
        private ArchiveLocation archive;
        private long indexCacheEntries;
        private Duration indexCacheTtl;
        private String redisUrl;
        private Duration redisTtl;
        private ShardOwnership router;
        private String metricsToken;
        private Duration catalogCacheTtl;
        private long bodyCacheBytes;
        private int bodyCacheMaxFileBytes;

        Builder(ApiConfig c) {
            host = c.host;
            port = c.port;
            dbPoolSize = c.dbPoolSize;
            jdbc = c.jdbc;
            workers = c.workers;
            workQueue = c.workQueue;
            maxBodyBytes = c.maxBodyBytes;
            jwtSecret = c.jwtSecret;
            tokenTtl = c.tokenTtl;
            refreshTtl = c.refreshTtl;
            adminUser = c.adminUser;
            adminPassword = c.adminPassword;
            loginMaxFailures = c.loginMaxFailures;
            loginLockout = c.loginLockout;
            ratePerSecond = c.ratePerSecond;
            rateBurst = c.rateBurst;
            tls = c.tls;
            s3 = c.s3;
            archive = c.archive;
            indexCacheEntries = c.indexCacheEntries;
            indexCacheTtl = c.indexCacheTtl;
            redisUrl = c.redisUrl;
            redisTtl = c.redisTtl;
            router = c.router;
            metricsToken = c.metricsToken;
            catalogCacheTtl = c.catalogCacheTtl;
            bodyCacheBytes = c.bodyCacheBytes;
            bodyCacheMaxFileBytes = c.bodyCacheMaxFileBytes;
        }

        public Builder bodyCache(long bytes, int maxFileBytes) {
            bodyCacheBytes = bytes;
            bodyCacheMaxFileBytes = maxFileBytes;
            return this;
        }

        public Builder catalogCacheTtl(Duration v) {
            catalogCacheTtl = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder admin(String user, String password) {
            adminUser = user;
            adminPassword = password;
            return this;
        }

        public Builder login(int maxFailures, Duration lockout) {
            loginMaxFailures = maxFailures;
            loginLockout = lockout;
            return this;
        }

        public Builder rateLimit(double perSecond, int burst) {
            ratePerSecond = perSecond;
            rateBurst = burst;
            return this;
        }

        public Builder tokenTtl(Duration v) {
            tokenTtl = v;
            return this;
        }

        public Builder tls(Tls v) {
            tls = Optional.ofNullable(v);
            return this;
        }

        public Builder s3(S3Settings v, String bucket) {
            s3 = v;
            archive = new ArchiveLocation.S3(bucket, "");
            return this;
        }

        public Builder archive(ArchiveLocation v) {
            archive = v;
            return this;
        }

        public Builder redis(String url) {
            redisUrl = url;
            return this;
        }

        public Builder router(ShardOwnership v) {
            router = v;
            return this;
        }

        public Builder metricsToken(String v) {
            metricsToken = v;
            return this;
        }

        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder workers(int threads, int queue) {
            workers = threads;
            workQueue = queue;
            return this;
        }

        public ApiConfig build() {
            return new ApiConfig(
                    host,
                    port,
                    dbPoolSize,
                    jdbc,
                    workers,
                    workQueue,
                    maxBodyBytes,
                    jwtSecret,
                    tokenTtl,
                    refreshTtl,
                    adminUser,
                    adminPassword,
                    loginMaxFailures,
                    loginLockout,
                    ratePerSecond,
                    rateBurst,
                    tls,
                    s3,
                    archive,
                    indexCacheEntries,
                    indexCacheTtl,
                    redisUrl,
                    redisTtl,
                    router,
                    metricsToken,
                    catalogCacheTtl,
                    bodyCacheBytes,
                    bodyCacheMaxFileBytes);
        }
    }

    @Override
    public String toString() {
        return "ApiConfig[host="
                + host
                + ", port="
                + port
                + ", jdbc="
                + jdbc
                + ", s3="
                + s3
                + ", archive.uri="
                + archive
                + ", router="
                + router
                + ", tls="
                + tls
                + ", redis="
                + (redisUrl.isEmpty() ? "off" : redisUrl)
                + "]";
    }
}
