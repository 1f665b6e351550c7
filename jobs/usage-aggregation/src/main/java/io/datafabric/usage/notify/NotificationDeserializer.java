package io.datafabric.usage.notify;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.rabbitmq.RMQDeserializationSchema;

/**
 * Turns a delivery into a {@link NotificationMessage} and never throws, so no message can fail the
 * source and be redelivered forever. {@code RMQSource} with correlation ids refuses a message
 * without one (it fails the job, and the message comes back after the restart); here such a message
 * gets an identifier of its own, unique and never a real correlation id, so it is acknowledged with
 * the next checkpoint like any other, and the planner records it as a reject.
 */
public final class NotificationDeserializer
        implements RMQDeserializationSchema<NotificationMessage> {
    private static final long serialVersionUID = 1L;

    /** Prefix of the identifiers given to messages without a correlation id. */
    public static final String NO_CORRELATION_ID = "datafabric-no-correlation-id:";

    @Override
    public void deserialize(
            Envelope envelope,
            AMQP.BasicProperties properties,
            byte[] body,
            RMQCollector<NotificationMessage> collector) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String id = properties == null ? null : properties.getCorrelationId();
        if (id == null || id.isBlank()) {
            collector.setMessageIdentifiers(
                    NO_CORRELATION_ID + UUID.randomUUID(), envelope.getDeliveryTag());
            collector.collect(new NotificationMessage(null, text));
        } else {
            collector.collect(new NotificationMessage(id, text));
        }
    }

    @Override
    public boolean isEndOfStream(NotificationMessage next) {
        return false;
    }

    @Override
    public TypeInformation<NotificationMessage> getProducedType() {
        return NotificationMessage.TYPE_INFO;
    }
}
