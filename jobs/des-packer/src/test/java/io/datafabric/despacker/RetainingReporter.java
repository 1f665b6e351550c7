package io.datafabric.despacker;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for MiniCluster tests of bounded runs: it keeps every metric registered since
 * the last {@link #clear()}, also after the finished job unregistered it, so a test reads the final
 * values once the run is over. The MiniCluster runs in the test's JVM, so the static map is shared.
 */
public final class RetainingReporter implements MetricReporter {
    private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    /** Forgets every metric seen so far (call before a run). */
    static void clear() {
        METRICS.clear();
    }

    /**
     * The sum over all subtasks of the packer counter {@code name} (group {@code
     * datafabric.despacker}); fails if no subtask registered it.
     */
    static long packerCounter(String name) {
        long sum = 0;
        int seen = 0;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (e.getKey().endsWith(".datafabric.despacker." + name)) {
                sum += ((Counter) e.getValue()).getCount();
                seen++;
            }
        }
        if (seen == 0) {
            throw new AssertionError("no counter " + name + " among " + METRICS.keySet());
        }
        return sum;
    }

    /** The largest value of the packer gauge {@code name} over all subtasks. */
    static long packerGaugeMax(String name) {
        long max = Long.MIN_VALUE;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (e.getKey().endsWith(".datafabric.despacker." + name)) {
                max = Math.max(max, ((Number) ((Gauge<?>) e.getValue()).getValue()).longValue());
            }
        }
        if (max == Long.MIN_VALUE) {
            throw new AssertionError("no gauge " + name + " among " + METRICS.keySet());
        }
        return max;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept on purpose: a bounded run's metrics are read after the job has finished
    }

    /** Configured as {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RetainingReporter();
        }
    }
}
