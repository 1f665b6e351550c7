package io.datafabric.usage.notify;

import io.datafabric.usage.model.ImmutableRecordSerializer;
import io.datafabric.usage.model.RecordTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * One RabbitMQ message as the planner sees it.
 *
 * @param correlationId the message's {@code correlation_id}, or null when it had none
 * @param body the body, decoded as UTF-8
 */
public record NotificationMessage(String correlationId, String body) {
    public static final TypeInformation<NotificationMessage> TYPE_INFO =
            new RecordTypeInfo<>(NotificationMessage.class, Serializer.INSTANCE);

    /** The explicit serializer (no Kryo). */
    public static final class Serializer extends ImmutableRecordSerializer<NotificationMessage> {
        public static final Serializer INSTANCE = new Serializer();
        private static final long serialVersionUID = 1L;

        @Override
        public NotificationMessage createInstance() {
            return new NotificationMessage(null, "");
        }

        @Override
        public void serialize(NotificationMessage record, DataOutputView target)
                throws IOException {
            target.writeBoolean(record.correlationId() != null);
            if (record.correlationId() != null) {
                target.writeUTF(record.correlationId());
            }
            byte[] body = record.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            target.writeInt(body.length);
            target.write(body);
        }

        @Override
        public NotificationMessage deserialize(DataInputView source) throws IOException {
            String id = source.readBoolean() ? source.readUTF() : null;
            byte[] body = new byte[source.readInt()];
            source.readFully(body);
            return new NotificationMessage(
                    id, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public TypeSerializerSnapshot<NotificationMessage> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Serializer snapshot; one format version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NotificationMessage> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
