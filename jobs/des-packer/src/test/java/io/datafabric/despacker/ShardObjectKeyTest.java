package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.despacker.model.ShardObjectKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardObjectKeyTest {

    @Test
    void keyIsDeterministicAndParsesBack() {
        ShardObjectKey key = new ShardObjectKey("des", 17, 42);
        assertThat(key.key()).isEqualTo("des/shard-00017/000000000042.des");
        assertThat(new ShardObjectKey("des", 17, 42).key()).isEqualTo(key.key());
        assertThat(ShardObjectKey.parse(key.key())).isEqualTo(key);
        assertThat(ShardObjectKey.parse("a/b/shard-99999/999999999999.des"))
                .isEqualTo(new ShardObjectKey("a/b", 99_999, ShardObjectKey.MAX_SEQUENCE));
    }

    @Test
    void keysOfOneShardListInPackingOrder() {
        List<String> keys = new ArrayList<>();
        ShardObjectKey key = new ShardObjectKey("des", 3, 8);
        for (int i = 0; i < 5; i++) {
            keys.add(key.key());
            key = key.next();
        }
        assertThat(keys).isSorted().doesNotHaveDuplicates();
        assertThat(keys.get(2)).isEqualTo("des/shard-00003/000000000010.des");
    }

    @Test
    void hostilePrefixesAreRejected() {
        for (String prefix :
                new String[] {
                    "", "/abs", "../up", "a/../b", "UPPER", "sp ace", "a//b", "a/", null
                }) {
            assertThatThrownBy(() -> new ShardObjectKey(prefix, 1, 1))
                    .as(String.valueOf(prefix))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prefix");
        }
    }

    @Test
    void outOfRangeNumbersAreRejected() {
        assertThatThrownBy(() -> new ShardObjectKey("des", -1, 0))
                .hasMessageContaining("shard must be");
        assertThatThrownBy(() -> new ShardObjectKey("des", 100_000, 0))
                .hasMessageContaining("shard must be");
        assertThatThrownBy(() -> new ShardObjectKey("des", 0, -5))
                .hasMessageContaining("sequence must be");
    }

    @Test
    void foreignKeysAreNotParsed() {
        for (String key :
                new String[] {
                    "des/shard-1/000000000001.des",
                    "des/shard-00001/1.des",
                    "shard-00001/000000000001.des",
                    "des/shard-00001/000000000001.tar",
                    null
                }) {
            assertThatThrownBy(() -> ShardObjectKey.parse(key))
                    .as(String.valueOf(key))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a DES shard object key");
        }
    }
}
