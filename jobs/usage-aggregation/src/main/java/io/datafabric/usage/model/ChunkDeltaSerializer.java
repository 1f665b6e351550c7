package io.datafabric.usage.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Explicit serializer of {@link ChunkDelta}: no reflection, no Kryo. */
public final class ChunkDeltaSerializer extends ImmutableRecordSerializer<ChunkDelta> {
    public static final ChunkDeltaSerializer INSTANCE = new ChunkDeltaSerializer();
    public static final TypeInformation<ChunkDelta> TYPE_INFO =
            new RecordTypeInfo<>(ChunkDelta.class, INSTANCE);
    private static final long serialVersionUID = 1L;

    @Override
    public ChunkDelta createInstance() {
        return ChunkDelta.rejectsOnly(java.util.List.of());
    }

    @Override
    public void serialize(ChunkDelta d, DataOutputView out) throws IOException {
        out.writeBoolean(d.progress() != null);
        if (d.progress() != null) {
            Codec.writeProgress(d.progress(), out);
        }
        out.writeLong(d.periodStart());
        Codec.writeLongs(d.consumers(), out);
        Codec.writeLongs(d.amounts(), out);
        Codec.writeRejects(d.rejects(), out);
    }

    @Override
    public ChunkDelta deserialize(DataInputView in) throws IOException {
        SplitProgress progress = in.readBoolean() ? Codec.readProgress(in) : null;
        long period = in.readLong();
        long[] consumers = Codec.readLongs(in);
        long[] amounts = Codec.readLongs(in);
        return new ChunkDelta(progress, period, consumers, amounts, Codec.readRejects(in));
    }

    @Override
    public TypeSerializerSnapshot<ChunkDelta> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the format has a single version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChunkDelta> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
