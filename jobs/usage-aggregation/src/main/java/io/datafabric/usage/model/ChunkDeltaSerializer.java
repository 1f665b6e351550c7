package io.datafabric.usage.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Explicit serializer of {@link ChunkDelta}: no reflection, no Kryo. */
public final class ChunkDeltaSerializer extends TypeSerializerSingleton<ChunkDelta> {
    public static final ChunkDeltaSerializer INSTANCE = new ChunkDeltaSerializer();
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ChunkDelta createInstance() {
        return ChunkDelta.rejectsOnly(java.util.List.of());
    }

    @Override
    public ChunkDelta copy(ChunkDelta from) {
        return from; // immutable by contract
    }

    @Override
    public ChunkDelta copy(ChunkDelta from, ChunkDelta reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
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
    public ChunkDelta deserialize(ChunkDelta reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
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
