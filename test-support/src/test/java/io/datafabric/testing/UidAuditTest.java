package io.datafabric.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.junit.jupiter.api.Test;

class UidAuditTest {

    @Test
    void reportsTheOperatorThatLacksAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 10)
                .uid("numbers")
                .name("numbers")
                .map(n -> n * 2)
                .returns(Types.LONG)
                .name("double")
                .addSink(new DiscardingSink<>())
                .uid("discard")
                .name("discard");

        assertThat(UidAudit.operatorsWithoutUid(env)).containsExactly("double");
        assertThat(UidAudit.uids(env)).containsExactly("discard", "numbers");
    }

    @Test
    void passesWhenEveryOperatorHasAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 10)
                .uid("numbers")
                .map(n -> n + 1)
                .returns(Types.LONG)
                .uid("increment")
                .addSink(new DiscardingSink<>())
                .uid("discard");

        assertThat(UidAudit.operatorsWithoutUid(env)).isEmpty();
    }
}
