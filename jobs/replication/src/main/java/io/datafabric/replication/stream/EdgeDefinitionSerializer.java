package io.datafabric.replication.stream;

import io.datafabric.drms.graph.EdgeDefinition;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of an {@link EdgeDefinition}: its normalized JSON form on the wire and in state
 * (a stable text format that outlives class changes), the typed record everywhere else. The
 * definition is immutable, so copies are the same object.
 */
public final class EdgeDefinitionSerializer extends TypeSerializerSingleton<EdgeDefinition> {
    private static final long serialVersionUID = 1L;

    public static final EdgeDefinitionSerializer INSTANCE = new EdgeDefinitionSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public EdgeDefinition createInstance() {
        return null;
    }

    @Override
    public EdgeDefinition copy(EdgeDefinition from) {
        return from;
    }

    @Override
    public EdgeDefinition copy(EdgeDefinition from, EdgeDefinition reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EdgeDefinition record, DataOutputView target) throws IOException {
        byte[] json = record.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        target.writeInt(json.length);
        target.write(json);
    }

    @Override
    public EdgeDefinition deserialize(DataInputView source) throws IOException {
        byte[] json = new byte[source.readInt()];
        source.readFully(json);
        return EdgeDefinition.fromJson(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public EdgeDefinition deserialize(EdgeDefinition reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public TypeSerializerSnapshot<EdgeDefinition> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: the snapshot only names it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EdgeDefinition> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
