package io.datafabric.drms.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tables kept in a map, keyed by connection name and lower-case table name. */
final class MapSchemaLookup implements SchemaLookup {
    private final Map<String, TableShape> tables = new HashMap<>();

    /** Adds a table; columns are written {@code name:family}, primary key given by name. */
    MapSchemaLookup table(String connection, String table, List<String> pk, String... columns) {
        List<ColumnShape> cols =
                Arrays.stream(columns)
                        .map(
                                c -> {
                                    String[] parts = c.split(":");
                                    TypeFamily f = TypeFamily.valueOf(parts[1].toUpperCase());
                                    return new ColumnShape(parts[0], f, parts[1], true);
                                })
                        .toList();
        tables.put(connection + "|" + table.toLowerCase(), new TableShape(cols, pk));
        return this;
    }

    @Override
    public Optional<TableShape> describe(ConnectionSpec connection, String table) {
        return Optional.ofNullable(tables.get(connection.name() + "|" + table.toLowerCase()));
    }
}
