package io.datafabric.despacker.config;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.des.naming.SnowflakeId;
import io.datafabric.despacker.model.ShardObjectKey;
import io.datafabric.drms.sql.TableName;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The packer job's configuration, read from {@link Settings} and validated at once: every problem
 * is reported together, each naming its key. See the module README for every key.
 */
public record PackerConfig(
        JdbcSettings desJdbc,
        String archiveRoot,
        String archivePrefix,
        List<SourceConfig> sources,
        int nodeBase,
        int nodeSpan,
        int shardBits,
        long targetBytes,
        int maxFiles,
        Duration maxWait,
        int batchSize,
        Duration markInterval,
        Duration reconcileInterval,
        boolean deleteOriginals,
        boolean bounded,
        int parallelism,
        int markerParallelism,
        int maxParallelism,
        Duration checkpointInterval,
        String checkpointDir,
        FailurePoint failurePoint)
        implements Serializable {

    public static final String BOUNDED = "packer.bounded";
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public PackerConfig {
        sources = List.copyOf(sources);
    }

    /** The source called {@code name}. */
    public SourceConfig source(String name) {
        for (SourceConfig s : sources) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown source " + name);
    }

    /** The shard object key of (source, shard, seq), relative to the archive root. */
    public ShardObjectKey objectKey(String source, int shard, long seq) {
        return new ShardObjectKey(archivePrefix + "/" + source, shard, seq);
    }

    /** The full URI of an object key. */
    public String objectUri(String key) {
        return archiveRoot + "/" + key;
    }

    /** Reads and validates; throws {@link io.datafabric.common.config.ConfigException}. */
    public static PackerConfig from(Settings s, Map<String, String> env) {
        JdbcSettings des = JdbcSettings.from(s, "des.jdbc", env);
        String archive = s.required("archive.uri");
        if (archive != null) {
            archive = archive.strip();
            while (archive.endsWith("/")) {
                archive = archive.substring(0, archive.length() - 1);
            }
            if (!archive.startsWith("s3://") && !archive.startsWith("file:/")) {
                s.problem("archive.uri=" + archive + " must be an s3:// or file:// URI");
            }
        }
        String prefix = s.string("archive.prefix", "des");
        try {
            new ShardObjectKey(prefix, 0, 0);
        } catch (IllegalArgumentException e) {
            s.problem("archive.prefix: " + e.getMessage());
        }
        int nodeBase = s.intValue("packer.node-id", 0, 0, SnowflakeId.MAX_NODE);
        int nodeSpan = s.intValue("packer.node-span", 16, 1, SnowflakeId.MAX_NODE + 1);
        if (nodeBase + nodeSpan > SnowflakeId.MAX_NODE + 1) {
            s.problem(
                    "packer.node-id + packer.node-span must not exceed "
                            + (SnowflakeId.MAX_NODE + 1)
                            + " (node ids of DES names have 10 bits)");
        }
        int shardBits = s.intValue("packer.shard-bits", 8, 0, 16);
        long target = bytes(s, "packer.target-size", 1L << 30);
        int maxFiles = s.intValue("packer.max-files", 100_000, 1, 10_000_000);
        Duration maxWait = s.duration("packer.max-wait", Duration.ofMinutes(10));
        Duration olderThan = s.duration("packer.older-than", Duration.ofDays(30));
        int batch = s.intValue("packer.batch-size", 1000, 1, 100_000);
        Duration markInterval = s.duration("packer.mark-interval", Duration.ofSeconds(10));
        Duration reconcile = s.duration("packer.reconcile-interval", Duration.ofMinutes(1));
        boolean deleteOriginals = s.bool("packer.delete-originals", false);
        boolean bounded = s.bool(BOUNDED, false);
        int parallelism = s.intValue("packer.parallelism", 1, 1, 1024);
        int markers = s.intValue("packer.marker-parallelism", 1, 1, 1024);
        int maxParallelism = s.intValue("packer.max-parallelism", 128, 1, 32768);
        if (markers > nodeSpan) {
            s.problem(
                    "packer.marker-parallelism="
                            + markers
                            + " needs at least as many node ids: raise packer.node-span");
        }
        if (parallelism > maxParallelism) {
            s.problem("packer.parallelism must not exceed packer.max-parallelism");
        }
        Duration checkpointInterval =
                s.duration("packer.checkpoint-interval", Duration.ofSeconds(30));
        String checkpointDir = s.optional("packer.checkpoint-dir").orElse(null);
        FailurePoint failure = null;
        if (s.has("packer.test.fail-at")) {
            try {
                failure =
                        new FailurePoint(
                                FailurePoint.parsePoint(s.required("packer.test.fail-at")),
                                s.required("packer.test.fail-marker"));
            } catch (IllegalArgumentException e) {
                s.problem("packer.test.fail-at: " + e.getMessage());
            }
        }

        TreeSet<String> names = new TreeSet<>();
        for (String key : s.withPrefix("sources").keySet()) {
            names.add(key.substring(0, key.indexOf('.') < 0 ? key.length() : key.indexOf('.')));
        }
        if (names.isEmpty()) {
            s.problem("no sources configured: add sources.<name>.jdbc.url, .table and .storage");
        }
        List<SourceConfig> sources = new ArrayList<>();
        for (String name : names) {
            if (!SOURCE_NAME.matcher(name).matches()) {
                s.problem(
                        "sources."
                                + name
                                + ": source names must be lower-case letters, digits, - and _");
                continue;
            }
            SourceConfig source = source(s, name, olderThan, env);
            if (source != null) {
                sources.add(source);
            }
        }
        s.validate();
        return new PackerConfig(
                des,
                archive,
                prefix,
                sources,
                nodeBase,
                nodeSpan,
                shardBits,
                target,
                maxFiles,
                maxWait,
                batch,
                markInterval,
                reconcile,
                deleteOriginals,
                bounded,
                parallelism,
                markers,
                maxParallelism,
                checkpointInterval,
                checkpointDir,
                failure);
    }

    private static SourceConfig source(
            Settings s, String name, Duration defaultAge, Map<String, String> env) {
        String p = "sources." + name + ".";
        JdbcSettings jdbc = JdbcSettings.from(s, p + "jdbc", env);
        String table = s.required(p + "table");
        if (table != null) {
            try {
                TableName.parse(table);
            } catch (IllegalArgumentException e) {
                s.problem(p + "table=" + table + ": " + e.getMessage());
            }
        }
        String c = p + "columns.";
        String st = p + "status.";
        String eligible = s.optional(p + "eligible").orElse(null);
        if (eligible != null) {
            try {
                EligibilityFilter.parse(eligible);
            } catch (IllegalArgumentException e) {
                s.problem(p + "eligible: " + e.getMessage());
            }
        }
        MasterContract contract =
                new MasterContract(
                        table,
                        column(s, c + "id", "id"),
                        column(s, c + "path", "path"),
                        column(s, c + "size", "size"),
                        column(s, c + "timestamp", "created_at"),
                        column(s, c + "status", "status"),
                        column(s, c + "des-name", "des_name"),
                        column(s, c + "shard", "shard"),
                        column(s, c + "location", "archive_location"),
                        s.optional(c + "reason").orElse(null),
                        s.string(st + "active", "active"),
                        s.string(st + "marked", "marked"),
                        s.string(st + "packed", "packed"),
                        s.string(st + "failed", "failed"),
                        eligible,
                        s.duration(p + "older-than", defaultAge));
        List<String> statuses =
                List.of(contract.active(), contract.marked(), contract.packed(), contract.failed());
        if (new TreeSet<>(statuses).size() != 4) {
            s.problem(p + "status: active, marked, packed and failed must be four distinct values");
        }
        String root = s.required(p + "storage.root");
        if (root != null && !root.endsWith("/")) {
            root = root + "/";
        }
        if (root != null && !root.startsWith("s3://") && !root.startsWith("file:/")) {
            s.problem(p + "storage.root=" + root + " must be an s3:// or file:// URI");
        }
        String secret = s.string(p + "storage.s3.secret-key", "");
        if (s.has(p + "storage.s3.secret-key-env")) {
            String var = s.optional(p + "storage.s3.secret-key-env").orElseThrow();
            secret = env.getOrDefault(var, null);
            if (secret == null) {
                s.problem(p + "storage.s3.secret-key-env names " + var + " but it is not set");
            }
        } else if (s.has(p + "storage.s3.secret-key-file")) {
            Path file = Path.of(s.optional(p + "storage.s3.secret-key-file").orElseThrow());
            try {
                secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                s.problem(p + "storage.s3.secret-key-file " + file + " cannot be read");
            }
        }
        StorageSettings storage =
                new StorageSettings(
                        root,
                        s.string(p + "storage.s3.endpoint", ""),
                        s.string(p + "storage.s3.access-key", ""),
                        secret,
                        s.string(p + "storage.s3.region", "us-east-1"),
                        s.bool(p + "storage.s3.path-style", true));
        if (jdbc == null || table == null || root == null) {
            return null;
        }
        return new SourceConfig(name, jdbc, contract, storage);
    }

    private static String column(Settings s, String key, String fallback) {
        String value = s.string(key, fallback);
        if (!value.matches("[A-Za-z_][A-Za-z0-9_$]{0,127}")) {
            s.problem(key + "=" + value + " is not a plain column name");
        }
        return value;
    }

    /** A byte size: a whole number with an optional k, m, g or t suffix (powers of 1024). */
    static long bytes(Settings s, String key, long fallback) {
        String raw = s.optional(key).orElse(null);
        if (raw == null) {
            return fallback;
        }
        String t = raw.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t.trim());
            if (v <= 0) {
                s.problem(key + "=" + raw + " must be positive");
                return fallback;
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            s.problem(key + "=" + raw + " is not a size (examples: 64m, 1g)");
            return fallback;
        }
    }
}
