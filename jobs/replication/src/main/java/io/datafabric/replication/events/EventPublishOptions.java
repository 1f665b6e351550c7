package io.datafabric.replication.events;

import com.rabbitmq.client.AMQP;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSinkPublishOptions;

/** Publishes each event to the topic exchange with the event's dataset as routing key. */
public final class EventPublishOptions implements RMQSinkPublishOptions<String> {
    private static final long serialVersionUID = 1L;

    private final String exchange;

    public EventPublishOptions(String exchange) {
        this.exchange = exchange;
    }

    @Override
    public String computeRoutingKey(String event) {
        return DrmsEvent.parse(event).map(DrmsEvent::dataset).orElse("unknown");
    }

    @Override
    public AMQP.BasicProperties computeProperties(String event) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .build();
    }

    @Override
    public String computeExchange(String event) {
        return exchange;
    }
}
