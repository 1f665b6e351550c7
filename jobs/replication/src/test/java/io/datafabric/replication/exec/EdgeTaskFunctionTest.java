package io.datafabric.replication.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.replication.config.RetryPolicy;
import io.datafabric.replication.schedule.TaskRequest;
import io.datafabric.replication.stream.StreamTypes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EdgeTaskFunctionTest {
    private static final EdgeDefinition DEFINITION =
            GraphParser.parse(
                            """
                            connections:
                              a: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/a"}
                              b: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/b"}
                            datasets:
                              t: {connection: a, table: t, cursor: [id]}
                            consumers:
                              e: {dataset: t, target: {connection: b, table: t}, approved: true}
                            """)
                    .graph()
                    .resolve("e");

    static {
        StreamTypes.register();
    }

    /** Behaviour per test, by name: runners are created inside the operator. */
    static final Map<String, EdgeTaskRunner> RUNNERS = new ConcurrentHashMap<>();

    static List<TaskOutcome> run(String runner, int maxAttempts, List<TaskRequest> requests)
            throws Exception {
        return run(runner, maxAttempts, requests, () -> {});
    }

    /** Feeds the requests, runs {@code afterInput} once all are handed in, then ends the input. */
    static List<TaskOutcome> run(
            String runner, int maxAttempts, List<TaskRequest> requests, Runnable afterInput)
            throws Exception {
        EdgeTaskFunction fn =
                new EdgeTaskFunction(
                        () -> RUNNERS.get(runner),
                        null,
                        new RetryPolicy(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(40)),
                        8);
        try (OneInputStreamOperatorTestHarness<TaskRequest, TaskOutcome> h =
                new OneInputStreamOperatorTestHarness<>(
                        new AsyncWaitOperatorFactory<>(
                                fn, 30_000, 10, AsyncDataStream.OutputMode.UNORDERED),
                        TypeInformation.of(TaskRequest.class)
                                .createSerializer(new ExecutionConfig()))) {
            h.open();
            for (TaskRequest r : requests) {
                synchronized (h.getCheckpointLock()) {
                    h.processElement(r, 0);
                }
            }
            afterInput.run();
            synchronized (h.getCheckpointLock()) {
                h.endInput();
            }
            return h.extractOutputValues();
        }
    }

    static TaskRequest request(TaskRequest.Kind kind) {
        return new TaskRequest("e", DEFINITION, kind, "test", 0, "");
    }

    @Test
    void failedAttemptsAreRetriedWithBackOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RUNNERS.put(
                "flaky",
                (edge, kind) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("database restarting");
                    }
                    return new TaskReport(
                            7, "a", "b", "7:00ff", true, TaskRequest.Kind.INCREMENTAL);
                });
        List<TaskOutcome> out = run("flaky", 5, List.of(request(TaskRequest.Kind.INCREMENTAL)));
        assertThat(out)
                .singleElement()
                .satisfies(
                        o -> {
                            assertThat(o.status()).isEqualTo(TaskOutcome.Status.SUCCEEDED);
                            assertThat(o.attempts()).isEqualTo(3);
                            assertThat(o.rows()).isEqualTo(7);
                            assertThat(o.dataset()).isEqualTo("t");
                        });
    }

    @Test
    void afterTheLastAttemptTheTaskFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RUNNERS.put(
                "down",
                (edge, kind) -> {
                    calls.incrementAndGet();
                    throw new ValidationMismatchException("e", "3 rows vs 2 rows");
                });
        List<TaskOutcome> out = run("down", 3, List.of(request(TaskRequest.Kind.INCREMENTAL)));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(out)
                .singleElement()
                .satisfies(
                        o -> {
                            assertThat(o.status()).isEqualTo(TaskOutcome.Status.FAILED);
                            assertThat(o.attempts()).isEqualTo(3);
                            assertThat(o.error()).contains("source and target differ");
                        });
    }

    @Test
    void requestsForARunningEdgeWaitOrMerge() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<TaskRequest.Kind> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();
        RUNNERS.put(
                "slow",
                (edge, kind) -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    kinds.add(kind);
                    release.await(10, TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return new TaskReport(1, null, null, null, true, TaskRequest.Kind.INCREMENTAL);
                });
        // asyncInvoke decides synchronously whether a request waits or merges, so once every
        // request is handed in the first may finish.
        List<TaskOutcome> out =
                run(
                        "slow",
                        1,
                        List.of(
                                request(TaskRequest.Kind.INCREMENTAL),
                                request(TaskRequest.Kind.INCREMENTAL),
                                request(TaskRequest.Kind.SNAPSHOT),
                                request(TaskRequest.Kind.INCREMENTAL)),
                        release::countDown);
        assertThat(maxRunning.get()).isEqualTo(1);
        // the first runs; the second waits and absorbs the snapshot and the last request
        assertThat(kinds).containsExactly(TaskRequest.Kind.INCREMENTAL, TaskRequest.Kind.SNAPSHOT);
        assertThat(out)
                .extracting(TaskOutcome::status)
                .containsExactlyInAnyOrder(
                        TaskOutcome.Status.SUCCEEDED,
                        TaskOutcome.Status.SUCCEEDED,
                        TaskOutcome.Status.COALESCED,
                        TaskOutcome.Status.COALESCED);
    }
}
