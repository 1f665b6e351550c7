package io.datafabric.usage.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.PostgresDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease of an input in {@code usage.input_leases}, against a real PostgreSQL. */
class InputLeaseITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private static JdbcSettings jdbc;

    @BeforeAll
    static void migrate() {
        jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        Migrations.apply(jdbc, "usage");
    }

    @Test
    void aSecondHolderIsRefusedWithAClearErrorWhileTheFirstHoldsTheLease() throws Exception {
        InputLease first = new InputLease(jdbc, "file:/in/a", "lineage-1", Duration.ofSeconds(30));
        InputLease second = new InputLease(jdbc, "file:/in/a", "lineage-2", Duration.ofMillis(400));
        first.acquire();
        long start = System.nanoTime();
        assertThatThrownBy(second::acquire)
                .isInstanceOf(InputLeasedException.class)
                .hasMessageContaining("file:/in/a")
                .hasMessageContaining("lineage-1")
                .hasMessageContaining("only one deployment may read an input");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("it waited one time to live for the holder to go away")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        first.renew();
        // the same lineage (a restart from a checkpoint or savepoint) takes it at once
        new InputLease(jdbc, "file:/in/a", "lineage-1", Duration.ofSeconds(30)).acquire();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.input_leases WHERE input = 'file:/in/a'"))
                .isEqualTo(1);

        second.release();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.input_leases WHERE input = 'file:/in/a'"))
                .as("only the holder gives a lease up")
                .isEqualTo(1);
        first.release();
        second.acquire();
        assertThatThrownBy(first::renew)
                .as("a holder that lost the lease learns it when renewing")
                .isInstanceOf(InputLeasedException.class);
        second.release();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndOtherInputsAreIndependent() throws Exception {
        InputLease crashed =
                new InputLease(
                        jdbc, "rabbitmq://h:5672/%2F/q", "lineage-3", Duration.ofMillis(300));
        crashed.acquire();
        new InputLease(jdbc, "rabbitmq://h:5672/%2F/other", "lineage-4", Duration.ofSeconds(5))
                .acquire();
        InputLease next =
                new InputLease(jdbc, "rabbitmq://h:5672/%2F/q", "lineage-4", Duration.ofSeconds(5));
        next.acquire();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.input_leases"
                                        + " WHERE input = 'rabbitmq://h:5672/%2F/q'"
                                        + " AND holder = 'lineage-4'"))
                .isEqualTo(1);
        assertThatThrownBy(crashed::renew).isInstanceOf(InputLeasedException.class);
    }

    @Test
    void inputKeysCarryNoCredentialsAndIgnoreTrailingSlashes() {
        assertThat(InputKeys.queue("amqp://user:secret@mq.local/%2F", "files"))
                .isEqualTo("rabbitmq://mq.local:5672/%2F/files");
        assertThat(InputKeys.queue("amqps://u:p@mq.local:5000/prod", "files"))
                .isEqualTo("rabbitmq://mq.local:5000/prod/files");
        assertThat(InputKeys.directory("file:/data/usage/")).isEqualTo("file:/data/usage");
        assertThat(InputKeys.directory("s3://bucket/prefix")).isEqualTo("s3://bucket/prefix");
    }
}
