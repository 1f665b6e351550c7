package io.datafabric.des.format;

import java.nio.charset.StandardCharsets;

/** The constants of DES v1, as SPEC.md defines them. */
public final class DesFormat {
    /** First 8 bytes of every DES object: {@code 89 'D' 'E' 'S' CR LF 1A LF}. */
    public static final byte[] HEADER_MAGIC = {(byte) 0x89, 'D', 'E', 'S', '\r', '\n', 0x1A, '\n'};

    /** Last 8 bytes of every DES object: ASCII {@code DES_TAIL}. */
    public static final byte[] FOOTER_MAGIC = "DES_TAIL".getBytes(StandardCharsets.US_ASCII);

    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 16;
    public static final int FOOTER_LENGTH = 80;
    public static final int SLOT_LENGTH = 40;

    /** The smallest valid object: header, empty DATA/META/INDEX, footer. */
    public static final int MIN_OBJECT_LENGTH = HEADER_LENGTH + FOOTER_LENGTH;

    /** Entry flag: the body is a side object; DATA holds nothing for this entry. */
    public static final int FLAG_BIG_FILE = 1;

    /** Every entry flag a v1 reader understands; any other bit set makes the entry unreadable. */
    public static final int KNOWN_ENTRY_FLAGS = FLAG_BIG_FILE;

    /** Required feature bits a v1 reader understands: none. */
    public static final int KNOWN_REQUIRED_FEATURES = 0;

    /** Where the writer puts side objects, relative to the shard's directory. */
    public static final String BIG_FILES_DIR = "_bigFiles/";

    public static final int MAX_NAME_BYTES = 1024;
    public static final int MAX_CONTENT_TYPE_BYTES = 255;
    public static final int MAX_ATTRIBUTE_KEY_BYTES = 1024;
    public static final int MAX_ATTRIBUTE_VALUE_BYTES = 65535;
    public static final int MAX_META_RECORD_BYTES = 1 << 20;

    /** Smallest META record: all lengths zero except a one-byte name. */
    public static final int MIN_META_RECORD_BYTES = 2 + 1 + 8 + 4 + 2 + 2 + 2 + 2;

    private DesFormat() {}
}
