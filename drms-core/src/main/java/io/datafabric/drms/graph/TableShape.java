package io.datafabric.drms.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The columns (in table order) and primary key of a table or of a slice of one. */
public record TableShape(List<ColumnShape> columns, List<String> primaryKey) {
    public TableShape {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** A column by name, case-insensitively (databases differ in how they fold names). */
    public Optional<ColumnShape> column(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return columns.stream()
                .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(n))
                .findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnShape::name).toList();
    }

    /** The shape restricted to the given columns, in the given order; unknown names are skipped. */
    public TableShape project(List<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        Map<String, ColumnShape> kept = new LinkedHashMap<>();
        for (String n : names) {
            column(n).ifPresent(c -> kept.put(c.name(), c));
        }
        return new TableShape(List.copyOf(kept.values()), primaryKey);
    }
}
