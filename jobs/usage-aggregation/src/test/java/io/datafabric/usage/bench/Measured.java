package io.datafabric.usage.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs inside a measured process: samples the heap in use and reports it with the process's peak
 * RSS as one line {@code RESULT seconds=.. peakHeapMb=.. rssMb=.. rows=.. sum=..} on stdout.
 */
final class Measured implements AutoCloseable {
    private final AtomicLong peakHeap = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;
    private final long started = System.nanoTime();

    Measured() {
        sampler =
                new Thread(
                        () -> {
                            var memory = ManagementFactory.getMemoryMXBean();
                            while (running) {
                                long used = memory.getHeapMemoryUsage().getUsed();
                                peakHeap.accumulateAndGet(used, Math::max);
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    void report(long rows, String sum) throws IOException {
        report(rows, sum, -1);
    }

    /** Also reports the job's own run time (Flink's net runtime, without cluster start). */
    void report(long rows, String sum, double jobSeconds) throws IOException {
        double seconds = (System.nanoTime() - started) / 1e9;
        running = false;
        System.out.printf(
                java.util.Locale.ROOT,
                "RESULT seconds=%.3f peakHeapMb=%d rssMb=%d rows=%d sum=%s jobSeconds=%.3f%n",
                seconds,
                peakHeap.get() >> 20,
                rssPeakKb(Path.of("/proc/self/status")) >> 10,
                rows,
                sum,
                jobSeconds);
    }

    /** VmHWM of a process status file, in KiB (0 when unknown). */
    static long rssPeakKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
    }
}
