package io.datafabric.usage.sink;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum chain of {@code usage.commits}: each row's hash covers what it applied (entries,
 * amount, lines, rejects, files completed) and the previous row's hash, so rewriting any row breaks
 * every later hash.
 */
public final class LedgerHash {
    /** The {@code prev_hash} of the first row. */
    public static final String GENESIS = "0".repeat(64);

    private LedgerHash() {}

    public static String of(
            String prevHash,
            String commitId,
            long entries,
            BigInteger amount,
            long lines,
            long rejects,
            int filesCompleted) {
        String canonical =
                String.join(
                        "|",
                        prevHash,
                        commitId,
                        Long.toString(entries),
                        amount.toString(),
                        Long.toString(lines),
                        Long.toString(rejects),
                        Integer.toString(filesCompleted));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
