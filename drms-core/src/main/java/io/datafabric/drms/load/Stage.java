package io.datafabric.drms.load;

import java.time.OffsetDateTime;

/** How a batch is recorded in {@code <table>__inc}: its id and load time. */
public record Stage(long batchId, OffsetDateTime loadedAt) {}
