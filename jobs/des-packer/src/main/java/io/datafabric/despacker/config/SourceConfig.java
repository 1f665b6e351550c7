package io.datafabric.despacker.config;

import io.datafabric.common.jdbc.JdbcSettings;
import java.io.Serializable;

/**
 * One master system: its database, its contract and its storage.
 *
 * @param name the source's name in the configuration ({@code sources.<name>.*}); also the path
 *     segment of its shard objects and the {@code source} column of the DES tables
 */
public record SourceConfig(
        String name, JdbcSettings jdbc, MasterContract contract, StorageSettings storage)
        implements Serializable {}
