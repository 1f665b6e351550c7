package io.datafabric.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The extensions give fresh, isolated resources, remove them afterwards, and fail loudly. */
class ServiceExtensionsITCase {

    private static boolean postgresDatabaseExists(String name) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:postgresql://127.0.0.1:"
                                        + LocalServices.PG_PORT
                                        + "/postgres",
                                LocalServices.PG_USER,
                                "");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*) FROM pg_database WHERE datname = '"
                                        + name
                                        + "'")) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }

    @Test
    void postgresDatabaseIsFreshAndDroppedAfterwards() throws Exception {
        PostgresDatabase a = new PostgresDatabase().create("ext");
        PostgresDatabase b = new PostgresDatabase().create("ext");
        try {
            assertThat(a.databaseName()).isNotEqualTo(b.databaseName());
            a.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            a.execute("INSERT INTO t VALUES (1), (2)");
            assertThat(a.queryLong("SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(b.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 't'"))
                    .isZero();
        } finally {
            String name = a.databaseName();
            a.drop();
            b.drop();
            assertThat(postgresDatabaseExists(name)).isFalse();
        }
    }

    @Test
    void mariaDbDatabaseIsFreshAndDroppedAfterwards() throws Exception {
        MariaDbDatabase db = new MariaDbDatabase().create("ext");
        String name = db.databaseName();
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        db.execute("INSERT INTO t VALUES (1), (2), (3)");
        assertThat(db.queryLong("SELECT count(*) FROM t")).isEqualTo(3);
        db.drop();
        MariaDbDatabase other = new MariaDbDatabase().create("ext");
        try {
            assertThat(
                            other.queryLong(
                                    "SELECT count(*) FROM information_schema.schemata WHERE"
                                            + " schema_name = '"
                                            + name
                                            + "'"))
                    .isZero();
        } finally {
            other.drop();
        }
    }

    @Test
    void rabbitMqQueuesAreUniqueAndDeletedAfterwards() throws Exception {
        RabbitMqBroker broker = new RabbitMqBroker().open();
        String q1 = broker.newQueue("ext");
        String q2 = broker.newQueue("ext");
        assertThat(q1).isNotEqualTo(q2);
        try (var channel = broker.channel()) {
            channel.basicPublish("", q1, null, "hello".getBytes());
        }
        org.awaitility.Awaitility.await().until(() -> broker.messageCount(q1) == 1);
        assertThat(broker.messageCount(q2)).isZero();
        broker.close();

        RabbitMqBroker again = new RabbitMqBroker().open();
        try {
            // A passive declare of a missing queue closes the channel with 404 NOT_FOUND.
            var channel = again.channel();
            assertThatThrownBy(() -> channel.queueDeclarePassive(q1))
                    .isInstanceOf(java.io.IOException.class)
                    .hasStackTraceContaining("NOT_FOUND");
        } finally {
            again.close();
        }
    }

    @Test
    void anUnreachableServiceFailsWithAMessageNamingScriptsServices() {
        assertThatThrownBy(() -> LocalServices.requireReachable("PostgreSQL", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL is not reachable at 127.0.0.1:1")
                .hasMessageContaining("scripts/services");
    }
}
