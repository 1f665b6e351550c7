package io.datafabric.replication.events;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSource;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;

/**
 * Reads events from a durable queue bound to the {@code drms.events} topic exchange (all routing
 * keys). The exchange and the binding are declared here, so a fresh broker needs no set-up.
 */
public final class EventQueueSource extends RMQSource<String> {
    private static final long serialVersionUID = 1L;

    private final String exchange;

    public EventQueueSource(RMQConnectionConfig config, String exchange, String queue) {
        super(config, queue, false, new SimpleStringSchema());
        this.exchange = exchange;
    }

    @Override
    protected void setupQueue() throws IOException {
        channel.exchangeDeclare(exchange, "topic", true);
        channel.queueDeclare(queueName, true, false, false, null);
        channel.queueBind(queueName, exchange, "#");
    }
}
