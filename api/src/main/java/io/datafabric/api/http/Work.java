package io.datafabric.api.http;

import io.javalin.http.Context;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The bounded pool where handlers do their JDBC and S3 work, off Jetty's request threads: a fixed
 * number of threads and a bounded queue; when both are full the request gets 503 with {@code
 * Retry-After} instead of piling up.
 */
public final class Work implements AutoCloseable {
    /** A handler body that may block. */
    @FunctionalInterface
    public interface Task {
        void run(Context ctx) throws Exception;
    }

    private final ThreadPoolExecutor executor;
    private final BiConsumer<Context, Throwable> onError;

    /**
     * @param onError renders a failed task's exception as the response; failures are rendered here
     *     rather than by failing the future, so after-handlers (access log, audit, metrics) run for
     *     them too
     */
    public Work(int threads, int queue, BiConsumer<Context, Throwable> onError) {
        this.onError = onError;
        AtomicInteger n = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(queue),
                        r -> {
                            Thread t = new Thread(r, "api-work-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code task} on the pool once Javalin has turned the request asynchronous; its
     * exceptions are rendered by the error handler. A full pool answers 503 with Retry-After.
     */
    public void submit(Context ctx, Task task) {
        ctx.future(
                () -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    try {
                        executor.execute(
                                () -> {
                                    try {
                                        task.run(ctx);
                                    } catch (Throwable e) {
                                        fail(ctx, e);
                                    }
                                    done.complete(null);
                                });
                    } catch (RejectedExecutionException e) {
                        fail(
                                ctx,
                                new ApiError(
                                        503,
                                        "overloaded",
                                        "the service is busy; retry shortly",
                                        java.util.List.of(),
                                        1));
                        done.complete(null);
                    }
                    return done;
                });
    }

    /** Renders {@code e} as the response of {@code ctx}. */
    public void fail(Context ctx, Throwable e) {
        try {
            onError.accept(ctx, e);
        } catch (RuntimeException nested) {
            ctx.status(500).result("{\"error\":\"internal\",\"message\":\"internal error\"}");
        }
    }

    public int active() {
        return executor.getActiveCount();
    }

    public int queued() {
        return executor.getQueue().size();
    }

    /** Stops taking work and waits up to {@code millis} for what is running. */
    public void shutdown(long millis) {
        executor.shutdown();
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(5_000);
    }
}
