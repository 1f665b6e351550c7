package io.datafabric.usage.generate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.datafabric.usage.notify.FileNotification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Announces finished files on a RabbitMQ queue: one persistent JSON message per file with its own
 * correlation id (the job's source uses it to drop redeliveries), published with confirms.
 */
public final class RabbitAnnouncer implements UsageGenerator.Announcer, AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final String queue;

    public RabbitAnnouncer(String uri, String queue) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RabbitMQ URI", e);
        }
        this.connection = factory.newConnection("datafabric-generate-usage");
        this.channel = connection.createChannel();
        this.queue = queue;
        channel.queueDeclare(queue, true, false, false, null);
        channel.confirmSelect();
    }

    @Override
    public void announce(Path file, long size) throws IOException {
        String body = new FileNotification(file.toAbsolutePath().toString(), size).toJson();
        AMQP.BasicProperties props =
                new AMQP.BasicProperties.Builder()
                        .correlationId(UUID.randomUUID().toString())
                        .contentType("application/json")
                        .deliveryMode(2)
                        .build();
        channel.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
        try {
            channel.waitForConfirmsOrDie(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm the notification", e);
        }
    }

    @Override
    public void close() throws IOException, TimeoutException {
        channel.close();
        connection.close();
    }
}
