package io.datafabric.usage.lease;

/** Another deployment holds the lease of the input this one was asked to read. */
public final class InputLeasedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InputLeasedException(String input, String holder, String expiresAt) {
        super(
                "input "
                        + input
                        + " is being read by another usage deployment (lineage "
                        + holder
                        + ", lease in usage.input_leases valid until "
                        + expiresAt
                        + "); only one deployment may read an input, or files would be counted"
                        + " twice. Stop the other deployment, or wait for its lease to expire.");
    }
}
