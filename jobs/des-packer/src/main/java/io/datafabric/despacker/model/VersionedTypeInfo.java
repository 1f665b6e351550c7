package io.datafabric.despacker.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializerTypeSerializerProxy;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Type information that binds a record to its explicit versioned serializer, so Flink never falls
 * back to reflection or Kryo for it. Types kept in keyed state ({@link FileRef}) use a full {@link
 * TypeSerializer} with a snapshot; the committable only travels between operators (its state is the
 * sink's, written with its own versioned serializer).
 */
public final class VersionedTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final SerializableSupplier<SimpleVersionedSerializer<T>> serializer;
    private final TypeSerializer<T> stateSerializer;

    public VersionedTypeInfo(
            Class<T> type, SerializableSupplier<SimpleVersionedSerializer<T>> serializer) {
        this(type, serializer, null);
    }

    private VersionedTypeInfo(
            Class<T> type,
            SerializableSupplier<SimpleVersionedSerializer<T>> serializer,
            TypeSerializer<T> stateSerializer) {
        this.type = type;
        this.serializer = serializer;
        this.stateSerializer = stateSerializer;
    }

    public static VersionedTypeInfo<FileRef> fileRef() {
        return new VersionedTypeInfo<>(
                FileRef.class, Codecs.FileRefSerializer::new, FileRefTypeSerializer.INSTANCE);
    }

    public static VersionedTypeInfo<ShardCommittable> committable() {
        return new VersionedTypeInfo<>(ShardCommittable.class, Codecs.CommittableSerializer::new);
    }

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
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        if (stateSerializer != null) {
            return stateSerializer;
        }
        return new SimpleVersionedSerializerTypeSerializerProxy<>(serializer);
    }

    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        if (stateSerializer != null) {
            return stateSerializer;
        }
        return new SimpleVersionedSerializerTypeSerializerProxy<>(serializer);
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof VersionedTypeInfo<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof VersionedTypeInfo;
    }
}
