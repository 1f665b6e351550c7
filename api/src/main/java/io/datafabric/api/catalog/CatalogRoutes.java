package io.datafabric.api.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datafabric.api.auth.Access;
import io.datafabric.api.auth.Principal;
import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Json;
import io.datafabric.api.http.Names;
import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import io.datafabric.api.role.Role;
import io.datafabric.drms.control.Catalog;
import io.datafabric.drms.control.CatalogEntry;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.DatasetInUseException;
import io.datafabric.drms.control.GraphVersion;
import io.datafabric.drms.control.JdbcSchemaLookup;
import io.datafabric.drms.control.TaskEntry;
import io.datafabric.drms.graph.ColumnShape;
import io.datafabric.drms.graph.ConnectionSpec;
import io.datafabric.drms.graph.Dataset;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphValidationException;
import io.datafabric.drms.graph.SchemaLookup;
import io.datafabric.drms.graph.SliceDataset;
import io.datafabric.drms.graph.TableDataset;
import io.datafabric.drms.graph.TableShape;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The replication catalog over drms-core's {@link ControlPlane}: datasets, consumers, approval,
 * task history, plus dataset grants (which consumer-role users see which datasets) and connections.
 * Every change goes through {@link Catalog}, which validates the whole edited graph with the graph
 * library (structure, cycles, and tables and columns against the databases through {@link
 * JdbcSchemaLookup}) and writes it as a new graph version; an invalid change is 422 with every
 * problem.
 */
public final class CatalogRoutes {
    static final Set<String> TABLE_KEYS =
            Set.of("name", "connection", "table", "cursor", "soft-delete", "description");
    static final Set<String> SLICE_KEYS =
            Set.of("name", "parent", "columns", "filter", "description");
    static final Set<String> ALL_DATASET_KEYS =
            Set.of(
                    "name",
                    "connection",
                    "table",
                    "cursor",
                    "soft-delete",
                    "parent",
                    "columns",
                    "filter",
                    "description");
    static final Set<String> CONSUMER_KEYS =
            Set.of("name", "target", "columns", "filter", "schedule", "mode", "description");
    static final Set<String> RULE_KEYS =
            Set.of("target", "columns", "filter", "schedule", "mode", "description");
    static final Set<String> CONNECTION_KEYS =
            Set.of("dialect", "url", "user", "password-env", "description");

    /** Who sees a dataset: everyone but consumer-role users, who see what is granted to them. */
    private static final Role[] CATALOG_READERS = {
        Role.ADMIN, Role.PUBLISHER, Role.APPROVER, Role.CONSUMER
    };

    private final ControlPlane plane;
    private final Grants grants;
    private final Work work;
    private final int maxBody;
    private final SchemaLookup lookup;
    private final long listingTtlNanos;
    private volatile Listing listing;

    /** The dataset list with descriptions, kept for {@code api.catalog.cache-ttl}. */
    private record Listing(
            long at, List<CatalogEntry> datasets, Map<String, String> descriptions) {}

    public CatalogRoutes(
            ControlPlane plane,
            Grants grants,
            Work work,
            int maxBody,
            SchemaLookup lookup,
            java.time.Duration listingTtl) {
        this.listingTtlNanos = listingTtl.toNanos();
        this.plane = plane;
        this.grants = grants;
        this.work = work;
        this.maxBody = maxBody;
        this.lookup = lookup;
    }

    /** The catalog on the api's pool, introspecting databases with the process environment. */
    public static CatalogRoutes on(
            io.datafabric.common.jdbc.JdbcSettings jdbc,
            DataSource db,
            Work work,
            int maxBody,
            java.time.Duration listingTtl) {
        return new CatalogRoutes(
                new ControlPlane(jdbc, db::getConnection),
                new Grants(db),
                work,
                maxBody,
                new JdbcSchemaLookup(System.getenv()),
                listingTtl);
    }

    /**
     * The dataset list, re-read at most once per TTL: GET /datasets is the hot catalog read, and
     * the catalog changes rarely. Changes made through this instance drop it at once; other
     * instances' changes show within the TTL.
     */
    private Listing listing() throws Exception {
        Listing l = listing;
        long now = System.nanoTime();
        if (l != null && now - l.at() < listingTtlNanos) {
            return l;
        }
        l = new Listing(now, plane.catalog().datasets(), grants.descriptions());
        if (listingTtlNanos > 0) {
            listing = l;
        }
        return l;
    }

    public void register(RouteTable routes) {
        routes.add(HandlerType.GET, "/datasets", async(this::listDatasets), CATALOG_READERS);
        routes.audited(
                HandlerType.POST, "/datasets", async(this::publish), Role.ADMIN, Role.PUBLISHER);
        routes.add(HandlerType.GET, "/datasets/{id}", async(this::getDataset), CATALOG_READERS);
        routes.audited(
                HandlerType.DELETE,
                "/datasets/{id}",
                async(this::deleteDataset),
                Role.ADMIN,
                Role.PUBLISHER);
        routes.add(
                HandlerType.GET,
                "/datasets/{id}/consumers",
                async(this::consumersOf),
                CATALOG_READERS);
        routes.audited(
                HandlerType.POST,
                "/datasets/{id}/consumers",
                async(this::register),
                Role.ADMIN,
                Role.CONSUMER);
        routes.add(
                HandlerType.GET,
                "/datasets/{id}/grants",
                async(this::listGrants),
                Role.ADMIN,
                Role.PUBLISHER);
        routes.audited(
                HandlerType.POST,
                "/datasets/{id}/grants",
                async(this::grant),
                Role.ADMIN,
                Role.PUBLISHER);
        routes.audited(
                HandlerType.DELETE,
                "/datasets/{id}/grants/{grantee}",
                async(this::revoke),
                Role.ADMIN,
                Role.PUBLISHER);
        routes.add(HandlerType.GET, "/consumers/{id}", async(this::getConsumer), CATALOG_READERS);
        routes.audited(
                HandlerType.DELETE,
                "/consumers/{id}",
                async(this::deleteConsumer),
                Role.ADMIN,
                Role.CONSUMER);
        routes.audited(
                HandlerType.PUT,
                "/consumers/{id}/rules",
                async(this::setRules),
                Role.ADMIN,
                Role.CONSUMER);
        routes.audited(
                HandlerType.POST,
                "/consumers/{id}/approve",
                async(ctx -> decide(ctx, true)),
                Role.ADMIN,
                Role.APPROVER);
        routes.audited(
                HandlerType.POST,
                "/consumers/{id}/reject",
                async(ctx -> decide(ctx, false)),
                Role.ADMIN,
                Role.APPROVER);
        routes.add(HandlerType.GET, "/consumers/{id}/tasks", async(this::tasks), CATALOG_READERS);
        routes.add(
                HandlerType.GET,
                "/connections",
                async(this::listConnections),
                Role.ADMIN,
                Role.PUBLISHER);
        routes.audited(
                HandlerType.PUT, "/connections/{id}", async(this::putConnection), Role.ADMIN);
    }

    private io.javalin.http.Handler async(Work.Task task) {
        return ctx -> work.submit(ctx, task);
    }

    // ---- visibility ----

    private boolean seesAll(Principal p) {
        return p.isAdmin() || p.has(Role.PUBLISHER) || p.has(Role.APPROVER);
    }

    /** The dataset if the caller may see it; 404 otherwise (not 403: existence is not leaked). */
    private CatalogEntry visibleDataset(Context ctx, String name) throws Exception {
        Principal p = Access.principal(ctx);
        Optional<CatalogEntry> d = plane.catalog().dataset(name);
        if (d.isEmpty() || (!seesAll(p) && !grants.granted(name, p.username()))) {
            throw ApiError.notFound("no dataset '" + name + "'");
        }
        return d.get();
    }

    private CatalogEntry visibleConsumer(Context ctx, String name) throws Exception {
        Principal p = Access.principal(ctx);
        Optional<CatalogEntry> c = plane.catalog().consumer(name);
        if (c.isEmpty()) {
            throw ApiError.notFound("no consumer '" + name + "'");
        }
        if (!seesAll(p) && !p.username().equals(grants.ownerOf(name).orElse(null))) {
            throw ApiError.notFound("no consumer '" + name + "'");
        }
        return c.get();
    }

    /** Consumer-role users change only the consumers they registered. */
    private void requireOwner(Context ctx, String consumer) throws Exception {
        Principal p = Access.principal(ctx);
        if (p.isAdmin()) {
            return;
        }
        if (!p.username().equals(grants.ownerOf(consumer).orElse(null))) {
            throw ApiError.forbidden("consumer '" + consumer + "' was registered by another user");
        }
    }

    // ---- datasets ----

    private void listDatasets(Context ctx) throws Exception {
        Principal p = Access.principal(ctx);
        int limit = Names.intParam("limit", ctx.queryParam("limit"), 50, 1, 500);
        String after = ctx.queryParam("after");
        if (after != null) {
            Names.catalog("query parameter 'after'", after);
        }
        String filter = ctx.queryParam("name");
        if (filter != null) {
            if (filter.length() > 63 || !filter.matches("[A-Za-z0-9_]*")) {
                throw ApiError.badRequest(
                        "query parameter 'name' must be up to 63 letters, digits or _ (a part of"
                                + " the dataset name)");
            }
            filter = filter.toLowerCase(Locale.ROOT);
        }
        Set<String> granted = seesAll(p) ? null : grants.grantedTo(p.username());
        Listing all = listing();
        Map<String, String> descriptions = all.descriptions();
        List<Map<String, Object>> page = new ArrayList<>();
        String next = null;
        for (CatalogEntry d : all.datasets()) {
            if (after != null && d.name().compareTo(after) <= 0) {
                continue;
            }
            if (filter != null && !d.name().toLowerCase(Locale.ROOT).contains(filter)) {
                continue;
            }
            if (granted != null && !granted.contains(d.name())) {
                continue;
            }
            if (page.size() == limit) {
                next = (String) page.get(page.size() - 1).get("name");
                break;
            }
            page.add(summary(d, descriptions.get(d.name())));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("datasets", page);
        out.put("next", next);
        ctx.json(out);
    }

    private static Map<String, Object> summary(CatalogEntry d, String description) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("kind", d.kind());
        if (d.dataset() != null) {
            out.put("parent", d.dataset());
        }
        JsonNode inSpec = d.spec().get("description");
        out.put(
                "description",
                description != null ? description : inSpec == null ? "" : inSpec.asText());
        out.put("version", d.version());
        out.put("updatedAt", d.updatedAt());
        return out;
    }

    private void getDataset(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        CatalogEntry d = visibleDataset(ctx, name);
        Map<String, Object> out = summary(d, grants.description(name).orElse(null));
        out.put("spec", d.spec());
        DatasetGraph graph = plane.versions().current().graph();
        try {
            out.put("structure", structure(graph, name));
        } catch (SchemaLookup.SchemaLookupException e) {
            out.put("structure", null);
            out.put("structureError", "its database could not be introspected: " + e.getMessage());
        }
        ctx.json(out);
    }

    /** Columns, types and primary key of a dataset: its root table's, projected by its slices. */
    private Map<String, Object> structure(DatasetGraph graph, String name)
            throws SchemaLookup.SchemaLookupException {
        List<Dataset> chain = graph.lineage(name);
        if (chain.isEmpty() || !(chain.get(0) instanceof TableDataset root)) {
            return null;
        }
        ConnectionSpec conn = graph.connections().get(root.connection());
        if (conn == null) {
            return null;
        }
        Optional<TableShape> shape = lookup.describe(conn, root.table());
        if (shape.isEmpty()) {
            Map<String, Object> missing = new LinkedHashMap<>();
            missing.put("table", root.table());
            missing.put("missing", true);
            return missing;
        }
        TableShape s = shape.get();
        for (Dataset d : chain) {
            if (d instanceof SliceDataset slice) {
                s = s.project(slice.columns());
            }
        }
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnShape c : s.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.name());
            col.put("type", c.sqlType());
            col.put("family", c.family().name().toLowerCase(Locale.ROOT));
            col.put("nullable", c.nullable());
            columns.add(col);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection", root.connection());
        out.put("table", root.table());
        out.put("columns", columns);
        out.put("primaryKey", s.primaryKey());
        return out;
    }

    /** A JSON object body whose keys are all in {@code allowed}. */
    private ObjectNode objectBody(Context ctx, Set<String> allowed) {
        JsonNode body = Json.body(ctx, JsonNode.class, maxBody);
        if (!(body instanceof ObjectNode o)) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw ApiError.badRequest(
                        "unknown field '"
                                + Names.printable(key)
                                + "' (known: "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            }
        }
        return o;
    }

    private static String nameField(ObjectNode body, String what) {
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            throw ApiError.badRequest("field 'name' is required");
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("field 'name' must be a string");
        }
        return Names.catalog(what + " name", name.asText());
    }

    private static ApiError invalid(GraphValidationException e) {
        return ApiError.unprocessable(
                "the change would make the replication graph invalid ("
                        + e.problems().size()
                        + (e.problems().size() == 1 ? " problem)" : " problems)"),
                e.problems().stream().map(Object::toString).toList());
    }

    private void publish(Context ctx) throws Exception {
        ObjectNode body = objectBody(ctx, ALL_DATASET_KEYS);
        boolean slice = body.has("parent");
        body = check(body, slice ? SLICE_KEYS : TABLE_KEYS);
        String name = nameField(body, "dataset");
        ctx.attribute("audit.object", "dataset " + name);
        if (plane.catalog().dataset(name).isPresent()) {
            throw ApiError.conflict("dataset '" + name + "' exists");
        }
        ObjectNode spec = body.deepCopy();
        spec.remove("name");
        JsonNode description = spec.get("description");
        if (description != null
                && (!description.isTextual() || description.asText().length() > 2000)) {
            throw ApiError.badRequest(
                    "field 'description' must be a string of at most 2000 characters");
        }
        Principal p = Access.principal(ctx);
        GraphVersion v;
        try {
            v = plane.catalog().upsertDataset(name, spec, p.username(), lookup);
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        String text = description == null ? "" : description.asText();
        grants.describe(name, text, p.username());
        listing = null;
        Map<String, Object> out = summary(plane.catalog().dataset(name).orElseThrow(), text);
        out.put("graphVersion", v.version());
        ctx.status(201).header("Location", "/datasets/" + name).json(out);
    }

    /** Checks keys after the body was read with every key allowed. */
    private static ObjectNode check(ObjectNode o, Set<String> allowed) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw ApiError.badRequest(
                        "unknown field '"
                                + Names.printable(key)
                                + "' (known: "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            }
        }
        return o;
    }

    private void deleteDataset(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        ctx.attribute("audit.object", "dataset " + name);
        try {
            if (plane.catalog().deleteDataset(name, Access.principal(ctx).username()).isEmpty()) {
                throw ApiError.notFound("no dataset '" + name + "'");
            }
        } catch (DatasetInUseException e) {
            throw new ApiError(409, "conflict", e.getMessage(), e.dependents());
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        grants.forgetDataset(name);
        listing = null;
        ctx.status(204);
    }

    // ---- consumers ----

    private void consumersOf(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        visibleDataset(ctx, name);
        Principal p = Access.principal(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (CatalogEntry c : plane.catalog().consumersOf(name)) {
            if (seesAll(p) || p.username().equals(grants.ownerOf(c.name()).orElse(null))) {
                out.add(consumerView(c));
            }
        }
        ctx.json(Map.of("dataset", name, "consumers", out));
    }

    private Map<String, Object> consumerView(CatalogEntry c) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("dataset", c.dataset());
        out.put("status", c.status());
        out.put("spec", c.spec());
        out.put("owner", grants.ownerOf(c.name()).orElse(null));
        out.put("version", c.version());
        out.put("updatedAt", c.updatedAt());
        out.put("statusChangedBy", c.statusChangedBy());
        out.put("statusChangedAt", c.statusChangedAt());
        return out;
    }

    private void register(Context ctx) throws Exception {
        String dataset = Names.catalog("dataset id", ctx.pathParam("id"));
        ObjectNode body = objectBody(ctx, CONSUMER_KEYS);
        String name = nameField(body, "consumer");
        ctx.attribute("audit.object", "consumer " + name + " of " + dataset);
        visibleDataset(ctx, dataset);
        if (plane.catalog().consumer(name).isPresent()) {
            throw ApiError.conflict("consumer '" + name + "' exists");
        }
        ObjectNode spec = body.deepCopy();
        spec.remove("name");
        spec.put("dataset", dataset);
        Principal p = Access.principal(ctx);
        GraphVersion v;
        try {
            v = plane.catalog().upsertConsumer(name, spec, p.username(), lookup);
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        grants.setOwner(name, p.username());
        Map<String, Object> out = consumerView(plane.catalog().consumer(name).orElseThrow());
        out.put("graphVersion", v.version());
        ctx.status(201).header("Location", "/consumers/" + name).json(out);
    }

    private void getConsumer(Context ctx) throws Exception {
        String name = Names.catalog("consumer id", ctx.pathParam("id"));
        ctx.json(consumerView(visibleConsumer(ctx, name)));
    }

    private void deleteConsumer(Context ctx) throws Exception {
        String name = Names.catalog("consumer id", ctx.pathParam("id"));
        ctx.attribute("audit.object", "consumer " + name);
        visibleConsumer(ctx, name);
        requireOwner(ctx, name);
        try {
            if (plane.catalog().deleteConsumer(name, Access.principal(ctx).username()).isEmpty()) {
                throw ApiError.notFound("no consumer '" + name + "'");
            }
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        grants.forgetConsumer(name);
        ctx.status(204);
    }

    private void setRules(Context ctx) throws Exception {
        String name = Names.catalog("consumer id", ctx.pathParam("id"));
        ctx.attribute("audit.object", "consumer " + name);
        ObjectNode body = objectBody(ctx, RULE_KEYS);
        CatalogEntry existing = visibleConsumer(ctx, name);
        requireOwner(ctx, name);
        ObjectNode spec = body.deepCopy();
        spec.put("dataset", existing.dataset());
        if (!spec.has("target") && existing.spec().has("target")) {
            spec.set("target", existing.spec().get("target"));
        }
        GraphVersion v;
        try {
            v =
                    plane.catalog()
                            .upsertConsumer(name, spec, Access.principal(ctx).username(), lookup);
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        Map<String, Object> out = consumerView(plane.catalog().consumer(name).orElseThrow());
        out.put("graphVersion", v.version());
        ctx.json(out);
    }

    private void decide(Context ctx, boolean approve) throws Exception {
        String name = Names.catalog("consumer id", ctx.pathParam("id"));
        ctx.attribute("audit.object", "consumer " + name);
        String by = Access.principal(ctx).username();
        boolean found =
                approve ? plane.catalog().approve(name, by) : plane.catalog().reject(name, by);
        if (!found) {
            throw ApiError.notFound("no consumer '" + name + "'");
        }
        ctx.json(consumerView(plane.catalog().consumer(name).orElseThrow()));
    }

    private void tasks(Context ctx) throws Exception {
        String name = Names.catalog("consumer id", ctx.pathParam("id"));
        visibleConsumer(ctx, name);
        int limit = Names.intParam("limit", ctx.queryParam("limit"), 50, 1, 1000);
        List<Map<String, Object>> out = new ArrayList<>();
        for (TaskEntry t : plane.tasks().ofConsumer(name, limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", t.id());
            row.put("startedAt", t.startedAt());
            row.put("finishedAt", t.finishedAt());
            row.put("status", t.status());
            row.put("kind", t.kind());
            row.put("rows", t.rows());
            row.put("cursorFrom", t.cursorFrom());
            row.put("cursorTo", t.cursorTo());
            row.put("checksum", t.checksum());
            row.put("attempt", t.attempt());
            row.put("error", t.error());
            row.put("runId", t.runId());
            row.put("converged", t.converged());
            out.add(row);
        }
        ctx.json(Map.of("consumer", name, "tasks", out));
    }

    // ---- grants ----

    /** {@code POST /datasets/{id}/grants} body. */
    public record GrantRequest(String username) {}

    private void listGrants(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        visibleDataset(ctx, name);
        ctx.json(Map.of("dataset", name, "users", grants.usersOf(name)));
    }

    private void grant(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        GrantRequest req = Json.body(ctx, GrantRequest.class, maxBody);
        String user = Names.user("field 'username'", req.username());
        ctx.attribute("audit.object", "dataset " + name + " to " + user);
        visibleDataset(ctx, name);
        if (!grants.grant(name, user, Access.principal(ctx).username())) {
            throw ApiError.notFound("no user '" + user + "'");
        }
        ctx.status(201).json(Map.of("dataset", name, "username", user));
    }

    private void revoke(Context ctx) throws Exception {
        String name = Names.catalog("dataset id", ctx.pathParam("id"));
        String user = Names.user("grantee", ctx.pathParam("grantee"));
        ctx.attribute("audit.object", "dataset " + name + " from " + user);
        if (!grants.revoke(name, user)) {
            throw ApiError.notFound("dataset '" + name + "' is not granted to '" + user + "'");
        }
        ctx.status(204);
    }

    // ---- connections ----

    private void listConnections(Context ctx) throws Exception {
        DatasetGraph graph = plane.versions().current().graph();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionSpec c : graph.connections().values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("dialect", c.dialect());
            row.put("url", c.url());
            row.put("user", c.user());
            row.put("passwordEnv", c.passwordEnv());
            out.add(row);
        }
        ctx.json(Map.of("connections", out));
    }

    private void putConnection(Context ctx) throws Exception {
        String name = Names.catalog("connection id", ctx.pathParam("id"));
        ctx.attribute("audit.object", "connection " + name);
        ObjectNode spec = objectBody(ctx, CONNECTION_KEYS);
        GraphVersion v;
        try {
            v = plane.catalog().upsertConnection(name, spec, Access.principal(ctx).username());
        } catch (GraphValidationException e) {
            throw invalid(e);
        }
        ctx.json(Map.of("name", name, "graphVersion", v.version()));
    }
}
