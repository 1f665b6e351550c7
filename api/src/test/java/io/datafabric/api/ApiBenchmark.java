package io.datafabric.api;

import io.datafabric.api.ApiFixture.Packed;
import io.datafabric.api.files.ArchiveLocation;
import io.datafabric.api.http.Json;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/api: wrk against the api ({@code GET /datasets}, {@code GET /files/{name}} of 4 KiB files
 * packed in DES shards, read from a local archive directory ({@code archive.uri: file:///...}) and
 * from S3Proxy) and against nginx serving the same files unpacked from a local directory, at 10 and
 * 64 connections, alternating targets, median of RUNS runs. Everything on 127.0.0.1. Knobs
 * (environment): MODE (all | local | s3: which api file targets), FILES (2000), DURATION (10s),
 * RUNS (3), CONNECTIONS (10,64), DATASETS (20), SHARD_FILES (files per shard, 500), OUT (JSON
 * path), BENCH_DIR.
 */
public final class ApiBenchmark {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT =
            Pattern.compile(
                    "^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: (.*)");

    record Figures(double rps, double p50ms, double p99ms, long non2xx, String errors) {}

    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(env("FILES", "2000"));
        String duration = env("DURATION", "10s");
        int runs = Integer.parseInt(env("RUNS", "3"));
        int datasets = Integer.parseInt(env("DATASETS", "20"));
        int perShard = Integer.parseInt(env("SHARD_FILES", "500"));
        String mode = env("MODE", "all");
        if (!List.of("all", "local", "s3").contains(mode)) {
            throw new IllegalArgumentException("MODE=" + mode + ": all, local or s3");
        }
        boolean local = !mode.equals("s3");
        boolean viaS3 = !mode.equals("local");
        List<Integer> connections = new ArrayList<>();
        for (String c : env("CONNECTIONS", "10,64").split(",")) {
            connections.add(Integer.parseInt(c.trim()));
        }
        Path work = Path.of(env("BENCH_DIR", "target/bench/api-work")).toAbsolutePath();
        Path out = Path.of(env("OUT", "target/bench/api.json")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work.resolve("www/files"));
        Files.createDirectories(out.getParent());

        PostgresDatabase pg = new PostgresDatabase().create("apibench");
        S3ProxyServer s3 = new S3ProxyServer().open("apibench");
        ApiFixture fx = new ApiFixture(pg, s3);
        Process nginx = null;
        try {
            ApiServer server = fx.start(b -> b.rateLimit(0, 1).workers(64, 10_000));
            ApiServer cachedServer =
                    fx.start(
                            b ->
                                    b.rateLimit(0, 1)
                                            .workers(64, 10_000)
                                            .bodyCache(64L << 20, 64 << 10));
            Path archive = work.resolve("archive");
            Files.createDirectories(archive);
            ApiServer localServer =
                    fx.start(
                            b ->
                                    b.rateLimit(0, 1)
                                            .workers(64, 10_000)
                                            .archive(new ArchiveLocation.Local(archive)));
            String admin = fx.adminToken(server);
            String reader = fx.tokenFor(server, "bench_reader", "reader");
            String publisher = fx.tokenFor(server, "bench_publisher", "publisher");

            // files: 4 KiB each, packed 500 to a shard, and the same bytes unpacked for nginx
            Random random = new Random(42);
            List<Packed> batch = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                byte[] body = new byte[4096];
                random.nextBytes(body);
                String name = String.format(Locale.ROOT, "bench-%06d.bin", i);
                names.add(name);
                Files.write(work.resolve("www/files").resolve(name), body);
                batch.add(new Packed(name, body, "application/octet-stream"));
                if (batch.size() == perShard || i == files - 1) {
                    fx.pack(batch);
                    batch = new ArrayList<>();
                }
            }
            Files.write(work.resolve("names.txt"), names);
            // the local archive: the same shard objects under the same keys (as the packer writes
            // them to archive.uri file:///...)
            try (var c = pg.connect();
                    var st = c.createStatement();
                    var rs = st.executeQuery("SELECT object_key FROM des.shards")) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    Path target = archive.resolve(key);
                    Files.createDirectories(target.getParent());
                    Files.write(
                            target,
                            s3.client()
                                    .getObjectAsBytes(b -> b.bucket(s3.bucket()).key(key))
                                    .asByteArray());
                }
            }

            // catalog: tables in the bench database published as datasets
            fx.send(
                    server,
                    "PUT",
                    "/connections/src",
                    admin,
                    Json.write(
                            Map.of("dialect", "postgres", "url", pg.jdbcUrl(), "user", pg.user())));
            for (int i = 0; i < datasets; i++) {
                String table = "t" + i;
                pg.execute(
                        "CREATE TABLE public."
                                + table
                                + " (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, v text)");
                var r =
                        fx.send(
                                server,
                                "POST",
                                "/datasets",
                                publisher,
                                Json.write(
                                        Map.of(
                                                "name",
                                                "dataset_" + i,
                                                "connection",
                                                "src",
                                                "table",
                                                "public." + table,
                                                "cursor",
                                                List.of("updated_at", "id"))));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("publishing failed: " + r.body());
                }
            }

            int nginxPort = freePort();
            nginx = startNginx(work, nginxPort);
            Path lua = work.resolve("files.lua");
            Files.writeString(lua, filesScript());

            String apiBase = fx.base(server);
            String cachedBase = fx.base(cachedServer);
            String localBase = fx.base(localServer);
            String nginxBase = "http://127.0.0.1:" + nginxPort;
            // warm up: every file once through the api (metadata cache) and nginx
            for (int c : List.of(connections.get(0))) {
                if (viaS3) {
                    wrk(apiBase, "/", lua, work, reader, c, "3s");
                    wrk(cachedBase, "/", lua, work, reader, c, "3s");
                }
                if (local) {
                    wrk(localBase, "/", lua, work, reader, c, "3s");
                }
                wrk(nginxBase, "/", lua, work, null, c, "3s");
            }
            List<String[]> locations = new ArrayList<>();
            try (var c = pg.connect();
                    var st = c.createStatement();
                    var rs =
                            st.executeQuery(
                                    "SELECT object_key, \"offset\", length FROM des.files")) {
                while (rs.next()) {
                    locations.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            var s3Client = ApiServer.s3Client(fx.config().toBuilder().workers(64, 10).build());
            Map<String, Map<Integer, List<Figures>>> results = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (int c : connections) {
                    if (local) {
                        add(
                                results,
                                "api GET /files/{name} local archive",
                                c,
                                wrk(localBase, "/", lua, work, reader, c, duration));
                    }
                    add(
                            results,
                            "nginx GET /files/{name}",
                            c,
                            wrk(nginxBase, "/", lua, work, null, c, duration));
                    if (viaS3) {
                        add(
                                results,
                                "s3proxy range GET (direct)",
                                c,
                                direct(s3Client, s3.bucket(), locations, c, seconds(duration)));
                        add(
                                results,
                                "api GET /files/{name}",
                                c,
                                wrk(apiBase, "/", lua, work, reader, c, duration));
                        add(
                                results,
                                "api GET /files/{name} +cache",
                                c,
                                wrk(cachedBase, "/", lua, work, reader, c, duration));
                        add(
                                results,
                                "api GET /datasets",
                                c,
                                wrk(
                                        apiBase,
                                        "/datasets?limit=50",
                                        null,
                                        work,
                                        publisher,
                                        c,
                                        duration));
                    }
                }
            }
            report(results, out, files, duration, runs, mode);
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            fx.close();
            s3.close();
            pg.drop();
        }
    }

    private static void add(
            Map<String, Map<Integer, List<Figures>>> results, String target, int c, Figures f) {
        results.computeIfAbsent(target, k -> new LinkedHashMap<>())
                .computeIfAbsent(c, k -> new ArrayList<>())
                .add(f);
        System.out.printf(
                Locale.ROOT,
                "  %-26s c=%-3d %10.0f req/s  p50 %7.2f ms  p99 %7.2f ms%s%n",
                target,
                c,
                f.rps(),
                f.p50ms(),
                f.p99ms(),
                f.non2xx() > 0 || !f.errors().isEmpty()
                        ? "  non-2xx " + f.non2xx() + " " + f.errors()
                        : "");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void report(
            Map<String, Map<Integer, List<Figures>>> results,
            Path out,
            int files,
            String duration,
            int runs,
            String mode)
            throws IOException {
        Map<String, Object> project = new LinkedHashMap<>();
        Map<String, Object> peers = new LinkedHashMap<>();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-30s %5s %12s %10s %10s   (median of %d runs of %s; %d files of 4 KiB)%n",
                "target",
                "conns",
                "req/s",
                "p50 ms",
                "p99 ms",
                runs,
                duration,
                files);
        for (var target : results.entrySet()) {
            Map<String, Object> byConn = new LinkedHashMap<>();
            for (var e : target.getValue().entrySet()) {
                List<Figures> fs = e.getValue();
                double rps = median(fs.stream().map(Figures::rps).toList());
                double p50 = median(fs.stream().map(Figures::p50ms).toList());
                double p99 = median(fs.stream().map(Figures::p99ms).toList());
                long non2xx = fs.stream().mapToLong(Figures::non2xx).sum();
                System.out.printf(
                        Locale.ROOT,
                        "%-30s %5d %12.0f %10.2f %10.2f%s%n",
                        target.getKey(),
                        e.getKey(),
                        rps,
                        p50,
                        p99,
                        non2xx > 0 ? "   non-2xx: " + non2xx : "");
                byConn.put(
                        "c" + e.getKey(),
                        Map.of(
                                "requests_per_second", round(rps),
                                "p50_ms", round(p50),
                                "p99_ms", round(p99),
                                "non_2xx", non2xx));
            }
            if (!target.getKey().startsWith("api")) {
                peers.put(target.getKey(), byConn);
            } else {
                project.put(target.getKey(), byConn);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("project", project);
        doc.put("peers", peers);
        doc.put(
                "machine",
                Map.of(
                        "cores", Runtime.getRuntime().availableProcessors(),
                        "java", System.getProperty("java.version"),
                        "os",
                                System.getProperty("os.name")
                                        + " "
                                        + System.getProperty("os.version")));
        doc.put(
                "settings",
                Map.of("files", files, "duration", duration, "runs", runs, "mode", mode));
        Files.writeString(
                out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        System.out.println("results: " + out);
    }

    private static double seconds(String duration) {
        String d = duration.trim();
        if (d.endsWith("ms")) {
            return Double.parseDouble(d.substring(0, d.length() - 2)) / 1000;
        }
        if (d.endsWith("m")) {
            return Double.parseDouble(d.substring(0, d.length() - 1)) * 60;
        }
        return Double.parseDouble(d.endsWith("s") ? d.substring(0, d.length() - 1) : d);
    }

    /**
     * The storage alone: {@code c} threads doing the same one-range-GET-per-file the api does,
     * through the same client, with no HTTP server in front; what the api's file route can at best
     * reach against this storage.
     */
    private static Figures direct(
            software.amazon.awssdk.services.s3.S3Client client,
            String bucket,
            List<String[]> locations,
            int c,
            double seconds)
            throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        List<long[]> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong errors =
                new java.util.concurrent.atomic.AtomicLong();
        for (int t = 0; t < c; t++) {
            int seed = t;
            Thread thread =
                    new Thread(
                            () -> {
                                Random r = new Random(seed);
                                long[] mine = new long[1 << 20];
                                int n = 0;
                                while (System.nanoTime() < end && n < mine.length) {
                                    String[] loc = locations.get(r.nextInt(locations.size()));
                                    long off = Long.parseLong(loc[1]);
                                    long len = Long.parseLong(loc[2]);
                                    long t0 = System.nanoTime();
                                    try {
                                        client.getObjectAsBytes(
                                                b ->
                                                        b.bucket(bucket)
                                                                .key(loc[0])
                                                                .range(
                                                                        "bytes="
                                                                                + off
                                                                                + "-"
                                                                                + (off + len - 1)));
                                    } catch (RuntimeException e) {
                                        errors.incrementAndGet();
                                    }
                                    mine[n++] = System.nanoTime() - t0;
                                }
                                latencies.add(java.util.Arrays.copyOf(mine, n));
                            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            return new Figures(0, -1, -1, errors.get(), "");
        }
        return new Figures(
                all.length / seconds,
                all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6,
                errors.get(),
                "");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String filesScript() {
        return String.join(
                "\n",
                "local names = {}",
                "for line in io.lines(os.getenv('NAMES_FILE')) do names[#names + 1] = line end",
                "local token = os.getenv('TOKEN')",
                "local headers = {}",
                "if token and token ~= '' then headers['Authorization'] = 'Bearer ' .. token end",
                "local i = math.random(#names)",
                "request = function()",
                "  i = i % #names + 1",
                "  return wrk.format('GET', '/files/' .. names[i], headers)",
                "end",
                "");
    }

    private static Figures wrk(
            String base, String path, Path lua, Path work, String token, int c, String duration)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("wrk");
        cmd.add("-t" + Math.min(2, c));
        cmd.add("-c" + c);
        cmd.add("-d" + duration);
        cmd.add("--timeout");
        cmd.add("5s");
        cmd.add("--latency");
        if (lua != null) {
            cmd.add("-s");
            cmd.add(lua.toString());
        } else if (token != null) {
            cmd.add("-H");
            cmd.add("Authorization: Bearer " + token);
        }
        cmd.add(base + path);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NAMES_FILE", work.resolve("names.txt").toString());
        pb.environment().put("TOKEN", token == null ? "" : token);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed:\n" + text);
        }
        Matcher rps = RPS.matcher(text);
        if (!rps.find()) {
            throw new IllegalStateException("no Requests/sec in wrk output:\n" + text);
        }
        double p50 = -1;
        double p99 = -1;
        Matcher m = PCT.matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            double ms =
                    switch (m.group(3)) {
                        case "us" -> v / 1000;
                        case "s" -> v * 1000;
                        default -> v;
                    };
            if (m.group(1).equals("50")) {
                p50 = ms;
            } else {
                p99 = ms;
            }
        }
        Matcher non = NON2XX.matcher(text);
        Matcher err = ERRORS.matcher(text);
        return new Figures(
                Double.parseDouble(rps.group(1)),
                p50,
                p99,
                non.find() ? Long.parseLong(non.group(1)) : 0,
                err.find() ? err.group(1).trim() : "");
    }

    private static Process startNginx(Path work, int port) throws Exception {
        Path conf = work.resolve("nginx.conf");
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "worker_processes 2;",
                        "daemon off;",
                        "pid " + work.resolve("nginx.pid") + ";",
                        "error_log " + work.resolve("logs/error.log") + " warn;",
                        "events { worker_connections 1024; }",
                        "http {",
                        "  access_log off;",
                        "  sendfile on;",
                        "  keepalive_requests 1000000;",
                        "  default_type application/octet-stream;",
                        "  client_body_temp_path " + work.resolve("tmp") + ";",
                        "  proxy_temp_path " + work.resolve("tmp") + ";",
                        "  fastcgi_temp_path " + work.resolve("tmp") + ";",
                        "  uwsgi_temp_path " + work.resolve("tmp") + ";",
                        "  scgi_temp_path " + work.resolve("tmp") + ";",
                        "  server {",
                        "    listen 127.0.0.1:" + port + ";",
                        "    root " + work.resolve("www") + ";",
                        "  }",
                        "}",
                        ""));
        Files.createDirectories(work.resolve("tmp"));
        Process p =
                new ProcessBuilder("nginx", "-p", work.toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("logs/nginx.out").toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "nginx exited: " + Files.readString(work.resolve("logs/nginx.out")));
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                p.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        p.destroy();
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
