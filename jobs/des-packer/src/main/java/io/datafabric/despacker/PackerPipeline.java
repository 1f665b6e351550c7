package io.datafabric.despacker;

import io.datafabric.despacker.commit.PackedShardSink;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.VersionedTypeInfo;
import io.datafabric.despacker.pack.ShardAssembler;
import io.datafabric.despacker.source.MarkedFileSource;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Builds the packer's DataStream graph: marker source → keyBy (source, shard) → shard assembler →
 * two-phase commit sink. The marker is a parameter, so tests run the very same graph with their own
 * source.
 */
public final class PackerPipeline {
    public static final String MARKER_UID = "des-packer-marker";
    public static final String ASSEMBLER_UID = "des-packer-assembler";
    public static final String COMMIT_UID = "des-packer-commit";

    private final PackerConfig config;

    public PackerPipeline(PackerConfig config) {
        this.config = config;
    }

    /** The production graph with the marker as its source. */
    public void build(StreamExecutionEnvironment env) {
        build(env, new MarkedFileSource(config));
    }

    /** The graph fed by {@code marker}. */
    public void build(StreamExecutionEnvironment env, SourceFunction<FileRef> marker) {
        env.getConfig().disableGenericTypes();
        env.setMaxParallelism(config.maxParallelism());
        if (!config.bounded() && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(
                    config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        DataStream<FileRef> refs =
                env.addSource(marker, "des-packer marker", VersionedTypeInfo.fileRef())
                        .uid(MARKER_UID)
                        .setParallelism(config.markerParallelism());
        refs.keyBy(FileRef::shardKey, Types.STRING)
                .process(new ShardAssembler(config), VersionedTypeInfo.committable())
                .name("des-packer assembler")
                .uid(ASSEMBLER_UID)
                .setParallelism(config.parallelism())
                .sinkTo(new PackedShardSink(config))
                .name("des-packer commit")
                .uid(COMMIT_UID)
                .setParallelism(config.parallelism());
    }
}
