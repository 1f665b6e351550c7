package io.datafabric.usage.model;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/** Versioned binary form of {@link FileSplit}, used for split state in checkpoints. */
public final class FileSplitSerializer implements SimpleVersionedSerializer<FileSplit> {
    public static final FileSplitSerializer INSTANCE = new FileSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FileSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128 + split.path().length() * 3);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public FileSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown FileSplit serialization version " + version);
        }
        return read(new DataInputDeserializer(serialized));
    }

    /** Writes a split (without version) into a larger structure. */
    public static void write(FileSplit s, DataOutputView out) throws IOException {
        out.writeUTF(s.path());
        out.writeLong(s.fileSize());
        out.writeLong(s.mtimeMillis());
        out.writeLong(s.periodStart());
        out.writeLong(s.splitSize());
        out.writeInt(s.index());
        out.writeInt(s.count());
        out.writeLong(s.start());
        out.writeLong(s.end());
        out.writeLong(s.offset());
        out.writeLong(s.physicalLines());
        out.writeLong(s.rejects());
        out.writeUTF(s.owner());
    }

    /** Reads what {@link #write} wrote. */
    public static FileSplit read(DataInputView in) throws IOException {
        return new FileSplit(
                in.readUTF(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readInt(),
                in.readInt(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readUTF());
    }
}
