package io.datafabric.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class PartMetricsTest {

    /** Records the group path and name of every metric registered through it. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final List<String> registered;
        final String path;

        RecordingGroup(String path, List<String> registered) {
            this.path = path;
            this.registered = registered;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(path.isEmpty() ? name : path + "." + name, registered);
        }

        @Override
        public Counter counter(String name) {
            registered.add(path + "." + name);
            return super.counter(name);
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            registered.add(path + "." + name + "=" + gauge.getValue());
            return gauge;
        }

        @Override
        public <M extends org.apache.flink.metrics.Meter> M meter(String name, M meter) {
            registered.add(path + "." + name);
            return meter;
        }
    }

    @Test
    void metricsAreRegisteredUnderDatafabricAndThePart() {
        List<String> registered = new ArrayList<>();
        PartMetrics metrics = PartMetrics.of(new RecordingGroup("", registered), "usage");
        Counter lines = metrics.counter("lines");
        metrics.meter("linesPerSecond", lines);
        metrics.gauge("oldestFileAgeMs", () -> 42L);
        lines.inc(3);

        assertThat(registered)
                .containsExactly(
                        "datafabric.usage.lines",
                        "datafabric.usage.linesPerSecond",
                        "datafabric.usage.oldestFileAgeMs=42");
        assertThat(lines.getCount()).isEqualTo(3);
    }
}
