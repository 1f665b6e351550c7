package io.datafabric.des.format;

import java.io.IOException;

/**
 * The bytes of a DES object are not a valid DES v1 shard: truncated, wrong magic or version, a
 * checksum that does not match, an offset outside the object, and the like. The message says what
 * was wrong and where, so that an operator can act on it without a stack trace.
 */
public class DesFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DesFormatException(String message) {
        super(message);
    }

    public DesFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
