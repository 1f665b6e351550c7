package io.datafabric.common.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationsITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @Test
    void migrationsLandInTheirOwnSchemaWithTheirOwnHistoryAndRunOnce() throws Exception {
        JdbcSettings jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        assertThat(Migrations.apply(jdbc, "smoketest").migrationsExecuted).isEqualTo(2);
        assertThat(Migrations.apply(jdbc, "smoketest").migrationsExecuted).isZero();

        assertThat(PG.queryLong("SELECT count(*) FROM smoketest.things")).isEqualTo(2);
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM smoketest.flyway_schema_history WHERE success"
                                        + " AND type = 'SQL'"))
                .isEqualTo(2);
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema ="
                                        + " 'public' AND table_name = 'things'"))
                .isZero();
    }
}
