package io.datafabric.despacker.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The state serializer of {@link FileRef} (the references the packer keeps per open shard), with a
 * snapshot so checkpoints and savepoints can check compatibility on restore. The format is {@link
 * Codecs} version 1.
 */
public final class FileRefTypeSerializer extends TypeSerializerSingleton<FileRef> {
    private static final long serialVersionUID = 1L;

    public static final FileRefTypeSerializer INSTANCE = new FileRefTypeSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public FileRef createInstance() {
        return null;
    }

    @Override
    public FileRef copy(FileRef from) {
        return from;
    }

    @Override
    public FileRef copy(FileRef from, FileRef reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FileRef record, DataOutputView target) throws IOException {
        Codecs.writeRef(record, target);
    }

    @Override
    public FileRef deserialize(DataInputView source) throws IOException {
        return Codecs.readRef(source);
    }

    @Override
    public FileRef deserialize(FileRef reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<FileRef> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the serializer; a later format version adds its own. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FileRef> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
