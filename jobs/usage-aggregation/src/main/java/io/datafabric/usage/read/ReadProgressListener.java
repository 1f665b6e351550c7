package io.datafabric.usage.read;

import java.io.Serializable;

/**
 * Sees the readers' progress: every split handed to a reader and every chunk sent on. The job
 * installs none (none); tests install one to fail or slow a reader at a chosen point of a chosen
 * file, in both the directory and the notification mode.
 */
public interface ReadProgressListener extends Serializable {

    /**
     * A chunk of a split was sent on (and the split's position moved past it); not called for a
     * split's last chunk.
     *
     * @param physicalLines lines of the split read so far
     * @param resumable a completed checkpoint holds this split at a position past the one the
     *     reader got it at: recovery from now on resumes the split mid-way
     */
    void chunkRead(String path, long physicalLines, boolean resumable);

    /** A reader was handed a split whose position is {@code offset} (its start when fresh). */
    void splitAssigned(String path, int index, long start, long offset);
}
