package io.datafabric.replication.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.replication.schedule.TaskRequest;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The typed stream: records are Flink POJOs, edge definitions use their own serializer. */
class StreamTypesTest {
    static final EdgeDefinition EDGE =
            GraphParser.parse(
                            """
                            connections:
                              a: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/a"}
                              b: {dialect: mariadb, url: "jdbc:mariadb://127.0.0.1/b"}
                            datasets:
                              t: {connection: a, table: t, cursor: [updated_at, id]}
                              s: {parent: t, filter: {any: [{column: v, op: ">=", value: 10}, {column: w, op: in, values: [x, y]}]}}
                            consumers:
                              e: {dataset: s, target: {connection: b, table: t}, schedule: 5m, approved: true}
                            """)
                    .graph()
                    .resolve("e");

    @Test
    void aTaskRequestIsAPojoWithATypedDefinitionAndRoundTrips() throws Exception {
        StreamTypes.register();
        StreamTypes.register(); // idempotent
        TypeInformation<TaskRequest> type = TypeInformation.of(TaskRequest.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<TaskRequest> pojo = (PojoTypeInfo<TaskRequest>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("edge")))
                .isEqualTo(EdgeDefinitionTypeInfo.INSTANCE);

        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes(); // fails here if any field needed Kryo
        @SuppressWarnings("deprecation")
        TypeSerializer<TaskRequest> serializer = type.createSerializer(config);
        TaskRequest request =
                new TaskRequest("e", EDGE, TaskRequest.Kind.SNAPSHOT, "rules", 42, "run-1");
        TaskRequest removal = new TaskRequest("e", null, TaskRequest.Kind.REMOVE, "gone", 43, "");
        for (TaskRequest r : new TaskRequest[] {request, removal}) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(r, out);
            TaskRequest back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            // equal up to the YAML paths kept for messages (not part of the JSON form)
            assertThat(back).usingRecursiveComparison().ignoringFields("edge").isEqualTo(r);
            assertThat(back.edge() == null ? null : back.edge().toJson())
                    .isEqualTo(r.edge() == null ? null : r.edge().toJson());
        }
        assertThat(EdgeDefinitionSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(EdgeDefinitionSerializer.INSTANCE);
    }
}
