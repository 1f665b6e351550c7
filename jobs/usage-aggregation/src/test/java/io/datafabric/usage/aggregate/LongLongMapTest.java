package io.datafabric.usage.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongLongMapTest {
    @Test
    void sumsPerKeyLikeAHashMapWhileGrowing() {
        LongLongMap map = new LongLongMap(4);
        Map<Long, Long> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextLong(50_000);
            long value = random.nextLong(1000);
            assertThat(map.add(key, value)).isTrue();
            expected.merge(key, value, Long::sum);
        }
        assertThat(map.size()).isEqualTo(expected.size());
        Map<Long, Long> actual = new HashMap<>();
        map.forEach(actual::put);
        assertThat(actual).isEqualTo(expected);
        long[][] arrays = map.toArrays();
        assertThat(arrays[0]).hasSize(expected.size());
        for (int i = 0; i < arrays[0].length; i++) {
            assertThat(arrays[1][i]).isEqualTo(expected.get(arrays[0][i]));
        }
    }

    @Test
    void zeroAndTheLargestIdAreOrdinaryKeys() {
        LongLongMap map = new LongLongMap(16);
        map.add(0, 5);
        map.add(Long.MAX_VALUE, 6);
        map.add(0, 1);
        assertThat(map.get(0, -1)).isEqualTo(6);
        assertThat(map.get(Long.MAX_VALUE, -1)).isEqualTo(6);
        assertThat(map.get(1, -1)).isEqualTo(-1);
    }

    @Test
    void refusesASumThatWouldOverflowAndKeepsTheOldOne() {
        LongLongMap map = new LongLongMap(16);
        assertThat(map.add(9, Long.MAX_VALUE - 1)).isTrue();
        assertThat(map.add(9, 2)).isFalse();
        assertThat(map.get(9, -1)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(map.add(9, 1)).isTrue();
        assertThat(map.get(9, -1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void clearEmptiesTheMapForReuse() {
        LongLongMap map = new LongLongMap(16);
        for (int i = 0; i < 100; i++) {
            map.add(i, i);
        }
        map.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get(5, -1)).isEqualTo(-1);
        map.add(5, 1);
        assertThat(map.get(5, -1)).isEqualTo(1);
    }
}
