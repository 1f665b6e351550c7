package io.datafabric.common.metrics;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * Registers an operator's metrics under one consistent group, {@code datafabric.<part>}, so every
 * job's figures sit side by side in the Flink dashboard and in Prometheus ({@code
 * flink_taskmanager_job_task_operator_datafabric_<part>_<name>}).
 *
 * <pre>{@code
 * PartMetrics metrics = PartMetrics.of(getRuntimeContext().getMetricGroup(), "usage");
 * Counter lines = metrics.counter("lines");
 * Meter linesPerSecond = metrics.meter("linesPerSecond", lines);
 * }</pre>
 */
public final class PartMetrics {
    public static final String ROOT_GROUP = "datafabric";

    private final MetricGroup group;

    private PartMetrics(MetricGroup group) {
        this.group = group;
    }

    public static PartMetrics of(MetricGroup operatorGroup, String part) {
        return new PartMetrics(operatorGroup.addGroup(ROOT_GROUP).addGroup(part));
    }

    public MetricGroup group() {
        return group;
    }

    public Counter counter(String name) {
        return group.counter(name);
    }

    /** A per-second rate over the last 60 s of an existing counter. */
    public Meter meter(String name, Counter counter) {
        return group.meter(name, new MeterView(counter, 60));
    }

    public Gauge<Long> gauge(String name, LongSupplier value) {
        return group.gauge(name, value::getAsLong);
    }

    public <H extends Histogram> H histogram(String name, H histogram) {
        return group.histogram(name, histogram);
    }
}
