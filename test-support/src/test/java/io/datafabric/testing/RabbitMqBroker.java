package io.datafabric.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local RabbitMQ broker for one test class: uniquely named queues and exchanges, deleted
 * afterwards.
 *
 * <p>Queues are declared durable, non-exclusive and non-auto-delete, the way Flink's {@code
 * RMQSource} declares them, so a source may re-declare them without a conflict.
 */
public final class RabbitMqBroker implements BeforeAllCallback, AfterAllCallback {
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private Connection connection;
    private String hint = "test";

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, TimeoutException {
        hint = context.getRequiredTestClass().getSimpleName();
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, TimeoutException {
        close();
    }

    public RabbitMqBroker open() throws IOException, TimeoutException {
        LocalServices.requireReachable("RabbitMQ", LocalServices.RABBITMQ_PORT);
        try {
            connection = connectionFactory().newConnection("datafabric-tests");
        } catch (IOException | TimeoutException e) {
            throw LocalServices.unavailable("RabbitMQ", LocalServices.RABBITMQ_PORT, e);
        }
        return this;
    }

    public void close() throws IOException, TimeoutException {
        if (connection == null) {
            return;
        }
        try (Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
        } finally {
            connection.close();
            connection = null;
        }
    }

    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername(LocalServices.RABBITMQ_USER);
        factory.setPassword(LocalServices.RABBITMQ_PASSWORD);
        factory.setVirtualHost("/");
        return factory;
    }

    public String host() {
        return LocalServices.HOST;
    }

    public int port() {
        return LocalServices.RABBITMQ_PORT;
    }

    public String uri() {
        return "amqp://"
                + LocalServices.RABBITMQ_USER
                + ":"
                + LocalServices.RABBITMQ_PASSWORD
                + "@"
                + host()
                + ":"
                + port()
                + "/%2F";
    }

    /** Declares a fresh durable queue and returns its name. */
    public String newQueue(String prefix) throws IOException {
        String name = LocalServices.uniqueName(prefix, hint);
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, null);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
        queues.add(name);
        return name;
    }

    /** Declares a fresh durable exchange of the given type ("topic", "fanout", ...). */
    public String newExchange(String prefix, String type) throws IOException {
        String name = LocalServices.uniqueName(prefix, hint);
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(name, type, true);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
        exchanges.add(name);
        return name;
    }

    /** Registers a queue or exchange created elsewhere (by the code under test) for clean-up. */
    public void deleteAfterwards(String queue) {
        queues.add(queue);
    }

    /** A new channel on the shared connection; the caller closes it. */
    public Channel channel() throws IOException {
        return connection.createChannel();
    }

    /**
     * Messages ready (not delivered, or delivered and not yet acknowledged and requeued) in a
     * queue.
     */
    public long messageCount(String queue) throws IOException {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }
}
