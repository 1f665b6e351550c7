package io.datafabric.api.usage;

import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Names;
import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import io.datafabric.api.role.Role;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads of the usage-aggregation job's public tables {@code usage.totals} and {@code
 * usage.by_period}.
 */
public final class UsageRoutes {
    static final int MAX_PERIODS = 10_000;

    private final DataSource db;
    private final Work work;

    public UsageRoutes(DataSource db, Work work) {
        this.db = db;
        this.work = work;
    }

    public void register(RouteTable routes) {
        // Before /usage/{consumerId}, so "top" is not taken for an id.
        routes.add(
                HandlerType.GET,
                "/usage/top",
                ctx -> work.submit(ctx, this::top),
                Role.ADMIN,
                Role.READER);
        routes.add(
                HandlerType.GET,
                "/usage/{consumerId}",
                ctx -> work.submit(ctx, this::total),
                Role.ADMIN,
                Role.READER);
        routes.add(
                HandlerType.GET,
                "/usage/{consumerId}/periods",
                ctx -> work.submit(ctx, this::periods),
                Role.ADMIN,
                Role.READER);
    }

    private static long consumerId(Context ctx) {
        String raw = ctx.pathParam("consumerId");
        if (raw.length() > 20 || !raw.matches("-?[0-9]+")) {
            throw ApiError.badRequest(
                    "consumerId must be an integer, not '" + Names.printable(raw) + "'");
        }
        return Names.longParam("consumerId", raw);
    }

    private void total(Context ctx) throws Exception {
        long id = consumerId(ctx);
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT total, updated_at FROM usage.totals WHERE consumer_id ="
                                        + " ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiError.notFound("no usage recorded for consumer " + id);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("consumerId", id);
                out.put("total", rs.getLong(1));
                out.put("updatedAt", rs.getTimestamp(2).toInstant());
                ctx.json(out);
            }
        }
    }

    private void top(Context ctx) throws Exception {
        int limit = Names.intParam("limit", ctx.queryParam("limit"), 10, 1, 1000);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT consumer_id, total, updated_at FROM usage.totals ORDER BY"
                                        + " total DESC, consumer_id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("consumerId", rs.getLong(1));
                    row.put("total", rs.getLong(2));
                    row.put("updatedAt", rs.getTimestamp(3).toInstant());
                    rows.add(row);
                }
            }
        }
        ctx.json(Map.of("top", rows));
    }

    private static Instant instant(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(
                    "query parameter '"
                            + name
                            + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, not '"
                            + Names.printable(raw)
                            + "'");
        }
    }

    private void periods(Context ctx) throws Exception {
        long id = consumerId(ctx);
        Instant from = instant(ctx, "from", Instant.EPOCH);
        Instant to = instant(ctx, "to", Instant.parse("9999-12-31T00:00:00Z"));
        if (!from.isBefore(to)) {
            throw ApiError.badRequest("'from' must be before 'to'");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long sum = 0;
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT period_start, amount FROM usage.by_period WHERE"
                                        + " consumer_id = ? AND period_start >= ? AND period_start"
                                        + " < ? ORDER BY period_start LIMIT ?")) {
            ps.setLong(1, id);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            ps.setInt(4, MAX_PERIODS + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == MAX_PERIODS) {
                        throw ApiError.badRequest(
                                "more than "
                                        + MAX_PERIODS
                                        + " periods in that interval; narrow 'from' and 'to'");
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("periodStart", rs.getTimestamp(1).toInstant());
                    row.put("amount", rs.getLong(2));
                    sum += rs.getLong(2);
                    rows.add(row);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("consumerId", id);
        out.put("from", from);
        out.put("to", to);
        out.put("sum", sum);
        out.put("periods", rows);
        ctx.json(out);
    }
}
