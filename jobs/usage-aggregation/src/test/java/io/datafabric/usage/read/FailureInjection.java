package io.datafabric.usage.read;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only {@link ReadProgressListener}: makes a reader fail once, in the middle of a chosen
 * file, once a completed checkpoint holds the file's split past where its reader got it (so
 * recovery must resume mid-file). "Once" is kept in a marker file, because the failed reader's
 * memory does not survive the failure.
 *
 * @param fileNameContains which file
 * @param afterPhysicalLines fail when the split has read at least this many lines
 * @param marker created when the failure fires; when it exists the hook is spent
 * @param pauseMillisPerChunk slows the reading of the chosen file (until the failure fired), so
 *     checkpoints complete while it is being read even on a fast machine
 */
public record FailureInjection(
        String fileNameContains, long afterPhysicalLines, String marker, long pauseMillisPerChunk)
        implements ReadProgressListener {

    /** Throws the injected failure if its moment has come and it has not fired before. */
    @Override
    public void chunkRead(String path, long physicalLines, boolean resumable) {
        if (!path.contains(fileNameContains) || Files.exists(Path.of(marker))) {
            return;
        }
        if (physicalLines < afterPhysicalLines || !resumable) {
            pause();
            return;
        }
        try {
            Files.createFile(Path.of(marker));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create failure marker " + marker, e);
        }
        throw new InjectedFailure(
                "injected failure in " + path + " after " + physicalLines + " lines");
    }

    /**
     * Called when a reader is handed a split. After the injected failure fired, a split of the
     * chosen file handed over at a position past its start proves that recovery resumed mid-file;
     * that position is written to {@code <marker>.resumed} for the test to check.
     */
    @Override
    public void splitAssigned(String path, int index, long start, long offset) {
        if (!path.contains(fileNameContains) || !Files.exists(Path.of(marker)) || offset <= start) {
            return;
        }
        try {
            Files.writeString(
                    Path.of(marker + ".resumed"),
                    path + "#" + index + " start=" + start + " offset=" + offset + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write resume marker " + marker, e);
        }
    }

    private void pause() {
        if (pauseMillisPerChunk > 0) {
            try {
                Thread.sleep(pauseMillisPerChunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The exception thrown by the hook. */
    public static final class InjectedFailure extends RuntimeException {
        public InjectedFailure(String message) {
            super(message);
        }
    }
}
