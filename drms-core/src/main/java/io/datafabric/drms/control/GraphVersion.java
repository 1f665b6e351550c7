package io.datafabric.drms.control;

import java.time.Instant;

/** One applied version of the graph, as {@code drms history} lists it. */
public record GraphVersion(
        long version,
        String appliedBy,
        Instant appliedAt,
        String diff,
        Long rollbackOf,
        String source) {}
