package io.datafabric.despacker.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How one master system describes its files: its table, the columns the packer reads and writes,
 * the status values, and which rows qualify. Nothing of it is hard-coded in the packer.
 *
 * @param table the catalog table, {@code table} or {@code schema.table}
 * @param idColumn primary key of a file row
 * @param pathColumn URI of the file in the source storage ({@code file://}, {@code s3://})
 * @param sizeColumn declared size in bytes
 * @param timestampColumn when the file was created or last changed; rows older than {@code
 *     olderThan} qualify
 * @param statusColumn the status column
 * @param desNameColumn where the marker writes the DES name
 * @param shardColumn where the marker writes the shard id
 * @param locationColumn where the packer writes the archive location (URI of the shard object)
 * @param reasonColumn optional: where the reason of a failure is written (null when absent)
 * @param active status value of a file that may be archived
 * @param marked status value the marker sets
 * @param packed status value once the file is in a committed shard
 * @param failed status value of a file that could not be packed
 * @param eligibleJson optional extra predicate as a query-builder filter in JSON (null when absent)
 * @param olderThan minimum age of a row to qualify
 */
public record MasterContract(
        String table,
        String idColumn,
        String pathColumn,
        String sizeColumn,
        String timestampColumn,
        String statusColumn,
        String desNameColumn,
        String shardColumn,
        String locationColumn,
        String reasonColumn,
        String active,
        String marked,
        String packed,
        String failed,
        String eligibleJson,
        Duration olderThan)
        implements Serializable {}
