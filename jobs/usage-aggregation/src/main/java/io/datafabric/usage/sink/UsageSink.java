package io.datafabric.usage.sink;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.usage.model.ChunkDelta;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The exactly-once PostgreSQL sink: a two-phase commit sink (Sink V2 with {@link
 * SupportsCommitter}, FLIP-372). The writer sums per checkpoint; the committer applies each
 * checkpoint's sums, rejects, positions, file completions and ledger row in one transaction.
 *
 * <p>It runs with parallelism 1 (set by {@code UsagePipeline}), so one transaction holds all of a
 * checkpoint's effect, including the completion of files whose splits were read by different
 * readers. A small pre-commit step stamps each committable with its checkpoint id for the ledger.
 */
public final class UsageSink
        implements Sink<ChunkDelta>,
                SupportsCommitter<UsageCommittable>,
                SupportsPreCommitTopology<UsageCommittable, UsageCommittable> {
    private static final long serialVersionUID = 1L;

    private final JdbcSettings jdbc;

    public UsageSink(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public CommittingSinkWriter<ChunkDelta, UsageCommittable> createWriter(WriterInitContext ctx) {
        return writer(ctx);
    }

    /** Older entry point of the Sink API; Flink 1.20 calls the other one. */
    @Override
    @Deprecated
    public CommittingSinkWriter<ChunkDelta, UsageCommittable> createWriter(Sink.InitContext ctx) {
        return writer(ctx);
    }

    private static UsageWriter writer(org.apache.flink.api.connector.sink2.InitContext ctx) {
        return new UsageWriter(ctx.getJobInfo().getJobId().toString(), ctx.getSubtaskId());
    }

    @Override
    public Committer<UsageCommittable> createCommitter(CommitterInitContext context) {
        return new LedgerCommitter(jdbc, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<UsageCommittable> getCommittableSerializer() {
        return new UsageCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<UsageCommittable> getWriteResultSerializer() {
        return new UsageCommittableSerializer();
    }

    @Override
    public DataStream<CommittableMessage<UsageCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<UsageCommittable>> committables) {
        return committables
                .map(
                        new StampCheckpoint(),
                        CommittableMessageTypeInfo.of(UsageCommittableSerializer::new))
                .name("usage-ledger-stamp")
                .uid("usage-ledger-stamp")
                .setParallelism(1)
                // the committer in a task of its own: while a commit runs, the writer keeps
                // summing and the readers keep reading
                .startNewChain();
    }

    /** Copies the checkpoint id Flink attaches to a committable into the committable itself. */
    static final class StampCheckpoint
            implements MapFunction<
                    CommittableMessage<UsageCommittable>, CommittableMessage<UsageCommittable>> {
        private static final long serialVersionUID = 1L;

        @Override
        public CommittableMessage<UsageCommittable> map(
                CommittableMessage<UsageCommittable> message) {
            if (message instanceof CommittableWithLineage<UsageCommittable> lineage) {
                long checkpoint = lineage.getCheckpointIdOrEOI();
                return lineage.map(c -> c.withCheckpoint(checkpoint));
            }
            return message;
        }
    }
}
