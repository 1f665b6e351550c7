package io.datafabric.replication.events;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The {@code drms.events} topic exchange. The Flink RabbitMQ sink publishes to an exchange but does
 * not declare it, so the job declares it (durable, topic; idempotent) before it starts.
 */
public final class EventExchange {
    private EventExchange() {}

    /** Declares the durable topic exchange {@code exchange} at {@code uri} if it is missing. */
    public static void declare(String uri, String exchange) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        try (Connection c = f.newConnection("drms-setup");
                Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
        }
    }
}
