package io.datafabric.despacker.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The explicit, versioned binary forms of the packer's records, used in Flink state, on the wire
 * and for committables. Version 1; a later version must still read version 1 (savepoints).
 */
public final class Codecs {
    private Codecs() {}

    public static void writeRef(FileRef r, DataOutputView out) throws IOException {
        out.writeUTF(r.source());
        writeLongString(r.id(), out);
        writeLongString(r.path(), out);
        out.writeLong(r.size());
        out.writeUTF(r.desName());
        out.writeInt(r.shard());
    }

    public static FileRef readRef(DataInputView in) throws IOException {
        return new FileRef(
                in.readUTF(),
                readLongString(in),
                readLongString(in),
                in.readLong(),
                in.readUTF(),
                in.readInt());
    }

    /** Strings that may exceed writeUTF's 64 KiB limit (paths, ids). */
    static void writeLongString(String s, DataOutputView out) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readLongString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) {
            throw new IOException("corrupt string length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@link FileRef} as a versioned serializer. */
    public static final class FileRefSerializer implements SimpleVersionedSerializer<FileRef> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FileRef ref) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(128);
            writeRef(ref, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public FileRef deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("unknown FileRef version " + version);
            }
            return readRef(new DataInputDeserializer(bytes));
        }
    }

    /** {@link ShardCommittable} as a versioned serializer. */
    public static final class CommittableSerializer
            implements SimpleVersionedSerializer<ShardCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ShardCommittable c) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256 + c.files().size() * 96);
            out.writeUTF(c.source());
            out.writeInt(c.shard());
            out.writeLong(c.seq());
            writeLongString(c.objectKey(), out);
            writeLongString(c.objectUri(), out);
            out.writeLong(c.objectSize());
            out.writeUTF(c.checksum());
            out.writeInt(c.files().size());
            for (PackedFile f : c.files()) {
                writeRef(f.ref(), out);
                out.writeLong(f.offset());
                out.writeLong(f.length());
                out.writeInt(f.crc32c());
            }
            out.writeInt(c.failed().size());
            for (FailedFile f : c.failed()) {
                writeRef(f.ref(), out);
                writeLongString(f.reason(), out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public ShardCommittable deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("unknown ShardCommittable version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            String source = in.readUTF();
            int shard = in.readInt();
            long seq = in.readLong();
            String key = readLongString(in);
            String uri = readLongString(in);
            long size = in.readLong();
            String checksum = in.readUTF();
            int n = in.readInt();
            List<PackedFile> files = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                files.add(new PackedFile(readRef(in), in.readLong(), in.readLong(), in.readInt()));
            }
            int m = in.readInt();
            List<FailedFile> failed = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                failed.add(new FailedFile(readRef(in), readLongString(in)));
            }
            return new ShardCommittable(
                    source, shard, seq, key, uri, size, checksum, files, failed);
        }
    }
}
