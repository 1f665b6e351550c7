package io.datafabric.api.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records to {@code api.audit} in batches from one background thread, so a file read
 * does not wait for an insert. Records that cannot be queued (queue full) or written (database
 * down, after retries) are counted ({@code datafabric_api_audit_dropped_total}) and logged with
 * their content, never lost silently.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** One audited request. */
    public record Entry(
            Instant at,
            String username,
            String method,
            String route,
            String object,
            int status,
            String requestId) {}

    private final DataSource db;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(100_000);
    private final Counter written;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;

    public AuditLog(DataSource db, MeterRegistry registry) {
        this.db = db;
        this.written = Counter.builder("datafabric.api.audit.written").register(registry);
        this.dropped = Counter.builder("datafabric.api.audit.dropped").register(registry);
        this.writer = new Thread(this::run, "api-audit");
        writer.setDaemon(true);
        writer.start();
    }

    public void record(Entry e) {
        if (!queue.offer(e)) {
            dropped.increment();
            LOG.error("audit queue full, record not stored: {}", e);
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Entry> batch) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (Connection c = db.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO api.audit (at, username, method, route, object,"
                                            + " status, request_id) VALUES (?, ?, ?, ?, ?, ?,"
                                            + " ?)")) {
                for (Entry e : batch) {
                    ps.setTimestamp(1, Timestamp.from(e.at()));
                    ps.setString(2, e.username());
                    ps.setString(3, e.method());
                    ps.setString(4, e.route());
                    ps.setString(5, e.object());
                    ps.setInt(6, e.status());
                    ps.setString(7, e.requestId());
                    ps.addBatch();
                }
                ps.executeBatch();
                written.increment(batch.size());
                return;
            } catch (SQLException e) {
                LOG.warn("audit write failed (attempt {} of 3): {}", attempt, e.getMessage());
            }
        }
        dropped.increment(batch.size());
        batch.forEach(e -> LOG.error("audit record not stored: {}", e));
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
