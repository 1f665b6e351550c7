package io.datafabric.drms.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One dataset or consumer of the current graph as the control plane holds it.
 *
 * @param name the dataset's or consumer's name
 * @param kind datasets: {@code table} or {@code slice}; consumers: {@code consumer}
 * @param spec the entry in the graph file's shape (consumers: with their current {@code status})
 * @param dataset consumers: the dataset read; slices: the parent; tables: null
 * @param status consumers: {@code pending}, {@code approved}, {@code rejected} or {@code paused};
 *     datasets: null
 * @param version the graph version that last wrote the entry
 * @param updatedAt when its spec last changed
 * @param statusChangedBy consumers: who last changed the status ({@code apply} for a graph write)
 * @param statusChangedAt consumers: when; else null
 */
public record CatalogEntry(
        String name,
        String kind,
        JsonNode spec,
        String dataset,
        String status,
        long version,
        Instant updatedAt,
        String statusChangedBy,
        Instant statusChangedAt) {}
