package io.datafabric.usage.lease;

import io.datafabric.common.jdbc.JdbcSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The lease of one input in {@code usage.input_leases}: only the lineage that holds it reads the
 * input, so two deployments over one directory or queue cannot both count its files. Times are the
 * database's ({@code now()}), so the holders' clocks do not matter.
 *
 * <p>A holder takes the lease when it is free, expired, or already its own (a restart of the same
 * lineage, from a checkpoint or savepoint); it renews it well within the time to live while it runs
 * and gives it up when it stops. A lineage that crashed without giving it up blocks a new lineage
 * for at most one time to live.
 */
public final class InputLease implements AutoCloseable {
    private static final String TAKE =
            "INSERT INTO usage.input_leases AS l (input, holder, acquired_at, renewed_at,"
                    + " expires_at) VALUES (?, ?, now(), now(), now() + ? * interval '1 millisecond')"
                    + " ON CONFLICT (input) DO UPDATE SET holder = excluded.holder,"
                    + " acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at"
                    + " ELSE now() END, renewed_at = now(), expires_at = excluded.expires_at"
                    + " WHERE l.holder = excluded.holder OR l.expires_at < now()"
                    + " RETURNING holder";
    private static final String HOLDER =
            "SELECT holder, expires_at, greatest(0, (extract(epoch FROM expires_at - now())"
                    + " * 1000)::bigint) FROM usage.input_leases WHERE input = ?";
    private static final String RELEASE =
            "DELETE FROM usage.input_leases WHERE input = ? AND holder = ?";

    private final JdbcSettings jdbc;
    private final String input;
    private final String holder;
    private final long ttlMillis;

    /**
     * @param input the input's key, see {@link InputKeys}
     * @param holder the lineage id of the deployment
     * @param ttl how long the lease lasts without renewal
     */
    public InputLease(JdbcSettings jdbc, String input, String holder, Duration ttl) {
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("lease time to live must be positive");
        }
        this.jdbc = jdbc;
        this.input = input;
        this.holder = holder;
        this.ttlMillis = ttl.toMillis();
    }

    public String input() {
        return input;
    }

    /** How often a holder renews: a third of the time to live. */
    public long renewIntervalMillis() {
        return Math.max(1, ttlMillis / 3);
    }

    /**
     * Takes the lease, waiting at most one time to live for a holder that has stopped renewing it.
     *
     * @throws InputLeasedException when another lineage keeps it
     */
    public void acquire() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(ttlMillis).toNanos();
        while (true) {
            Held other = tryTake();
            if (other == null) {
                return;
            }
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                throw new InputLeasedException(input, other.holder(), other.expiresAt());
            }
            // the other holder's lease ends in other.millisLeft() unless it renews it
            Thread.sleep(Math.max(50, Math.min(left, Math.min(other.millisLeft() + 50, 1_000))));
        }
    }

    /**
     * Renews the lease (or takes it again when it lapsed and nobody else took it).
     *
     * @throws InputLeasedException when another lineage took the input over
     */
    public void renew() throws SQLException {
        Held other = tryTake();
        if (other != null) {
            throw new InputLeasedException(input, other.holder(), other.expiresAt());
        }
    }

    /** Gives the lease up, if this lineage still holds it. */
    public void release() throws SQLException {
        try (Connection c = jdbc.connect();
                PreparedStatement st = c.prepareStatement(RELEASE)) {
            st.setString(1, input);
            st.setString(2, holder);
            st.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        release();
    }

    /** Null when taken; else who holds it. */
    private Held tryTake() throws SQLException {
        try (Connection c = jdbc.connect()) {
            c.setAutoCommit(true);
            try (PreparedStatement st = c.prepareStatement(TAKE)) {
                st.setString(1, input);
                st.setString(2, holder);
                st.setLong(3, ttlMillis);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement(HOLDER)) {
                st.setString(1, input);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        // released between the two statements: try again at once
                        return new Held("(released)", "now", 0);
                    }
                    return new Held(rs.getString(1), rs.getString(2), rs.getLong(3));
                }
            }
        }
    }

    private record Held(String holder, String expiresAt, long millisLeft) {}
}
