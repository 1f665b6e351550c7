package io.datafabric.usage.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link FileSplit} as a stream record and in operator state, in the same encoding as {@link
 * FileSplitSerializer}.
 */
public final class FileSplitTypeSerializer extends ImmutableRecordSerializer<FileSplit> {
    public static final FileSplitTypeSerializer INSTANCE = new FileSplitTypeSerializer();
    public static final TypeInformation<FileSplit> TYPE_INFO =
            new RecordTypeInfo<>(FileSplit.class, INSTANCE);
    private static final long serialVersionUID = 1L;

    @Override
    public FileSplit createInstance() {
        return new FileSplit("", 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, "");
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
    public TypeSerializerSnapshot<FileSplit> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; one format version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FileSplit> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
