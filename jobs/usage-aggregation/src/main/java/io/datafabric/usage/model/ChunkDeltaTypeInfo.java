package io.datafabric.usage.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information that binds {@link ChunkDelta} to {@link ChunkDeltaSerializer}. */
public final class ChunkDeltaTypeInfo extends TypeInformation<ChunkDelta> {
    public static final ChunkDeltaTypeInfo INSTANCE = new ChunkDeltaTypeInfo();
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ChunkDelta> getTypeClass() {
        return ChunkDelta.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ChunkDelta> createSerializer(SerializerConfig config) {
        return ChunkDeltaSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<ChunkDelta> createSerializer(ExecutionConfig config) {
        return ChunkDeltaSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ChunkDelta";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ChunkDeltaTypeInfo;
    }

    @Override
    public int hashCode() {
        return ChunkDeltaTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ChunkDeltaTypeInfo;
    }
}
