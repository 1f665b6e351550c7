package io.datafabric.despacker.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 key of one packed shard object: {@code <prefix>/shard-<shard>/<sequence>.des}, e.g. {@code
 * des/shard-00017/000000000042.des}.
 *
 * <p>The key depends only on the shard id and the sequence number the packer keeps in Flink state,
 * so a pack retried after a crash writes the very same key (an overwrite with identical bytes,
 * never a second object), and the metadata that points at it can be written after the object is
 * complete. Zero-padded numbers keep S3 listings in packing order.
 */
public record ShardObjectKey(String prefix, int shard, long sequence) {
    public static final int MAX_SHARD = 99_999;
    public static final long MAX_SEQUENCE = 999_999_999_999L;

    private static final Pattern PREFIX =
            Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}(/[a-z0-9][a-z0-9._-]{0,62}){0,7}");
    private static final Pattern KEY =
            Pattern.compile("(?<prefix>.+)/shard-(?<shard>\\d{5})/(?<seq>\\d{12})\\.des");

    public ShardObjectKey {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "shard key prefix must be 1-8 lower-case path segments of [a-z0-9._-] without"
                            + " '..' or a leading '/', was: "
                            + prefix);
        }
        if (prefix.contains("..")) {
            throw new IllegalArgumentException("shard key prefix must not contain '..': " + prefix);
        }
        if (shard < 0 || shard > MAX_SHARD) {
            throw new IllegalArgumentException("shard must be 0.." + MAX_SHARD + ", was " + shard);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException(
                    "sequence must be 0.." + MAX_SEQUENCE + ", was " + sequence);
        }
    }

    /** The object key. */
    public String key() {
        return String.format(Locale.ROOT, "%s/shard-%05d/%012d.des", prefix, shard, sequence);
    }

    /** The key of the next shard object of the same shard. */
    public ShardObjectKey next() {
        return new ShardObjectKey(prefix, shard, sequence + 1);
    }

    /** Parses a key written by {@link #key()}; anything else is rejected with the reason. */
    public static ShardObjectKey parse(String key) {
        Matcher m = KEY.matcher(key == null ? "" : key);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a DES shard object key (<prefix>/shard-NNNNN/NNNNNNNNNNNN.des): " + key);
        }
        return new ShardObjectKey(
                m.group("prefix"),
                Integer.parseInt(m.group("shard")),
                Long.parseLong(m.group("seq")));
    }

    @Override
    public String toString() {
        return key();
    }
}
