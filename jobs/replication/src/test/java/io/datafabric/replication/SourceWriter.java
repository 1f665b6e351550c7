package io.datafabric.replication;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Random;

/**
 * Writes to a PostgreSQL {@code orders(id, customer_id, amount, status, deleted, updated_at)} table
 * in bounded batches: inserts, updates that move rows into and out of slices, soft deletes.
 */
final class SourceWriter implements Runnable {
    static final String DDL =
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, amount"
                    + " numeric(12,2) NOT NULL, status text NOT NULL, deleted boolean NOT NULL"
                    + " DEFAULT false, updated_at timestamp(6) NOT NULL DEFAULT"
                    + " clock_timestamp())";
    private static final String[] STATUSES = {"paid", "shipped", "new", "cancelled"};

    private final String url;
    private final int batches;
    private final int insertsPerBatch;
    private final long pauseMillis;
    private final Random random = new Random(42);
    private long nextId;
    volatile Exception failure;

    SourceWriter(String url, long firstId, int batches, int insertsPerBatch, long pauseMillis) {
        this.url = url;
        this.nextId = firstId;
        this.batches = batches;
        this.insertsPerBatch = insertsPerBatch;
        this.pauseMillis = pauseMillis;
    }

    /** One batch of inserts, updates and soft deletes in one transaction. */
    void batch(Connection c) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ins =
                        c.prepareStatement(
                                "INSERT INTO orders(id, customer_id, amount, status) VALUES (?, ?,"
                                        + " ?, ?)");
                PreparedStatement upd =
                        c.prepareStatement(
                                "UPDATE orders SET amount = ?, status = ?, updated_at ="
                                        + " clock_timestamp() WHERE id = ?");
                PreparedStatement del =
                        c.prepareStatement(
                                "UPDATE orders SET deleted = true, updated_at = clock_timestamp()"
                                        + " WHERE id = ?")) {
            for (int i = 0; i < insertsPerBatch; i++) {
                ins.setLong(1, nextId++);
                ins.setLong(2, random.nextInt(50));
                ins.setBigDecimal(
                        3, new java.math.BigDecimal(random.nextInt(50_000)).movePointLeft(2));
                ins.setString(4, STATUSES[random.nextInt(STATUSES.length)]);
                ins.addBatch();
            }
            ins.executeBatch();
            for (int i = 0; i < insertsPerBatch / 2 && nextId > 1; i++) {
                upd.setBigDecimal(
                        1, new java.math.BigDecimal(random.nextInt(50_000)).movePointLeft(2));
                upd.setString(2, STATUSES[random.nextInt(STATUSES.length)]);
                upd.setLong(
                        3,
                        1 + (long) random.nextInt((int) Math.min(nextId - 1, Integer.MAX_VALUE)));
                upd.addBatch();
            }
            upd.executeBatch();
            for (int i = 0; i < insertsPerBatch / 10 && nextId > 1; i++) {
                del.setLong(
                        1,
                        1 + (long) random.nextInt((int) Math.min(nextId - 1, Integer.MAX_VALUE)));
                del.addBatch();
            }
            del.executeBatch();
            c.commit();
        }
    }

    @Override
    public void run() {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            for (int b = 0; b < batches; b++) {
                batch(c);
                Thread.sleep(pauseMillis);
            }
        } catch (Exception e) {
            failure = e;
        }
    }
}
