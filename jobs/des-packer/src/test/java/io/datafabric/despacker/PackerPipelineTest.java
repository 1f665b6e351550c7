package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.Settings;
import io.datafabric.despacker.config.EligibilityFilter;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.model.Codecs;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.despacker.model.ShardCommittable;
import io.datafabric.drms.sql.Filter;
import io.datafabric.testing.UidAudit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class PackerPipelineTest {

    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("des.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/des");
        m.put("archive.uri", "file:///tmp/archive/");
        m.put("sources.media.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/media");
        m.put("sources.media.table", "public.media_files");
        m.put("sources.media.storage.root", "s3://bucket/in");
        return m;
    }

    @Test
    void everyOperatorHasAnExplicitStableUid() {
        PackerConfig config = PackerConfig.from(Settings.of(minimal()), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new PackerPipeline(config).build(env);
        assertThat(UidAudit.operatorsWithoutUid(env)).isEmpty();
        assertThat(UidAudit.uids(env))
                .contains(
                        PackerPipeline.MARKER_UID,
                        PackerPipeline.ASSEMBLER_UID,
                        PackerPipeline.COMMIT_UID);
    }

    @Test
    void configDefaultsAndDerivedNames() {
        PackerConfig config = PackerConfig.from(Settings.of(minimal()), Map.of());
        assertThat(config.archiveRoot()).isEqualTo("file:///tmp/archive");
        assertThat(config.targetBytes()).isEqualTo(1L << 30);
        assertThat(config.deleteOriginals()).isFalse();
        assertThat(config.sources()).hasSize(1);
        assertThat(config.source("media").storage().root()).isEqualTo("s3://bucket/in/");
        assertThat(config.source("media").contract().statusColumn()).isEqualTo("status");
        assertThat(config.objectKey("media", 3, 7).key())
                .isEqualTo("des/media/shard-00003/000000000007.des");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> m = minimal();
        m.put("archive.uri", "ftp://nope");
        m.put("packer.target-size", "lots");
        m.put("sources.media.columns.status", "state; DROP TABLE x");
        m.put("sources.media.status.packed", "active");
        m.put("sources.media.eligible", "{\"column\": \"kind\"}");
        m.put("sources.Bad Name.table", "t");
        assertThatThrownBy(() -> PackerConfig.from(Settings.of(m), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.uri")
                .hasMessageContaining("packer.target-size")
                .hasMessageContaining("sources.media.columns.status")
                .hasMessageContaining("four distinct values")
                .hasMessageContaining("sources.media.eligible")
                .hasMessageContaining("source names");
    }

    @Test
    void eligibilityFilterParsesTheGraphVocabulary() {
        Filter f =
                EligibilityFilter.parse(
                        "{\"all\": [{\"column\": \"kind\", \"op\": \"=\", \"value\": \"photo\"},"
                                + " {\"not\": {\"column\": \"owner\", \"op\": \"in\","
                                + " \"values\": [\"a\", \"b\"]}}]}");
        assertThat(f).isInstanceOf(Filter.All.class);
        assertThat(f.columns()).containsExactly("kind", "owner");
        assertThatThrownBy(() -> EligibilityFilter.parse("[1]"))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> EligibilityFilter.parse("{\"column\": \"a\", \"op\": \"~\"}"))
                .hasMessageContaining("unknown filter operator");
    }

    @Test
    void committablesSurviveTheirSerializer() throws Exception {
        FileRef a = new FileRef("media", "17", "s3://b/in/фото 1.bin", 12, "0123456789abcdef", 3);
        FileRef b = new FileRef("media", "18", "s3://b/in/x", 5, "0123456789abcdee", 3);
        ShardCommittable c =
                new ShardCommittable(
                        "media",
                        3,
                        7,
                        "des/media/shard-00003/000000000007.des",
                        "s3://arch/des/media/shard-00003/000000000007.des",
                        4096,
                        "crc32c:0000abcd",
                        List.of(new PackedFile(a, 16, 12, 0xdeadbeef)),
                        List.of(new FailedFile(b, "missing in source storage")));
        Codecs.CommittableSerializer s = new Codecs.CommittableSerializer();
        assertThat(s.deserialize(1, s.serialize(c))).isEqualTo(c);
        Codecs.FileRefSerializer r = new Codecs.FileRefSerializer();
        assertThat(r.deserialize(1, r.serialize(a))).isEqualTo(a);
        assertThat(c.files().get(0).checksum()).isEqualTo("crc32c:deadbeef");
    }
}
