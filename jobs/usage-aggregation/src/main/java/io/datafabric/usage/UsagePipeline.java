package io.datafabric.usage;

import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.lease.InputKeys;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.ChunkDeltaSerializer;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitTypeSerializer;
import io.datafabric.usage.notify.NotificationDeserializer;
import io.datafabric.usage.notify.NotificationMessage;
import io.datafabric.usage.notify.NotificationPlanner;
import io.datafabric.usage.notify.SplitReadingOperatorFactory;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import io.datafabric.usage.read.SplitPlanner;
import io.datafabric.usage.sink.UsageSink;
import io.datafabric.usage.source.DirectorySourceOptions;
import io.datafabric.usage.source.UsageFileSource;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSource;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;

/**
 * Builds the usage-aggregation graph. Sources and the sink are parameters, so tests run the very
 * same pipeline; {@link #build} wires the production ones.
 *
 * <pre>
 * directory mode:     UsageFileSource (N readers) ──┐
 * notification mode:  RMQSource (1) → planner (1) → split readers (N) ──┤→ UsageSink (1)
 * </pre>
 *
 * <p>The uids below are public interface: savepoints map state by them.
 */
public final class UsagePipeline {
    public static final String DIRECTORY_SOURCE_UID = "usage-directory-source";
    public static final String RABBITMQ_SOURCE_UID = "usage-rabbitmq-notifications";
    public static final String PLANNER_UID = "usage-notification-planner";
    public static final String SPLIT_READER_UID = "usage-split-reader";
    public static final String SINK_UID = "usage-postgres-sink";

    private final UsageConfig config;
    private final ReadProgressListener listener;

    public UsagePipeline(UsageConfig config) {
        this(config, null);
    }

    private UsagePipeline(UsageConfig config, ReadProgressListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * The same pipeline with a listener in its readers (both modes). Tests use it to fail or slow a
     * reader at a chosen point; the job sets none.
     */
    public UsagePipeline withReadListener(ReadProgressListener readListener) {
        return new UsagePipeline(config, readListener);
    }

    /** Builds the production graph for the configured way in. */
    public void build(StreamExecutionEnvironment env) {
        configure(env);
        DataStream<ChunkDelta> deltas =
                config.notificationMode()
                        ? readNotifications(env, notificationSource())
                        : readDirectory(env, directorySource());
        commitTo(deltas, sink());
    }

    /** Checkpointing, max parallelism, parallelism, no generic types. */
    public void configure(StreamExecutionEnvironment env) {
        if (config.bounded()) {
            // a backfill: read everything, then commit once at the end, without waiting for a
            // periodic checkpoint to carry the last increments
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        }
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getConfig().disableGenericTypes();
        env.setMaxParallelism(config.maxParallelism());
        if (config.parallelism() > 0) {
            env.setParallelism(config.parallelism());
        }
        if (config.checkpointDir() != null) {
            env.getCheckpointConfig().setCheckpointStorage(config.checkpointDir());
        }
    }

    public UsageFileSource directorySource() {
        return new UsageFileSource(
                new DirectorySourceOptions(
                        config.input(),
                        config.bounded(),
                        config.scanInterval().toMillis(),
                        config.jdbc(),
                        planner(),
                        readOptions(),
                        config.recentPathsMax(),
                        config.recentPathsMinAge().toMillis(),
                        config.leaseTtl().toMillis(),
                        listener));
    }

    public RMQSource<NotificationMessage> notificationSource() {
        RMQConnectionConfig connection;
        try {
            connection = new RMQConnectionConfig.Builder().setUri(config.rabbitUri()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RabbitMQ URI", e);
        }
        return new RMQSource<>(connection, config.queue(), true, new NotificationDeserializer());
    }

    public UsageSink sink() {
        return new UsageSink(config.jdbc());
    }

    /** Directory mode: parallel readers of the given source. */
    public DataStream<ChunkDelta> readDirectory(
            StreamExecutionEnvironment env, Source<ChunkDelta, ?, ?> source) {
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "usage-files " + (config.input() == null ? "" : config.input()),
                        ChunkDeltaSerializer.TYPE_INFO)
                .uid(DIRECTORY_SOURCE_UID);
    }

    /**
     * Notification mode: one message per finished file, consumed at parallelism 1 (RabbitMQ
     * exactly-once needs it), planned into splits, read by parallel readers.
     */
    public DataStream<ChunkDelta> readNotifications(
            StreamExecutionEnvironment env, SourceFunction<NotificationMessage> notifications) {
        DataStream<NotificationMessage> messages =
                env.addSource(notifications, "usage-notifications", NotificationMessage.TYPE_INFO)
                        .uid(RABBITMQ_SOURCE_UID)
                        .setParallelism(1);
        SingleOutputStreamOperator<FileSplit> splits =
                messages.transform(
                                "usage-plan-splits",
                                FileSplitTypeSerializer.TYPE_INFO,
                                new NotificationPlanner(
                                        config.jdbc(),
                                        planner(),
                                        InputKeys.queue(config.rabbitUri(), config.queue()),
                                        config.recentPathsMax(),
                                        config.recentPathsMinAge().toMillis(),
                                        config.leaseTtl()))
                        .uid(PLANNER_UID)
                        .setParallelism(1);
        DataStream<ChunkDelta> read =
                splits.rebalance()
                        .transform(
                                "usage-read-splits",
                                ChunkDeltaSerializer.TYPE_INFO,
                                new SplitReadingOperatorFactory(readOptions(), listener))
                        .uid(SPLIT_READER_UID);
        return read.union(splits.getSideOutput(NotificationPlanner.REJECTS));
    }

    /**
     * Sends the sums to the sink, which commits at parallelism 1 (one transaction per checkpoint).
     */
    public void commitTo(DataStream<ChunkDelta> deltas, Sink<ChunkDelta> sink) {
        deltas.sinkTo(sink).name("usage-postgres").uid(SINK_UID).setParallelism(1);
    }

    private SplitPlanner planner() {
        return new SplitPlanner(config.splitSize(), config.period().toSeconds());
    }

    private ReadOptions readOptions() {
        return new ReadOptions(
                config.chunkSize(),
                config.preaggregateMaxEntries(),
                config.maxRejectRowsPerSplit());
    }
}
