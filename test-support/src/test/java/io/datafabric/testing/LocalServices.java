package io.datafabric.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where the real services used by the tests live, and the one failure message for an absent one.
 *
 * <p>Every address can be overridden by an environment variable ({@code DF_TEST_PG_PORT} and so
 * on); the defaults are the ones {@code scripts/services} sets up.
 */
public final class LocalServices {
    public static final String HOST = env("DF_TEST_HOST", "127.0.0.1");
    public static final int PG_PORT = Integer.parseInt(env("DF_TEST_PG_PORT", "5432"));
    public static final String PG_USER = env("DF_TEST_PG_USER", "postgres");
    public static final int MARIADB_PORT = Integer.parseInt(env("DF_TEST_MARIADB_PORT", "3306"));
    public static final String MARIADB_USER = env("DF_TEST_MARIADB_USER", "root");
    public static final int RABBITMQ_PORT = Integer.parseInt(env("DF_TEST_RABBITMQ_PORT", "5672"));
    public static final String RABBITMQ_USER = env("DF_TEST_RABBITMQ_USER", "guest");
    public static final String RABBITMQ_PASSWORD = env("DF_TEST_RABBITMQ_PASSWORD", "guest");

    private LocalServices() {}

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Fails (never skips) when nothing listens on the service's port. */
    public static void requireReachable(String service, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 2_000);
        } catch (IOException e) {
            throw unavailable(service, port, e);
        }
    }

    public static IllegalStateException unavailable(String service, int port, Exception cause) {
        return new IllegalStateException(
                service
                        + " is not reachable at "
                        + HOST
                        + ":"
                        + port
                        + " ("
                        + cause.getMessage()
                        + "). The tests need the real service: run scripts/services to install"
                        + " and start it.",
                cause);
    }

    /**
     * A database, queue or bucket name unique to this test run: prefix, a test hint and a random
     * part.
     */
    public static String uniqueName(String prefix, String hint) {
        String cleaned = hint.toLowerCase().replaceAll("[^a-z0-9]", "");
        if (cleaned.length() > 20) {
            cleaned = cleaned.substring(cleaned.length() - 20);
        }
        String random = Long.toString(Math.abs(new java.util.Random().nextLong()), 36);
        if (random.length() > 8) {
            random = random.substring(0, 8);
        }
        return prefix + "_" + cleaned + "_" + random;
    }
}
