package io.datafabric.drms.validate;

/**
 * Source and target checksums of the same window.
 *
 * @param scope what was compared, e.g. {@code full} or {@code updated_at between A and B}
 */
public record Comparison(String scope, WindowChecksum source, WindowChecksum target) {
    public boolean matches() {
        return source.equals(target);
    }

    @Override
    public String toString() {
        return (matches() ? "match" : "MISMATCH")
                + " ("
                + scope
                + "): source "
                + source
                + ", target "
                + target;
    }
}
