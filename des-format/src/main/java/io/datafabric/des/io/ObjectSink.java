package io.datafabric.des.io;

import java.io.IOException;

/**
 * Where the writer puts a shard and its side objects: a local directory or an S3 bucket prefix.
 * Keys are relative, {@code /}-separated, and follow the entry name rules.
 */
public interface ObjectSink {

    /** Starts a new object; it replaces any object of that key when committed. */
    SinkOutput create(String key) throws IOException;

    /** Deletes an object if it exists; used to remove side objects of an aborted shard. */
    void delete(String key) throws IOException;
}
