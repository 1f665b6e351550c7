package io.datafabric.drms.graph;

/** The table a consumer keeps in step, in one of the graph's connections. */
public record ConsumerTarget(String connection, String table) {}
