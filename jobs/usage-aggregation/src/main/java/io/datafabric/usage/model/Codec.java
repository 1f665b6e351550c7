package io.datafabric.usage.model;

import io.datafabric.usage.parse.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Binary encodings shared by the record serializer and the committable serializer. */
public final class Codec {
    private static final RejectReason[] REASONS = RejectReason.values();

    private Codec() {}

    public static void writeProgress(SplitProgress p, DataOutputView out) throws IOException {
        out.writeUTF(p.path());
        out.writeLong(p.fileSize());
        out.writeLong(p.mtimeMillis());
        out.writeLong(p.periodStart());
        out.writeLong(p.splitSize());
        out.writeInt(p.splitCount());
        out.writeInt(p.splitIndex());
        out.writeUTF(p.owner());
        out.writeLong(p.nextOffset());
        out.writeLong(p.physicalLines());
        out.writeLong(p.lines());
        out.writeLong(p.rejects());
        out.writeLong(p.bytes());
        out.writeBoolean(p.done());
    }

    public static SplitProgress readProgress(DataInputView in) throws IOException {
        return new SplitProgress(
                in.readUTF(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readInt(),
                in.readInt(),
                in.readUTF(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readBoolean());
    }

    public static void writeRejects(List<RejectRow> rejects, DataOutputView out)
            throws IOException {
        out.writeInt(rejects.size());
        for (RejectRow r : rejects) {
            out.writeUTF(r.file());
            out.writeInt(r.splitIndex());
            out.writeLong(r.lineInSplit());
            out.writeLong(r.byteOffset());
            out.writeByte(r.reason().ordinal());
            out.writeShort(r.raw().length);
            out.write(r.raw());
        }
    }

    public static List<RejectRow> readRejects(DataInputView in) throws IOException {
        int n = in.readInt();
        List<RejectRow> rejects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String file = in.readUTF();
            int split = in.readInt();
            long line = in.readLong();
            long offset = in.readLong();
            RejectReason reason = REASONS[in.readByte()];
            byte[] raw = new byte[in.readUnsignedShort()];
            in.readFully(raw);
            rejects.add(new RejectRow(file, split, line, offset, reason, raw));
        }
        return rejects;
    }

    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
