package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.config.Settings;
import io.datafabric.des.naming.ShardNamer;
import io.datafabric.des.naming.SnowflakeNameGenerator;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.master.MasterTable;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two marker instances on one master table never take the same row; a re-run marks nothing. */
class MarkerITCase {
    @RegisterExtension static final PostgresDatabase MASTER = new PostgresDatabase();

    @Test
    void parallelMarkersNeverCollideAndReRunsAreIdempotent() throws Exception {
        MasterFiles master = new MasterFiles(MasterFiles.Contract.defaults("files"));
        int eligible = 0;
        try (Connection c = MASTER.connect()) {
            master.createTable(c);
            for (int i = 0; i < 600; i++) {
                boolean old = i % 10 != 3;
                boolean temp = i % 10 == 4;
                master.insert(
                        c,
                        String.valueOf(i),
                        "file:///x/" + i,
                        10L,
                        old ? 40 : 1,
                        temp ? "temp" : "doc");
                if (old && !temp) {
                    eligible++;
                }
            }
        }
        Map<String, String> keys = PackerPipelineTest.minimal();
        keys.remove("sources.media.jdbc.url");
        keys.remove("sources.media.table");
        keys.remove("sources.media.storage.root");
        keys.putAll(master.contract.settings("m"));
        keys.put("sources.m.jdbc.url", MASTER.jdbcUrl());
        keys.put("sources.m.jdbc.user", MASTER.user());
        keys.put("sources.m.storage.root", "file:///x/");
        keys.put(
                "sources.m.eligible",
                "{\"column\": \"kind\", \"op\": \"!=\", \"value\": \"temp\"}");
        PackerConfig config = PackerConfig.from(Settings.of(keys), Map.of());
        Instant cutoff = Instant.now().minus(30, ChronoUnit.DAYS);
        ShardNamer shards = new ShardNamer(4, "");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<FileRef>>> runs = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            int n = node;
            Callable<List<FileRef>> marker =
                    () -> {
                        List<FileRef> mine = new ArrayList<>();
                        SnowflakeNameGenerator names = new SnowflakeNameGenerator(n);
                        try (MasterTable table = new MasterTable(config.source("m"))) {
                            for (int round = 0; round < 200; round++) {
                                List<FileRef> batch = table.markBatch(cutoff, 7, names, shards);
                                if (batch.isEmpty()) {
                                    break;
                                }
                                mine.addAll(batch);
                            }
                        }
                        return mine;
                    };
            runs.add(pool.submit(marker));
        }
        List<FileRef> first = runs.get(0).get(60, TimeUnit.SECONDS);
        List<FileRef> second = runs.get(1).get(60, TimeUnit.SECONDS);
        pool.shutdown();

        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (FileRef r : first) {
            ids.add(r.id());
            names.add(r.desName());
        }
        for (FileRef r : second) {
            assertThat(ids.add(r.id())).as("row %s taken twice", r.id()).isTrue();
            names.add(r.desName());
        }
        assertThat(ids).hasSize(eligible);
        assertThat(names).hasSize(eligible);
        assertThat(MASTER.queryLong("SELECT count(*) FROM files WHERE status = 'marked'"))
                .isEqualTo((long) eligible);
        assertThat(MASTER.queryLong("SELECT count(DISTINCT des_name) FROM files"))
                .isEqualTo((long) eligible);
        try (MasterTable table = new MasterTable(config.source("m"))) {
            assertThat(table.markBatch(cutoff, 100, new SnowflakeNameGenerator(5), shards))
                    .isEmpty();
            List<FileRef> marked = table.markedRows(shards);
            assertThat(marked).hasSize(eligible);
            for (FileRef r : marked) {
                assertThat(r.shard()).isEqualTo(shards.shardOf(r.desName()));
            }
        }
    }
}
