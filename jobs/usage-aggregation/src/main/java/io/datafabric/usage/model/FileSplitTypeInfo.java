package io.datafabric.usage.model;

import java.io.IOException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Type information of {@link FileSplit} as a stream record and in operator state. */
public final class FileSplitTypeInfo extends TypeInformation<FileSplit> {
    public static final FileSplitTypeInfo INSTANCE = new FileSplitTypeInfo();
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
    public Class<FileSplit> getTypeClass() {
        return FileSplit.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FileSplit> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<FileSplit> createSerializer(ExecutionConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FileSplit";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FileSplitTypeInfo;
    }

    @Override
    public int hashCode() {
        return FileSplitTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FileSplitTypeInfo;
    }

    /** Explicit serializer, the same encoding as {@link FileSplitSerializer}. */
    public static final class Serializer extends TypeSerializerSingleton<FileSplit> {
        public static final Serializer INSTANCE = new Serializer();
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public FileSplit createInstance() {
            return new FileSplit("", 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, "");
        }

        @Override
        public FileSplit copy(FileSplit from) {
            return from;
        }

        @Override
        public FileSplit copy(FileSplit from, FileSplit reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(FileSplit record, DataOutputView target) throws IOException {
            FileSplitSerializer.write(record, target);
        }

        @Override
        public FileSplit deserialize(DataInputView source) throws IOException {
            return FileSplitSerializer.read(source);
        }

        @Override
        public FileSplit deserialize(FileSplit reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<FileSplit> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Serializer snapshot; one format version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FileSplit> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
