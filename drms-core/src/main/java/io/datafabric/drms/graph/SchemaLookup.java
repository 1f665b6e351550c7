package io.datafabric.drms.graph;

import java.util.Optional;

/**
 * Tells the validator what tables look like. The replication job implements it with database
 * introspection; tests implement it with a map.
 */
@FunctionalInterface
public interface SchemaLookup {
    /**
     * The shape of {@code table} in {@code connection}, or empty when the table does not exist.
     *
     * @throws SchemaLookupException when the database cannot be asked
     */
    Optional<TableShape> describe(ConnectionSpec connection, String table)
            throws SchemaLookupException;

    /** Thrown when a database cannot be reached or introspected. */
    final class SchemaLookupException extends Exception {
        public SchemaLookupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
