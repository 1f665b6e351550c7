package io.datafabric.api.files;

import java.util.Optional;

/**
 * One satisfiable byte range of a body of {@code length} bytes, from a {@code Range} header (RFC
 * 9110 §14): {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. A header this service does
 * not honour (another unit, several ranges, bad syntax) is ignored and the whole body served, as
 * the RFC allows.
 */
public record ByteRange(long start, long end) {
    public long length() {
        return end - start + 1;
    }

    /** Result of reading a Range header. */
    public sealed interface Parsed permits Whole, Partial, Unsatisfiable {}

    /** Serve the whole body. */
    public record Whole() implements Parsed {}

    /** Serve this part (206). */
    public record Partial(ByteRange range) implements Parsed {}

    /** 416. */
    public record Unsatisfiable() implements Parsed {}

    public static Parsed parse(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> first = number(spec.substring(0, dash).trim());
        Optional<Long> last = number(spec.substring(dash + 1).trim());
        if (spec.substring(0, dash).isBlank()) {
            // suffix: the last n bytes
            if (last.isEmpty()) {
                return new Whole();
            }
            long n = last.get();
            if (n == 0 || length == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, length - n), length - 1));
        }
        if (first.isEmpty()) {
            return new Whole();
        }
        long start = first.get();
        if (!spec.substring(dash + 1).isBlank() && last.isEmpty()) {
            return new Whole();
        }
        if (last.isPresent() && last.get() < start) {
            return new Whole();
        }
        if (start >= length) {
            return new Unsatisfiable();
        }
        long end = last.map(l -> Math.min(l, length - 1)).orElse(length - 1);
        return new Partial(new ByteRange(start, end));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }
}
