package io.datafabric.des.format;

import java.util.zip.CRC32C;

/** CRC32C (Castagnoli), the only checksum DES v1 uses; hardware accelerated on current JVMs. */
public final class Checksums {
    private Checksums() {}

    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    public static int crc32c(byte[] bytes) {
        return crc32c(bytes, 0, bytes.length);
    }

    public static String hex(int crc) {
        return String.format("%08x", crc);
    }
}
