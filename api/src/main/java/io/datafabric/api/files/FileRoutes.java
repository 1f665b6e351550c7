package io.datafabric.api.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Names;
import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import io.datafabric.api.role.Role;
import io.datafabric.des.format.EntryNames;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code GET} and {@code HEAD /files/{name}}: the router and the retriever. The name's router shard
 * ({@link ShardOwnership#shardOf}) decides which instance serves it; another instance's shards are
 * forwarded to it (with the caller's token, Range and request id), so exactly one instance reads a
 * given file. The owner finds the file's location through the cached DES metadata ({@link
 * FileLocator}) and reads its bytes with one range read of the archive ({@link ArchiveStore}: S3
 * range GET or a positional read of a local file).
 */
public final class FileRoutes {
    /** Set on forwarded requests; a forwarded request is never forwarded again. */
    public static final String FORWARDED = "X-DataFabric-Forwarded";

    static final long BUFFER_LIMIT = 1 << 20;
    private static final List<String> FORWARDED_RESPONSE_HEADERS =
            List.of(
                    "Content-Type",
                    "Content-Length",
                    "Content-Range",
                    "Accept-Ranges",
                    "ETag",
                    "Retry-After",
                    "X-DataFabric-Served-By");

    private final FileLocator locator;
    private final ArchiveStore archive;
    private final ShardOwnership router;
    private final Work work;
    private final HttpClient http;
    private final String self;
    private final Counter forwarded;
    private final Counter served;
    private final Counter bytes;
    private final Counter storageReads;
    private final Cache<String, byte[]> bodies;
    private final int bodyCacheMaxFile;

    public FileRoutes(
            FileLocator locator,
            ArchiveStore archive,
            ShardOwnership router,
            Work work,
            String self,
            long bodyCacheBytes,
            int bodyCacheMaxFile,
            MeterRegistry registry) {
        this.locator = locator;
        this.archive = archive;
        this.router = router;
        this.work = work;
        this.self = self;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        this.forwarded = Counter.builder("datafabric.api.files.forwarded").register(registry);
        this.served = Counter.builder("datafabric.api.files.served").register(registry);
        this.bytes = Counter.builder("datafabric.api.files.bytes").register(registry);
        this.storageReads =
                Counter.builder("datafabric.api.files.storage.reads").register(registry);
        this.bodyCacheMaxFile = bodyCacheMaxFile;
        if (bodyCacheBytes > 0) {
            this.bodies =
                    Caffeine.newBuilder()
                            .maximumWeight(bodyCacheBytes)
                            .weigher((String k, byte[] v) -> v.length + 64)
                            .recordStats()
                            .build();
            CaffeineCacheMetrics.monitor(registry, bodies, "datafabric.api.bodies");
        } else {
            this.bodies = null;
        }
    }

    public void register(RouteTable routes) {
        routes.audited(
                HandlerType.GET,
                "/files/<name>",
                ctx -> handle(ctx, false),
                Role.ADMIN,
                Role.READER);
        routes.audited(
                HandlerType.HEAD,
                "/files/<name>",
                ctx -> handle(ctx, true),
                Role.ADMIN,
                Role.READER);
    }

    static String checkedName(Context ctx) {
        String name = ctx.pathParam("name");
        String problem = EntryNames.problem(name);
        if (problem != null) {
            throw ApiError.badRequest(
                    "invalid file name '" + Names.printable(name) + "': " + problem);
        }
        return name;
    }

    private void handle(Context ctx, boolean head) {
        String name = checkedName(ctx);
        ctx.attribute("audit.object", name);
        int shard = router.shardOf(name);
        if (router.owns(shard)) {
            work.submit(ctx, c -> serve(c, name, head));
            return;
        }
        if (ctx.header(FORWARDED) != null) {
            throw new ApiError(
                    508,
                    "routing_loop",
                    "shard "
                            + shard
                            + " was forwarded here by "
                            + ctx.header(FORWARDED)
                            + " but this instance does not own it: router configs disagree");
        }
        ShardOwnership.Peer peer =
                router.ownerOf(shard)
                        .orElseThrow(
                                () ->
                                        new ApiError(
                                                503,
                                                "no_owner",
                                                "no instance is configured for shard " + shard));
        forward(ctx, peer, name, head);
    }

    private void forward(Context ctx, ShardOwnership.Peer peer, String name, boolean head) {
        String path =
                "/files/"
                        + List.of(name.split("/")).stream()
                                .map(
                                        s ->
                                                URLEncoder.encode(s, StandardCharsets.UTF_8)
                                                        .replace("+", "%20"))
                                .collect(Collectors.joining("/"));
        URI target = peer.baseUrl().resolve(path);
        HttpRequest.Builder req =
                HttpRequest.newBuilder(target)
                        .timeout(Duration.ofSeconds(30))
                        .method(head ? "HEAD" : "GET", HttpRequest.BodyPublishers.noBody())
                        .header(FORWARDED, self);
        for (String h : List.of("Authorization", "Range", "If-None-Match", "X-Request-Id")) {
            String v = ctx.header(h);
            if (v != null) {
                req.header(h, v);
            }
        }
        forwarded.increment();
        ctx.attribute("audit.skip", Boolean.TRUE);
        CompletableFuture<Void> done =
                http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofInputStream())
                        .thenAccept(
                                resp -> {
                                    ctx.status(resp.statusCode());
                                    for (String h : FORWARDED_RESPONSE_HEADERS) {
                                        resp.headers()
                                                .firstValue(h)
                                                .ifPresent(v -> ctx.header(h, v));
                                    }
                                    if (head) {
                                        closeQuietly(resp.body());
                                    } else {
                                        ctx.result(resp.body());
                                    }
                                })
                        .exceptionally(
                                e -> {
                                    work.fail(
                                            ctx,
                                            new ApiError(
                                                    502,
                                                    "owner_unreachable",
                                                    "the instance owning this file ("
                                                            + peer.baseUrl()
                                                            + ") did not answer: "
                                                            + rootMessage(e)));
                                    return null;
                                });
        ctx.future(() -> done);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    private void serve(Context ctx, String name, boolean head) throws Exception {
        FileLocation loc =
                locator.find(name)
                        .orElseThrow(
                                () -> ApiError.notFound("no packed file named '" + name + "'"));
        String etag = "\"" + loc.checksum() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("X-DataFabric-Served-By", self);
        // The type exactly as recorded: no charset appended to a binary type.
        ctx.res().setCharacterEncoding(null);
        ctx.res()
                .setContentType(
                        loc.contentType() == null || loc.contentType().isBlank()
                                ? "application/octet-stream"
                                : loc.contentType());
        String inm = ctx.header("If-None-Match");
        if (inm != null
                && (inm.trim().equals("*")
                        || List.of(inm.split(",")).stream()
                                .map(String::trim)
                                .anyMatch(t -> t.equals(etag) || t.equals("W/" + etag)))) {
            ctx.status(304);
            return;
        }
        ByteRange.Parsed parsed = ByteRange.parse(ctx.header("Range"), loc.length());
        long start = 0;
        long length = loc.length();
        if (parsed instanceof ByteRange.Unsatisfiable) {
            ctx.header("Content-Range", "bytes */" + loc.length());
            throw new ApiError(
                    416,
                    "range_not_satisfiable",
                    "range '"
                            + Names.printable(ctx.header("Range"))
                            + "' lies outside the "
                            + loc.length()
                            + " bytes of '"
                            + name
                            + "'");
        }
        if (parsed instanceof ByteRange.Partial p) {
            start = p.range().start();
            length = p.range().length();
            ctx.status(206);
            ctx.header(
                    "Content-Range",
                    "bytes " + p.range().start() + "-" + p.range().end() + "/" + loc.length());
        }
        ctx.header("Content-Length", Long.toString(length));
        if (head) {
            return;
        }
        served.increment();
        bytes.increment(length);
        if (length == 0) {
            ctx.result(new byte[0]);
            return;
        }
        if (bodies != null && loc.length() <= bodyCacheMaxFile) {
            byte[] body = cachedBody(loc);
            ctx.result(
                    start == 0 && length == body.length
                            ? body
                            : java.util.Arrays.copyOfRange(
                                    body, (int) start, (int) (start + length)));
            return;
        }
        read(ctx, loc, start, length, true);
    }

    /**
     * The whole body of a small file from the body cache (packed files never change: a location
     * names immutable bytes), read with one range GET on a miss.
     */
    private byte[] cachedBody(FileLocation loc) throws Exception {
        String key = loc.objectKey() + "@" + loc.offset() + "+" + loc.length();
        byte[] body = bodies.getIfPresent(key);
        if (body == null) {
            body = fetch(loc, loc);
            bodies.put(key, body);
        }
        return body;
    }

    /** One range read of a whole small body; a vanished object is looked up again once. */
    private byte[] fetch(FileLocation loc, FileLocation first) throws Exception {
        try {
            storageReads.increment();
            return archive.read(loc.objectKey(), loc.offset(), (int) loc.length());
        } catch (ArchiveStore.ObjectMissing e) {
            return refetch(loc, first);
        }
    }

    private byte[] refetch(FileLocation loc, FileLocation first) throws Exception {
        locator.invalidate(loc.name());
        if (loc == first) {
            Optional<FileLocation> fresh = locator.find(loc.name());
            if (fresh.isEmpty()) {
                throw ApiError.notFound("no packed file named '" + loc.name() + "'");
            }
            if (!fresh.get().equals(loc)) {
                return fetch(fresh.get(), first);
            }
        }
        throw new ApiError(
                502,
                "storage_inconsistent",
                "shard object "
                        + loc.objectKey()
                        + " of '"
                        + loc.name()
                        + "' is missing from the archive");
    }

    private void read(Context ctx, FileLocation loc, long start, long length, boolean retry)
            throws Exception {
        long from = loc.offset() + start;
        storageReads.increment();
        try {
            if (length <= BUFFER_LIMIT) {
                ctx.result(archive.read(loc.objectKey(), from, (int) length));
            } else {
                ctx.result(archive.stream(loc.objectKey(), from, length));
            }
        } catch (ArchiveStore.ObjectMissing e) {
            missing(ctx, loc, start, length, retry);
        }
    }

    /** The object moved (repacked) since the metadata was cached: reload once. */
    private void missing(Context ctx, FileLocation loc, long start, long length, boolean retry)
            throws Exception {
        locator.invalidate(loc.name());
        if (retry) {
            Optional<FileLocation> fresh = locator.find(loc.name());
            if (fresh.isPresent() && !fresh.get().equals(loc)) {
                read(ctx, fresh.get(), start, length, false);
                return;
            }
            if (fresh.isEmpty()) {
                throw ApiError.notFound("no packed file named '" + loc.name() + "'");
            }
        }
        throw new ApiError(
                502,
                "storage_inconsistent",
                "shard object "
                        + loc.objectKey()
                        + " of '"
                        + loc.name()
                        + "' is missing from the archive");
    }
}
