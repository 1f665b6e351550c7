package io.datafabric.usage.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairSortTest {
    @Test
    void sortsKeysAndCarriesTheirValuesAlong() {
        SplittableRandom random = new SplittableRandom(9);
        for (int n : new int[] {0, 1, 2, 23, 24, 25, 1000, 100_000}) {
            long[] keys = new long[n];
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = random.nextLong(n * 3L + 1);
                values[i] = keys[i] * 7 + 1;
            }
            long[][] sorted = PairSort.byKey(keys, values);
            long[] expected = keys.clone();
            Arrays.sort(expected);
            assertThat(sorted[0]).as("n=%d", n).containsExactly(expected);
            for (int i = 0; i < n; i++) {
                assertThat(sorted[1][i]).isEqualTo(sorted[0][i] * 7 + 1);
            }
        }
    }

    @Test
    void alreadySortedAndReversedInputsAreHandled() {
        int n = 50_000;
        long[] up = new long[n];
        long[] down = new long[n];
        for (int i = 0; i < n; i++) {
            up[i] = i;
            down[i] = n - i;
        }
        assertThat(PairSort.byKey(up, up)[0]).isSorted();
        assertThat(PairSort.byKey(down, down)[1]).isSorted();
    }
}
