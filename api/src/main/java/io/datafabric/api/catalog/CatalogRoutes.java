package io.datafabric.api.catalog;

import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import javax.sql.DataSource;

/** The replication catalog (in progress). */
public final class CatalogRoutes {
    public CatalogRoutes(DataSource db, Work work, int maxBody) {}

    public void register(RouteTable routes) {}
}
