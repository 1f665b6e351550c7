package io.datafabric.api.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datafabric.api.http.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Name to {@link FileLocation}: the DES metadata index, cached. The first level is a Caffeine cache
 * in this process; the optional second level is Redis, shared by every instance, so a scaled-out
 * deployment reads a file's metadata from PostgreSQL once, not once per instance. A miss in both
 * reads {@code des.files} joined with its complete shard in {@code des.shards}.
 *
 * <p>Unknown names are not cached (a file packed a moment later is found at once).
 */
public final class FileLocator {
    private static final Logger LOG = LoggerFactory.getLogger(FileLocator.class);

    private final DataSource db;
    private final Cache<String, FileLocation> local;
    private final SharedIndexCache shared;
    private final Counter dbLoads;
    private final Counter sharedHits;

    public FileLocator(
            DataSource db,
            long maxEntries,
            Duration ttl,
            SharedIndexCache shared,
            MeterRegistry registry) {
        this.db = db;
        this.shared = shared;
        this.local =
                Caffeine.newBuilder()
                        .maximumSize(maxEntries)
                        .expireAfterWrite(ttl)
                        .recordStats()
                        .build();
        CaffeineCacheMetrics.monitor(registry, local, "datafabric.api.index");
        this.dbLoads = Counter.builder("datafabric.api.index.db.loads").register(registry);
        this.sharedHits = Counter.builder("datafabric.api.index.shared.hits").register(registry);
    }

    public Optional<FileLocation> find(String name) throws SQLException {
        FileLocation hit = local.getIfPresent(name);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<String> json = shared.get(name);
        if (json.isPresent()) {
            try {
                FileLocation loc = Json.MAPPER.readValue(json.get(), FileLocation.class);
                sharedHits.increment();
                local.put(name, loc);
                return Optional.of(loc);
            } catch (JsonProcessingException e) {
                LOG.warn(
                        "ignoring unreadable shared cache entry for '{}': {}",
                        name,
                        e.getMessage());
            }
        }
        Optional<FileLocation> loaded = load(name);
        loaded.ifPresent(
                loc -> {
                    local.put(name, loc);
                    shared.put(name, Json.write(loc));
                });
        return loaded;
    }

    /** Forgets a name everywhere (its object was found missing: it was repacked or deleted). */
    public void invalidate(String name) {
        local.invalidate(name);
        shared.remove(name);
    }

    private Optional<FileLocation> load(String name) throws SQLException {
        dbLoads.increment();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT f.object_key, f.\"offset\", f.length, f.checksum,"
                                        + " f.content_type FROM des.files f JOIN des.shards s ON"
                                        + " s.object_key = f.object_key WHERE f.name = ? AND"
                                        + " s.status = 'complete'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new FileLocation(
                                name,
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5)));
            }
        }
    }
}
