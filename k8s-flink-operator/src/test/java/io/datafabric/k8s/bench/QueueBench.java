package io.datafabric.k8s.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.datafabric.usage.generate.RabbitAnnouncer;
import io.datafabric.usage.notify.FileNotification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The message-broker half of bench/platform: a backlog of N messages on a queue of the vhost the
 * script created like the deployed one (default queue type quorum), drained by C consumers with
 * manual acks, counting every id. Contenders, each on its own queue, in one run:
 *
 * <ul>
 *   <li>project: the suite's own publisher (usage-aggregation's {@link RabbitAnnouncer}:
 *       persistent, one confirm per message) into a queue it declares itself, which the vhost makes
 *       quorum;
 *   <li>peer "batched-confirms": amqp-client publishing persistent messages, waiting for confirms
 *       every 500 messages, same quorum queue type;
 *   <li>peer "classic-durable": the same batched publisher into a durable classic queue.
 * </ul>
 *
 * Usage: {@code QueueBench <amqp-uri-with-vhost> <out.json>}; sizes from BENCH_MQ_MESSAGES
 * (100000), BENCH_MQ_CONSUMERS (50), BENCH_MQ_PREFETCH (50), BENCH_MQ_PEERS (1), BENCH_MQ_TIMEOUT_S
 * (900, per drain).
 */
public final class QueueBench {
    private final String uri;
    private final int messages;
    private final int consumers;
    private final int prefetch;
    private final long timeoutMs;

    private QueueBench(String uri) {
        this.uri = uri;
        this.messages = env("BENCH_MQ_MESSAGES", 100_000);
        this.consumers = env("BENCH_MQ_CONSUMERS", 50);
        this.prefetch = env("BENCH_MQ_PREFETCH", 50);
        this.timeoutMs = env("BENCH_MQ_TIMEOUT_S", 900) * 1000L;
    }

    public static void main(String[] args) throws Exception {
        QueueBench bench = new QueueBench(args[0]);
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        results.put("project", bench.run("project", Publisher.ANNOUNCER));
        if (env("BENCH_MQ_PEERS", 1) == 1) {
            results.put("batched-confirms", bench.run("batched-confirms", Publisher.BATCHED));
            results.put("classic-durable", bench.run("classic-durable", Publisher.CLASSIC));
        }
        StringBuilder json = new StringBuilder("{");
        results.forEach(
                (name, figures) -> {
                    if (json.length() > 1) {
                        json.append(',');
                    }
                    json.append('"').append(name).append("\":").append(toJson(figures));
                });
        json.append('}');
        Files.writeString(Path.of(args[1]), json.toString());
        System.out.printf(
                "%n%-18s %-8s %10s %12s %10s %12s %6s %6s %10s%n",
                "rabbitmq",
                "queue",
                "messages",
                "publish/s",
                "depth",
                "drain/s",
                "lost",
                "dups",
                "redeliv.");
        results.forEach(
                (name, f) ->
                        System.out.printf(
                                Locale.ROOT,
                                "%-18s %-8s %10d %12.0f %10d %12.0f %6d %6d %10d%n",
                                name,
                                f.get("queue_type"),
                                f.get("messages"),
                                f.get("publish_msgs_per_s"),
                                f.get("backlog_depth"),
                                f.get("drain_msgs_per_s"),
                                f.get("lost"),
                                f.get("duplicates"),
                                f.get("redelivered")));
    }

    enum Publisher {
        ANNOUNCER,
        BATCHED,
        CLASSIC
    }

    private Map<String, Object> run(String name, Publisher publisher) throws Exception {
        String queue = "df-bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionFactory factory = factory();
        try (Connection admin = factory.newConnection("bench-admin")) {
            Channel ch = admin.createChannel();
            if (publisher == Publisher.CLASSIC) {
                ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "classic"));
            }
            // ANNOUNCER and BATCHED: declared without arguments, by RabbitAnnouncer or below,
            // so the vhost's default queue type applies, as in the deployment.
            System.out.printf("%s: publishing %d messages ...%n", name, messages);
            long t0 = System.nanoTime();
            if (publisher == Publisher.ANNOUNCER) {
                try (RabbitAnnouncer announcer = new RabbitAnnouncer(uri, queue)) {
                    for (int i = 0; i < messages; i++) {
                        announcer.announce(Path.of("/bench/usage-" + i + ".txt"), i);
                    }
                }
            } else {
                publishBatched(admin, queue, publisher == Publisher.BATCHED);
            }
            double publishSeconds = (System.nanoTime() - t0) / 1e9;
            AMQP.Queue.DeclareOk depth = ch.queueDeclarePassive(queue);
            String type = queueType(ch, queue);
            System.out.printf(
                    "%s: %d messages in %.1f s; queue %s holds %d; draining with %d consumers ...%n",
                    name, messages, publishSeconds, type, depth.getMessageCount(), consumers);

            Map<String, Object> drained = drain(factory, queue);
            ch.queueDelete(queue);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("queue_type", type);
            figures.put("messages", messages);
            figures.put("publish_seconds", round(publishSeconds));
            figures.put("publish_msgs_per_s", round(messages / publishSeconds));
            figures.put("backlog_depth", depth.getMessageCount());
            figures.put("consumers", consumers);
            figures.put("prefetch", prefetch);
            figures.putAll(drained);
            return figures;
        }
    }

    private void publishBatched(Connection connection, String queue, boolean declare)
            throws Exception {
        Channel ch = connection.createChannel();
        if (declare) {
            ch.queueDeclare(queue, true, false, false, null);
        }
        ch.confirmSelect();
        for (int i = 0; i < messages; i++) {
            byte[] body =
                    new FileNotification("/bench/usage-" + i + ".txt", i)
                            .toJson()
                            .getBytes(StandardCharsets.UTF_8);
            AMQP.BasicProperties props =
                    new AMQP.BasicProperties.Builder()
                            .correlationId(UUID.randomUUID().toString())
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build();
            ch.basicPublish("", queue, props, body);
            if ((i + 1) % 500 == 0 || i == messages - 1) {
                ch.waitForConfirmsOrDie(60_000);
            }
        }
        ch.close();
    }

    /** C consumers with manual acks until every id was seen and the queue is empty. */
    private Map<String, Object> drain(ConnectionFactory factory, String queue) throws Exception {
        AtomicIntegerArray seen = new AtomicIntegerArray(messages);
        AtomicLong deliveries = new AtomicLong();
        AtomicLong distinct = new AtomicLong();
        AtomicLong redelivered = new AtomicLong();
        AtomicLong malformed = new AtomicLong();
        List<Connection> connections = new ArrayList<>();
        // 5 connections, consumers spread over them, one channel each
        int connectionCount = Math.max(1, Math.min(5, consumers));
        for (int c = 0; c < connectionCount; c++) {
            connections.add(factory.newConnection("bench-consumers-" + c));
        }
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < consumers; i++) {
                Channel ch = connections.get(i % connectionCount).createChannel();
                ch.basicQos(prefetch);
                ch.basicConsume(
                        queue,
                        false,
                        new DefaultConsumer(ch) {
                            @Override
                            public void handleDelivery(
                                    String tag,
                                    Envelope envelope,
                                    AMQP.BasicProperties properties,
                                    byte[] body)
                                    throws IOException {
                                deliveries.incrementAndGet();
                                if (envelope.isRedeliver()) {
                                    redelivered.incrementAndGet();
                                }
                                try {
                                    long id =
                                            FileNotification.parse(
                                                            new String(
                                                                    body, StandardCharsets.UTF_8))
                                                    .size();
                                    if (id >= 0 && id < messages) {
                                        if (seen.getAndIncrement((int) id) == 0) {
                                            distinct.incrementAndGet();
                                        }
                                    } else {
                                        malformed.incrementAndGet();
                                    }
                                } catch (IllegalArgumentException e) {
                                    malformed.incrementAndGet();
                                }
                                getChannel().basicAck(envelope.getDeliveryTag(), false);
                            }
                        });
            }
            long deadline = System.currentTimeMillis() + timeoutMs;
            long lastReport = System.currentTimeMillis();
            while (distinct.get() < messages && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
                if (System.currentTimeMillis() - lastReport > 10_000) {
                    lastReport = System.currentTimeMillis();
                    System.out.printf("  ... %d of %d ids seen%n", distinct.get(), messages);
                }
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("drain_seconds", round(seconds));
        figures.put("drain_msgs_per_s", round(distinct.get() / seconds));
        figures.put("deliveries", deliveries.get());
        figures.put("distinct_ids", distinct.get());
        figures.put("lost", messages - distinct.get());
        figures.put("duplicates", deliveries.get() - distinct.get() - malformed.get());
        figures.put("redelivered", redelivered.get());
        figures.put("malformed", malformed.get());
        return figures;
    }

    private static String queueType(Channel ch, String queue) {
        // A quorum queue refuses a passive re-declaration with another type argument: ask with
        // the quorum type on a throw-away channel.
        try {
            Channel probe = ch.getConnection().createChannel();
            probe.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            probe.close();
            return "quorum";
        } catch (IOException e) {
            return "classic";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private ConnectionFactory factory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String toJson(Map<String, Object> figures) {
        StringBuilder b = new StringBuilder("{");
        figures.forEach(
                (k, v) -> {
                    if (b.length() > 1) {
                        b.append(',');
                    }
                    b.append('"').append(k).append("\":");
                    b.append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v));
                });
        return b.append('}').toString();
    }
}
