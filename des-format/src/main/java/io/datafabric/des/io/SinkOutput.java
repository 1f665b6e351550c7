package io.datafabric.des.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * An object being written. {@link #close()} commits: only then does the object become visible,
 * whole. {@link #abort()} discards it instead, so a failed write never leaves a partial object.
 */
public abstract class SinkOutput extends OutputStream {

    /** Discards what was written; the object never appears. Safe to call after a failure. */
    public abstract void abort();

    /**
     * Writes the remaining bytes of {@code source}. Sinks backed by a channel override this to skip
     * the copy into a heap array.
     */
    public void write(ByteBuffer source) throws IOException {
        if (source.hasArray()) {
            write(source.array(), source.arrayOffset() + source.position(), source.remaining());
            source.position(source.limit());
        } else {
            byte[] bytes = new byte[source.remaining()];
            source.get(bytes);
            write(bytes, 0, bytes.length);
        }
    }
}
