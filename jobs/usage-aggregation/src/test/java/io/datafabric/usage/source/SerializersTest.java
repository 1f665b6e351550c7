package io.datafabric.usage.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.ChunkDeltaSerializer;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitSerializer;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.parse.RejectReason;
import io.datafabric.usage.sink.UsageCommittable;
import io.datafabric.usage.sink.UsageCommittableSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SerializersTest {
    private static final FileSplit SPLIT =
            new FileSplit("file:/d/u-1.txt", 100, 5, 3600, 64, 1, 2, 64, 100, 70, 3, 1, "own");
    private static final SplitProgress PROGRESS =
            new SplitProgress(
                    "file:/d/u-1.txt", 100, 5, 3600, 64, 2, 1, "own", 90, 9, 8, 1, 20, true);
    private static final RejectRow REJECT =
            new RejectRow("file:/d/u-1.txt", 1, 4, 77, RejectReason.SIGN, new byte[] {'-', '1'});

    @Test
    void splitsSurviveTheCheckpointFormat() throws IOException {
        FileSplitSerializer s = FileSplitSerializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(SPLIT))).isEqualTo(SPLIT);
    }

    @Test
    void enumeratorStateSurvivesTheCheckpointFormat() throws IOException {
        EnumeratorState state =
                new EnumeratorState(
                        "owner-1",
                        List.of(SPLIT),
                        List.of(Map.entry("file:/d/u-0.txt", 42L)),
                        true);
        EnumeratorStateSerializer s = new EnumeratorStateSerializer();
        EnumeratorState back = s.deserialize(s.getVersion(), s.serialize(state));
        assertThat(back.owner()).isEqualTo("owner-1");
        assertThat(back.pending()).containsExactly(SPLIT);
        assertThat(back.recent()).containsExactly(Map.entry("file:/d/u-0.txt", 42L));
        assertThat(back.initialScanDone()).isTrue();
    }

    @Test
    void chunkDeltasSurviveTheNetworkFormat() throws IOException {
        ChunkDelta d =
                new ChunkDelta(
                        PROGRESS, 3600, new long[] {1, 2}, new long[] {10, 20}, List.of(REJECT));
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChunkDeltaSerializer.INSTANCE.serialize(d, out);
        ChunkDelta back =
                ChunkDeltaSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.progress()).isEqualTo(PROGRESS);
        assertThat(back.consumers()).containsExactly(1, 2);
        assertThat(back.amounts()).containsExactly(10, 20);
        assertThat(back.rejects())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.reason()).isEqualTo(RejectReason.SIGN);
                            assertThat(r.raw()).containsExactly('-', '1');
                            assertThat(r.byteOffset()).isEqualTo(77);
                        });
    }

    @Test
    void committablesSurviveTheCheckpointFormat() throws IOException {
        UsageCommittable c =
                new UsageCommittable(
                        UUID.randomUUID(),
                        "job",
                        0,
                        7,
                        List.of(
                                new UsageCommittable.PeriodDeltas(
                                        0, new long[] {5}, new long[] {6})),
                        List.of(REJECT),
                        List.of(PROGRESS));
        UsageCommittableSerializer s = new UsageCommittableSerializer();
        UsageCommittable back = s.deserialize(s.getVersion(), s.serialize(c));
        assertThat(back.commitId()).isEqualTo(c.commitId());
        assertThat(back.checkpointId()).isEqualTo(7);
        assertThat(back.deltas().get(0).consumers()).containsExactly(5);
        assertThat(back.deltas().get(0).amounts()).containsExactly(6);
        assertThat(back.progress()).containsExactly(PROGRESS);
        assertThat(back.rejects()).hasSize(1);
    }
}
