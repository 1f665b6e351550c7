package io.datafabric.common.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies a part's Flyway migrations into that part's own schema ({@code usage}, {@code drms},
 * {@code des}); each schema keeps its own history table, so parts migrate independently.
 *
 * <p>Migrations of a schema live on the classpath at {@code db/migration/<schema>}.
 */
public final class Migrations {
    private Migrations() {}

    public static MigrateResult apply(JdbcSettings jdbc, String schema) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:db/migration/" + schema)
                .load()
                .migrate();
    }
}
