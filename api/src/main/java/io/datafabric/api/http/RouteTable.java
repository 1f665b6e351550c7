package io.datafabric.api.http;

import io.datafabric.api.role.Role;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every route of the service with the roles allowed on it and whether it is audited: the permission
 * matrix in code. Registering through it is the only way routes are added, so the matrix, the
 * openapi test and the audit trail see the same list.
 */
public final class RouteTable {
    /** One route. */
    public record Route(HandlerType method, String path, Set<Role> roles, boolean audited) {}

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Route> byKey = new ConcurrentHashMap<>();

    public RouteTable(Javalin app) {
        this.app = app;
    }

    public void add(HandlerType method, String path, Handler handler, Role... roles) {
        add(method, path, handler, false, roles);
    }

    public void audited(HandlerType method, String path, Handler handler, Role... roles) {
        add(method, path, handler, true, roles);
    }

    private void add(
            HandlerType method, String path, Handler handler, boolean audited, Role... roles) {
        if (roles.length == 0) {
            throw new IllegalArgumentException(method + " " + path + " has no roles");
        }
        Route route = new Route(method, path, EnumSet.of(roles[0], roles), audited);
        routes.add(route);
        byKey.put(method + " " + path, route);
        app.addHttpHandler(method, path, handler, roles);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Route find(HandlerType method, String path) {
        return byKey.get(method + " " + path);
    }
}
