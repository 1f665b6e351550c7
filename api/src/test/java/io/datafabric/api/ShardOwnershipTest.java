package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.api.files.ShardOwnership;
import io.datafabric.des.naming.ShardNamer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardOwnershipTest {
    @Test
    void rangesSplitTheShardsBetweenInstances() {
        List<String> problems = new ArrayList<>();
        ShardOwnership a = ShardOwnership.parse(4, "0-7", List.of("8-15=http://b:8080"), problems);
        assertThat(problems).isEmpty();
        assertThat(a.shardCount()).isEqualTo(16);
        for (int s = 0; s < 16; s++) {
            assertThat(a.owns(s)).isEqualTo(s < 8);
            assertThat(a.ownerOf(s).isPresent()).isEqualTo(s >= 8);
        }
        assertThat(a.ownerOf(9).orElseThrow().baseUrl().toString()).isEqualTo("http://b:8080");
    }

    @Test
    void routerShardsArePrefixesOfThePackersShards() {
        ShardNamer packer = new ShardNamer(12, "des/");
        ShardOwnership router = ShardOwnership.parse(4, "all", List.of(), new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            String name = "file-" + i;
            assertThat(router.shardOf(name)).isEqualTo(packer.shardOf(name) >>> 8);
        }
    }

    @Test
    void badConfigsAreNamed() {
        List<String> problems = new ArrayList<>();
        ShardOwnership.parse(2, "0-9", List.of("nourl", "3=ftp://x"), problems);
        assertThat(problems)
                .anyMatch(p -> p.contains("outside 0-3"))
                .anyMatch(p -> p.contains("is not <ranges>=<url>"))
                .anyMatch(p -> p.contains("needs an http(s) url"))
                .anyMatch(p -> p.contains("have no owner"));
    }
}
