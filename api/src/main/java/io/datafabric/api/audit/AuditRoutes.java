package io.datafabric.api.audit;

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
 * {@code GET /audit?user=&route=&object=&from=&to=&limit=&before=}: the audit trail, newest first,
 * for admins; {@code before} is the id of the last row of the previous page.
 */
public final class AuditRoutes {
    private final DataSource db;
    private final Work work;

    public AuditRoutes(DataSource db, Work work) {
        this.db = db;
        this.work = work;
    }

    public void register(RouteTable routes) {
        routes.add(HandlerType.GET, "/audit", ctx -> work.submit(ctx, this::query), Role.ADMIN);
    }

    private static Instant time(String name, String raw) {
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

    private void query(Context ctx) throws Exception {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT id, at, username, method, route, object, status, request_id FROM"
                                + " api.audit WHERE true");
        List<Object> args = new ArrayList<>();
        String user = ctx.queryParam("user");
        if (user != null) {
            sql.append(" AND username = ?");
            args.add(Names.user("query parameter 'user'", user));
        }
        String route = ctx.queryParam("route");
        if (route != null) {
            if (route.length() > 200) {
                throw ApiError.badRequest("query parameter 'route' is too long");
            }
            sql.append(" AND route = ?");
            args.add(route);
        }
        String object = ctx.queryParam("object");
        if (object != null) {
            if (object.length() > 2000) {
                throw ApiError.badRequest("query parameter 'object' is too long");
            }
            sql.append(" AND object = ?");
            args.add(object);
        }
        if (ctx.queryParam("from") != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(time("from", ctx.queryParam("from"))));
        }
        if (ctx.queryParam("to") != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(time("to", ctx.queryParam("to"))));
        }
        if (ctx.queryParam("before") != null) {
            sql.append(" AND id < ?");
            args.add(Names.longParam("query parameter 'before'", ctx.queryParam("before")));
        }
        int limit = Names.intParam("limit", ctx.queryParam("limit"), 100, 1, 1000);
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("at", rs.getTimestamp(2).toInstant());
                    row.put("user", rs.getString(3));
                    row.put("method", rs.getString(4));
                    row.put("route", rs.getString(5));
                    row.put("object", rs.getString(6));
                    row.put("status", rs.getInt(7));
                    row.put("requestId", rs.getString(8));
                    rows.add(row);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", rows);
        if (rows.size() == limit) {
            out.put("nextBefore", rows.get(rows.size() - 1).get("id"));
        }
        ctx.json(out);
    }
}
