package io.datafabric.despacker.commit;

import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.model.Codecs;
import io.datafabric.despacker.model.ShardCommittable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The sink of closed shards: a two-phase sink (Sink V2 with {@link SupportsCommitter}). The writer
 * hands each closed shard over as a committable at the next checkpoint; the committer records it
 * after that checkpoint completed (see {@link ShardCommitter}), and again after a recovery, which
 * is harmless because recording is idempotent. So metadata is written only for objects that a
 * completed checkpoint knows as closed, never for an object a recovery will write again.
 */
public final class PackedShardSink
        implements Sink<ShardCommittable>, SupportsCommitter<ShardCommittable> {
    private static final long serialVersionUID = 1L;

    private final PackerConfig config;

    public PackedShardSink(PackerConfig config) {
        this.config = config;
    }

    @Override
    public CommittingSinkWriter<ShardCommittable, ShardCommittable> createWriter(
            WriterInitContext context) {
        return new HandOver();
    }

    /** Older entry point of the Sink API; Flink 1.20 calls the other one. */
    @Override
    @Deprecated
    public CommittingSinkWriter<ShardCommittable, ShardCommittable> createWriter(
            Sink.InitContext context) {
        return new HandOver();
    }

    @Override
    public Committer<ShardCommittable> createCommitter(CommitterInitContext context) {
        return new ShardCommitter(config, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<ShardCommittable> getCommittableSerializer() {
        return new Codecs.CommittableSerializer();
    }

    /** Holds the shards closed since the last checkpoint until Flink asks for them. */
    static final class HandOver
            implements CommittingSinkWriter<ShardCommittable, ShardCommittable> {
        private final List<ShardCommittable> closed = new ArrayList<>();

        @Override
        public void write(ShardCommittable shard, Context context) {
            closed.add(shard);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<ShardCommittable> prepareCommit() {
            List<ShardCommittable> out = new ArrayList<>(closed);
            closed.clear();
            return out;
        }

        @Override
        public void close() {}
    }
}
