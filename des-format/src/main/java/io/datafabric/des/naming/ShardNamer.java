package io.datafabric.des.naming;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Routes file names to shards and names shard objects (SPEC.md, "Shard routing"). The shard of a
 * name is the top {@code shardBits} bits of XXH64 (seed 0) of its UTF-8 bytes; with 0 bits every
 * name is in shard 0. Shard ids print as fixed-width lowercase hex, so keys sort by shard.
 *
 * <p>Object keys: {@code <prefix><shard>/<sequence>.des}, e.g. {@code des/3a7/000000000042.des} for
 * 12 shard bits, prefix {@code des/}, shard 0x3a7 and sequence 42.
 */
public final class ShardNamer {
    public static final int MAX_SHARD_BITS = 24;

    private final int shardBits;
    private final String prefix;

    /**
     * @param shardBits number of shards is {@code 2^shardBits}, 0 to {@value #MAX_SHARD_BITS}
     * @param prefix key prefix of shard objects, empty or ending with {@code /}
     */
    public ShardNamer(int shardBits, String prefix) {
        if (shardBits < 0 || shardBits > MAX_SHARD_BITS) {
            throw new IllegalArgumentException(
                    "shard bits must be between 0 and " + MAX_SHARD_BITS + ": " + shardBits);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end with '/': " + prefix);
        }
        this.shardBits = shardBits;
        this.prefix = prefix;
    }

    /** XXH64 with seed 0 of the name's UTF-8 bytes. */
    public static long hash(String name) {
        return Xxh64.hash(name.getBytes(StandardCharsets.UTF_8), 0);
    }

    public int shardBits() {
        return shardBits;
    }

    public int shardCount() {
        return 1 << shardBits;
    }

    public String prefix() {
        return prefix;
    }

    /** The shard a name belongs to: the top {@code shardBits} bits of its hash. */
    public int shardOf(String name) {
        return shardBits == 0 ? 0 : (int) (hash(name) >>> (64 - shardBits));
    }

    /** {@code <prefix><shard>/}: where the objects of one shard live. */
    public String shardPrefix(int shard) {
        if (shard < 0 || shard >= shardCount()) {
            throw new IllegalArgumentException("shard " + shard + " out of range");
        }
        if (shardBits == 0) {
            return prefix;
        }
        int digits = (shardBits + 3) / 4;
        String hex = Integer.toHexString(shard);
        return prefix + "0".repeat(digits - hex.length()) + hex + "/";
    }

    /** Key of the {@code sequence}-th object of a shard; deterministic so re-runs overwrite. */
    public String objectKey(int shard, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence");
        }
        return shardPrefix(shard) + String.format(Locale.ROOT, "%012d", sequence) + ".des";
    }

    /** Key of the object of the shard that {@code name} routes to. */
    public String objectKeyFor(String name, long sequence) {
        return objectKey(shardOf(name), sequence);
    }
}
