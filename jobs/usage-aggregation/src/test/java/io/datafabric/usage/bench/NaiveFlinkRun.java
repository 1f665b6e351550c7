package io.datafabric.usage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;

/** Peer: the textbook Flink job, text lines → split → keyBy → sum, same parallelism. */
public final class NaiveFlinkRun {
    private NaiveFlinkRun() {}

    /** Args: input dir, threads. */
    @SuppressWarnings("deprecation")
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[1]);
        org.apache.flink.core.fs.Path[] paths;
        try (Stream<Path> list = Files.list(Path.of(args[0]))) {
            paths =
                    list.filter(p -> p.getFileName().toString().endsWith(".txt"))
                            .map(p -> new org.apache.flink.core.fs.Path(p.toUri()))
                            .toArray(org.apache.flink.core.fs.Path[]::new);
        }
        Configuration flink = new Configuration();
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(threads, flink);
        try (Measured m = new Measured()) {
            env.fromSource(
                            FileSource.forRecordStreamFormat(new TextLineInputFormat(), paths)
                                    .build(),
                            WatermarkStrategy.noWatermarks(),
                            "lines")
                    .map(
                            line -> {
                                String[] parts = line.trim().split("\\s+");
                                return Tuple2.of(
                                        Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                            })
                    .returns(Types.TUPLE(Types.LONG, Types.LONG))
                    .keyBy(t -> t.f0)
                    .sum(1)
                    .addSink(new DiscardingSink<>());
            env.execute("naive-usage");
            m.report(-1, "n/a");
        }
    }
}
