package io.datafabric.usage.sink;

/** Sorts two index-aligned {@code long} arrays by the first, without boxing. */
final class PairSort {
    private static final int INSERTION = 24;

    private PairSort() {}

    /** Sorted copies of {@code keys} and {@code values} (the inputs are left as they are). */
    static long[][] byKey(long[] keys, long[] values) {
        long[] k = keys.clone();
        long[] v = values.clone();
        sort(k, v, 0, k.length - 1);
        return new long[][] {k, v};
    }

    private static void sort(long[] k, long[] v, int lo, int hi) {
        while (hi - lo > INSERTION) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot keeps sorted and reversed inputs fast
            if (k[mid] < k[lo]) {
                swap(k, v, mid, lo);
            }
            if (k[hi] < k[lo]) {
                swap(k, v, hi, lo);
            }
            if (k[hi] < k[mid]) {
                swap(k, v, hi, mid);
            }
            long pivot = k[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (k[i] < pivot) {
                    i++;
                }
                while (k[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(k, v, i, j);
                    i++;
                    j--;
                }
            }
            // recurse into the smaller half, loop on the larger: stack depth stays logarithmic
            if (j - lo < hi - i) {
                sort(k, v, lo, j);
                lo = i;
            } else {
                sort(k, v, i, hi);
                hi = j;
            }
        }
        for (int a = lo + 1; a <= hi; a++) {
            long key = k[a];
            long value = v[a];
            int b = a - 1;
            while (b >= lo && k[b] > key) {
                k[b + 1] = k[b];
                v[b + 1] = v[b];
                b--;
            }
            k[b + 1] = key;
            v[b + 1] = value;
        }
    }

    private static void swap(long[] k, long[] v, int a, int b) {
        long t = k[a];
        k[a] = k[b];
        k[b] = t;
        t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}
