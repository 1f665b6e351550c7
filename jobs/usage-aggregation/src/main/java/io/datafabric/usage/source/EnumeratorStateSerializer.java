package io.datafabric.usage.source;

import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned binary form of {@link EnumeratorState}. */
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<EnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeUTF(state.owner());
        out.writeBoolean(state.initialScanDone());
        out.writeInt(state.pending().size());
        for (FileSplit s : state.pending()) {
            FileSplitSerializer.write(s, out);
        }
        out.writeInt(state.recent().size());
        for (Map.Entry<String, Long> e : state.recent()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown enumerator state version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String owner = in.readUTF();
        boolean scanned = in.readBoolean();
        int n = in.readInt();
        List<FileSplit> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(FileSplitSerializer.read(in));
        }
        int m = in.readInt();
        List<Map.Entry<String, Long>> recent = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            recent.add(Map.entry(in.readUTF(), in.readLong()));
        }
        return new EnumeratorState(owner, pending, recent, scanned);
    }
}
