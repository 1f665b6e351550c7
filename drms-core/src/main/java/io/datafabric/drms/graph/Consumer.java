package io.datafabric.drms.graph;

import java.time.Duration;
import java.util.List;

/**
 * An edge of the graph: keeps {@code target} in step with {@code dataset}, optionally narrowed by
 * its own projection ({@code columns}, empty = all of the dataset's) and {@code filter}. It runs
 * every {@code schedule} and whenever its upstream changed.
 */
public record Consumer(
        String name,
        String dataset,
        ConsumerTarget target,
        List<String> columns,
        Condition filter,
        Duration schedule,
        ReplicationMode mode,
        ConsumerStatus status) {
    public Consumer {
        columns = List.copyOf(columns);
    }

    /** The YAML path of the consumer's entry, {@code consumers.<name>}. */
    public String path() {
        return "consumers." + name;
    }

    public Consumer withStatus(ConsumerStatus newStatus) {
        return new Consumer(name, dataset, target, columns, filter, schedule, mode, newStatus);
    }
}
