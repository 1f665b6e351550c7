package io.datafabric.replication.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrmsEventTest {
    static JsonSchema schema() throws Exception {
        try (InputStream in = DrmsEventTest.class.getResourceAsStream("/drms-event.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static Set<ValidationMessage> violations(String json) throws Exception {
        return schema().validate(new ObjectMapper().readTree(json));
    }

    @Test
    void emittedEventsMatchThePublishedSchema() throws Exception {
        String json =
                DrmsEvent.loaded("big_orders", "big_to_mdb", 42, "[\"2024-01-01\",7]").toJson();
        assertThat(violations(json)).isEmpty();
        assertThat(violations(new DrmsEvent(1, "orders", null, 0, null, null).toJson())).isEmpty();
        DrmsEvent back = DrmsEvent.parse(json).orElseThrow();
        assertThat(back.dataset()).isEqualTo("big_orders");
        assertThat(back.edge()).isEqualTo("big_to_mdb");
        assertThat(back.rows()).isEqualTo(42);
    }

    @Test
    void schemaRejectsWhatTheRouterRejects() throws Exception {
        String wrongVersion =
                "{\"schema_version\":2,\"dataset\":\"a\",\"edge\":null,\"rows\":1,\"cursor\":null}";
        assertThat(violations(wrongVersion)).isNotEmpty();
        assertThat(DrmsEvent.parse(wrongVersion)).isEmpty();
        String noDataset = "{\"schema_version\":1,\"edge\":null,\"rows\":1,\"cursor\":null}";
        assertThat(violations(noDataset)).isNotEmpty();
        assertThat(DrmsEvent.parse(noDataset)).isEmpty();
        assertThat(DrmsEvent.parse("not json")).isEmpty();
        assertThat(
                        violations(
                                "{\"schema_version\":1,\"dataset\":\"a\",\"edge\":\"e\",\"rows\":-1,\"cursor\":null}"))
                .isNotEmpty();
    }

    @Test
    void routingKeyIsTheDataset() {
        EventPublishOptions options = new EventPublishOptions("drms.events");
        String json = DrmsEvent.loaded("big_orders", "e", 1, null).toJson();
        assertThat(options.computeRoutingKey(json)).isEqualTo("big_orders");
        assertThat(options.computeExchange(json)).isEqualTo("drms.events");
    }
}
