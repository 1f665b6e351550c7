package io.datafabric.replication.exec;

/** Source and target disagree after a task: the task failed and is run again. */
public final class ValidationMismatchException extends Exception {
    public ValidationMismatchException(String edge, String comparison) {
        super("edge " + edge + ": source and target differ after the task: " + comparison);
    }
}
