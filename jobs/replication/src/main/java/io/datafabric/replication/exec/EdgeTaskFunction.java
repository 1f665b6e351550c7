package io.datafabric.replication.exec;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.replication.config.RetryPolicy;
import io.datafabric.replication.schedule.TaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks with Flink async I/O: many edges at once (up to the operator's capacity), one task at
 * a time per edge. A request for an edge that is already running is coalesced into a follow-up run
 * of that edge. Failed attempts are retried with exponential back-off; every attempt is a row in
 * {@code drms.tasks}; after the last attempt the edge is marked failed until its next schedule.
 *
 * <p>Every load commits its rows together with the edge's cursor, so re-running a task after a
 * crash (Flink re-issues the requests that were in flight at the checkpoint) is harmless.
 */
public final class EdgeTaskFunction extends RichAsyncFunction<TaskRequest, TaskOutcome> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeTaskFunction.class);

    private final EdgeTaskRunner.Factory runners;
    private final JdbcSettings control;
    private final RetryPolicy retry;
    private final int threads;

    private transient EdgeTaskRunner runner;
    private transient ExecutorService workers;
    private transient ScheduledExecutorService delays;
    private transient TaskLog taskLog;
    private transient Map<String, EdgeRun> runs;
    private transient AtomicInteger inFlight;
    private transient PartMetrics metrics;
    private transient Counter failuresTotal;
    private transient Counter rowsTotal;

    /**
     * @param control the control plane to log tasks in, or null to log none (benchmarks)
     * @param threads how many tasks may run at once (the async capacity)
     */
    public EdgeTaskFunction(
            EdgeTaskRunner.Factory runners, JdbcSettings control, RetryPolicy retry, int threads) {
        this.runners = runners;
        this.control = control;
        this.retry = retry;
        this.threads = threads;
    }

    /** Per-edge bookkeeping, in memory: the executor is the only one running an edge. */
    private static final class EdgeRun {
        boolean running;

        /** The next request, waiting for the running one; later requests merge into it. */
        TaskRequest follower;

        ResultFuture<TaskOutcome> followerFuture;
        final ReplicationLag lag = new ReplicationLag(System.currentTimeMillis());
        MetricGroup group;
        boolean removed;
        Counter rows;
        Counter failures;
        int inFlight;
    }

    @Override
    public void open(Configuration parameters) {
        runner = runners.create();
        workers = Executors.newFixedThreadPool(threads, r -> daemon(r, "drms-task"));
        delays = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "drms-retry"));
        runs = new ConcurrentHashMap<>();
        inFlight = new AtomicInteger();
        metrics = PartMetrics.of(getRuntimeContext().getMetricGroup(), "replication");
        metrics.gauge("inFlightTasks", inFlight::get);
        failuresTotal = metrics.counter("failures");
        rowsTotal = metrics.counter("rows");
        metrics.meter("rowsPerSecond", rowsTotal);
        if (control != null) {
            taskLog = new TaskLog(control);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
            delays.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (runner != null) {
            runner.close();
        }
        if (taskLog != null) {
            taskLog.close();
        }
    }

    @Override
    public void asyncInvoke(TaskRequest request, ResultFuture<TaskOutcome> future) {
        if (request.kind() == TaskRequest.Kind.REMOVE) {
            removed(request.edgeId());
            future.complete(List.of());
            return;
        }
        EdgeRun run = runs.computeIfAbsent(request.edgeId(), this::newRun);
        synchronized (run) {
            run.removed = false;
            if (run.running) {
                if (run.follower == null) {
                    // Waits for the running task, then runs with its own slot and outcome.
                    run.follower = request;
                    run.followerFuture = future;
                } else {
                    run.follower = merge(run.follower, request);
                    long now = System.currentTimeMillis();
                    future.complete(
                            List.of(
                                    new TaskOutcome(
                                            request.edgeId(),
                                            "",
                                            TaskOutcome.Status.COALESCED,
                                            request.kind(),
                                            0,
                                            null,
                                            null,
                                            null,
                                            0,
                                            null,
                                            now,
                                            now,
                                            false)));
                }
                return;
            }
            run.running = true;
            run.inFlight = 1;
        }
        start(run, request, future);
    }

    private void start(EdgeRun run, TaskRequest request, ResultFuture<TaskOutcome> future) {
        inFlight.incrementAndGet();
        Chain chain = new Chain(run, future);
        workers.execute(() -> attempt(chain, request, 1));
    }

    private EdgeRun newRun(String edge) {
        EdgeRun run = new EdgeRun();
        MetricGroup g = metrics.group().addGroup("edge", edge);
        run.group = g;
        run.rows = g.counter("rows");
        g.meter("rowsPerSecond", new org.apache.flink.metrics.MeterView(run.rows, 60));
        run.failures = g.counter("failures");
        g.gauge("lagMs", () -> ReplicationLag.lagMs(run.lag, System.currentTimeMillis()));
        g.gauge("sinceCaughtUpMs", () -> System.currentTimeMillis() - run.lag.lastCaughtUpAt());
        g.gauge("inFlightTasks", () -> run.inFlight);
        return run;
    }

    /**
     * The edge left the graph: its metrics are unregistered (at once, or when its running task
     * ends) so that dashboards do not show a removed edge forever.
     */
    private void removed(String edge) {
        EdgeRun run = runs.get(edge);
        if (run == null) {
            return;
        }
        synchronized (run) {
            if (run.running) {
                run.removed = true;
                return;
            }
            runs.remove(edge, run);
        }
        closeMetrics(run);
    }

    private static void closeMetrics(EdgeRun run) {
        // MetricGroup has no public close in Flink 1.20; the runtime's groups do, and a closed
        // group is replaced by a fresh one should the edge come back.
        if (run.group instanceof AbstractMetricGroup<?> g) {
            g.close();
        }
    }

    /** The stronger of two requests: a snapshot or a converge run covers an incremental one. */
    static TaskRequest merge(TaskRequest a, TaskRequest b) {
        if (a == null) {
            return b;
        }
        return rank(b.kind()) > rank(a.kind())
                ? b
                : new TaskRequest(
                        a.edgeId(), b.edge(), a.kind(), a.reason(), a.requestedAt(), a.runId());
    }

    private static int rank(TaskRequest.Kind kind) {
        switch (kind) {
            case SNAPSHOT:
                return 3;
            case CONVERGE:
                return 2;
            default:
                return 1;
        }
    }

    /** One async element being worked on: its edge, its future and its outcome. */
    private static final class Chain {
        final EdgeRun run;
        final ResultFuture<TaskOutcome> future;
        final List<TaskOutcome> outcomes = new ArrayList<>();

        Chain(EdgeRun run, ResultFuture<TaskOutcome> future) {
            this.run = run;
            this.future = future;
        }
    }

    private void logEnd(
            long taskId,
            String status,
            TaskReport report,
            int attempt,
            Exception error,
            TaskRequest request) {
        if (taskLog != null) {
            taskLog.finished(taskId, status, report, attempt, error, request);
        }
    }

    private void attempt(Chain chain, TaskRequest request, int attempt) {
        long started = System.currentTimeMillis();
        EdgeDefinition edge = request.edge();
        if (edge == null) {
            // Cannot happen for requests the scheduler produced; never retry it.
            finishAttempt(
                    chain,
                    request,
                    attempt,
                    started,
                    null,
                    new IllegalArgumentException("task request without edge definition"),
                    false);
            return;
        }
        long taskId = taskLog == null ? -1 : taskLog.started(request, attempt);
        try {
            TaskReport report = runner.run(edge, request.kind());
            logEnd(taskId, TaskOutcome.Status.SUCCEEDED.sqlName(), report, attempt, null, request);
            finishAttempt(chain, request, attempt, started, report, null, true);
        } catch (Exception e) {
            if (e instanceof InterruptedException
                    || Thread.currentThread().isInterrupted()
                    || workers.isShutdown()) {
                return; // shutting down; the request is re-issued after restore
            }
            logEnd(
                    taskId,
                    attempt < retry.maxAttempts()
                            ? "retrying"
                            : TaskOutcome.Status.FAILED.sqlName(),
                    null,
                    attempt,
                    e,
                    request);
            LOG.warn(
                    "edge {} {} attempt {}/{} failed: {}",
                    request.edgeId(),
                    request.kind(),
                    attempt,
                    retry.maxAttempts(),
                    e.toString());
            if (attempt < retry.maxAttempts()) {
                long delay = retry.delayAfter(attempt).toMillis();
                try {
                    delays.schedule(
                            () -> workers.execute(() -> attempt(chain, request, attempt + 1)),
                            delay,
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    // the operator is closing; the request is re-issued after restore
                }
                return;
            }
            finishAttempt(chain, request, attempt, started, null, e, true);
        }
    }

    private void finishAttempt(
            Chain chain,
            TaskRequest request,
            int attempt,
            long started,
            TaskReport report,
            Exception error,
            boolean known) {
        long now = System.currentTimeMillis();
        String dataset = request.edge() == null ? "" : request.edge().dataset();
        if (report != null) {
            chain.run.rows.inc(report.rows());
            rowsTotal.inc(report.rows());
            chain.run.lag.loaded(report.cursorTo(), report.caughtUp(), started);
            chain.outcomes.add(
                    new TaskOutcome(
                            request.edgeId(),
                            dataset,
                            TaskOutcome.Status.SUCCEEDED,
                            request.kind(),
                            report.rows(),
                            report.cursorFrom(),
                            report.cursorTo(),
                            report.checksum(),
                            attempt,
                            null,
                            started,
                            now,
                            request.kind() == TaskRequest.Kind.CONVERGE));
        } else {
            chain.run.failures.inc();
            failuresTotal.inc();
            LOG.error(
                    "edge {} failed after {} attempt(s){}; it runs again at its next schedule",
                    request.edgeId(),
                    attempt,
                    known ? "" : " (invalid definition)",
                    error);
            chain.outcomes.add(
                    new TaskOutcome(
                            request.edgeId(),
                            dataset,
                            TaskOutcome.Status.FAILED,
                            request.kind(),
                            0,
                            null,
                            null,
                            null,
                            attempt,
                            String.valueOf(error),
                            started,
                            now,
                            false));
        }
        TaskRequest next;
        ResultFuture<TaskOutcome> nextFuture;
        synchronized (chain.run) {
            next = chain.run.follower;
            nextFuture = chain.run.followerFuture;
            chain.run.follower = null;
            chain.run.followerFuture = null;
            if (next == null) {
                chain.run.running = false;
                chain.run.inFlight = 0;
                if (chain.run.removed) {
                    runs.remove(request.edgeId(), chain.run);
                    closeMetrics(chain.run);
                }
            }
        }
        inFlight.decrementAndGet();
        chain.future.complete(chain.outcomes);
        if (next != null) {
            start(chain.run, next, nextFuture);
        }
    }

    @Override
    public void timeout(TaskRequest request, ResultFuture<TaskOutcome> future) {
        // The task goes on in the background and keeps the edge busy; the slot is given back.
        long now = System.currentTimeMillis();
        future.complete(
                List.of(
                        new TaskOutcome(
                                request.edgeId(),
                                "",
                                TaskOutcome.Status.FAILED,
                                request.kind(),
                                0,
                                null,
                                null,
                                null,
                                0,
                                "timed out",
                                request.requestedAt(),
                                now,
                                false)));
    }
}
