package io.datafabric.drms.control;

import java.util.List;

/** A dataset cannot be removed while consumers read it or slices are cut from it. */
public final class DatasetInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String dataset;
    private final List<String> dependents;

    public DatasetInUseException(String dataset, List<String> dependents) {
        super(
                "dataset "
                        + dataset
                        + " is used by "
                        + String.join(", ", dependents)
                        + "; remove those first");
        this.dataset = dataset;
        this.dependents = List.copyOf(dependents);
    }

    public String dataset() {
        return dataset;
    }

    /** {@code consumers.<name>} and {@code datasets.<name>} entries that depend on the dataset. */
    public List<String> dependents() {
        return dependents;
    }
}
