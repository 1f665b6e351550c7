package io.datafabric.drms.sql;

/**
 * A table name with an optional schema (PostgreSQL schema, MariaDB database). A null schema means
 * the connection's default ({@code current_schema()} / the database in the JDBC url).
 */
public record TableName(String schema, String name) {

    public TableName {
        if (schema != null) {
            Identifiers.check(schema, "schema name");
        }
        Identifiers.check(name, "table name");
    }

    public static TableName of(String name) {
        return new TableName(null, name);
    }

    /**
     * Parses {@code table} or {@code schema.table}. Names containing dots can be written in double
     * quotes: {@code "my.schema"."my.table"}; a doubled quote inside quotes is a literal quote.
     */
    public static TableName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("table name must not be empty");
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new IllegalArgumentException(
                        "unexpected character after quoted name in table name: " + text);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in table name: " + text);
        }
        parts.add(cur.toString());
        if (parts.size() > 2) {
            throw new IllegalArgumentException(
                    "table name must be 'table' or 'schema.table' but was: " + text);
        }
        return parts.size() == 1 ? of(parts.get(0)) : new TableName(parts.get(0), parts.get(1));
    }

    /** The same schema with another table name (e.g. the {@code __inc} staging table). */
    public TableName withName(String newName) {
        return new TableName(schema, newName);
    }

    /** A sibling table in the same schema whose name is this one's plus {@code suffix}. */
    public TableName withSuffix(String suffix) {
        return new TableName(schema, name + suffix);
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
