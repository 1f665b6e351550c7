package io.datafabric.drms.extract;

/**
 * One changed source row as an operation on the target.
 *
 * @param upsert true: write {@code row}; false: delete {@code key}
 * @param row the slice's columns (null for a delete read from a staging table, where only the key
 *     is known)
 * @param key the primary key values, in key order
 */
public record Change(boolean upsert, Object[] row, Object[] key) {}
