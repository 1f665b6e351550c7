package io.datafabric.drms.graph;

/** One column as the graph checks it: name, family and the database's own type name. */
public record ColumnShape(String name, TypeFamily family, String sqlType, boolean nullable) {}
