package io.datafabric.usage.sink;

import io.datafabric.usage.model.Codec;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned binary form of {@link UsageCommittable} (it is kept in checkpoints until applied). */
public final class UsageCommittableSerializer
        implements SimpleVersionedSerializer<UsageCommittable> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(UsageCommittable c) throws IOException {
        DataOutputSerializer out =
                new DataOutputSerializer((int) Math.min(1 << 20, 64 + 16 * c.entries()));
        out.writeLong(c.commitId().getMostSignificantBits());
        out.writeLong(c.commitId().getLeastSignificantBits());
        out.writeUTF(c.jobId());
        out.writeInt(c.subtask());
        out.writeLong(c.checkpointId());
        out.writeInt(c.deltas().size());
        for (UsageCommittable.PeriodDeltas d : c.deltas()) {
            out.writeLong(d.periodStart());
            Codec.writeLongs(d.consumers(), out);
            Codec.writeLongs(d.amounts(), out);
        }
        Codec.writeRejects(c.rejects(), out);
        out.writeInt(c.progress().size());
        for (SplitProgress p : c.progress()) {
            Codec.writeProgress(p, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public UsageCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown usage committable version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        UUID id = new UUID(in.readLong(), in.readLong());
        String job = in.readUTF();
        int subtask = in.readInt();
        long checkpoint = in.readLong();
        int n = in.readInt();
        List<UsageCommittable.PeriodDeltas> deltas = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long period = in.readLong();
            deltas.add(
                    new UsageCommittable.PeriodDeltas(
                            period, Codec.readLongs(in), Codec.readLongs(in)));
        }
        List<RejectRow> rejects = Codec.readRejects(in);
        int m = in.readInt();
        List<SplitProgress> progress = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            progress.add(Codec.readProgress(in));
        }
        return new UsageCommittable(id, job, subtask, checkpoint, deltas, rejects, progress);
    }
}
