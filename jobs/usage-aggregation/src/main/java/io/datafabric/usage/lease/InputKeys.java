package io.datafabric.usage.lease;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The key of an input in {@code usage.input_leases} and {@code usage.notified_files}: the qualified
 * directory URI, or {@code rabbitmq://host:port/vhost/queue} for a queue (credentials never part of
 * it).
 */
public final class InputKeys {
    private InputKeys() {}

    /** A qualified directory URI, without a trailing slash. */
    public static String directory(String qualifiedUri) {
        String s = qualifiedUri;
        while (s.endsWith("/") && !s.endsWith(":///") && !s.endsWith("://")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The queue of an AMQP URI, without user or password. */
    public static String queue(String amqpUri, String queue) {
        try {
            URI uri = new URI(amqpUri);
            boolean tls = "amqps".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 5671 : 5672);
            String rawPath = uri.getRawPath();
            String vhost =
                    rawPath == null || rawPath.isEmpty() || rawPath.equals("/")
                            ? "/"
                            : URLDecoder.decode(rawPath.substring(1), StandardCharsets.UTF_8);
            return "rabbitmq://"
                    + uri.getHost()
                    + ":"
                    + port
                    + "/"
                    + java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8)
                    + "/"
                    + queue;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid AMQP URI", e);
        }
    }
}
