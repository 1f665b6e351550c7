package io.datafabric.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Flat, immutable configuration: dotted keys to string values, read through typed getters that
 * collect problems instead of failing at the first one.
 *
 * <p>Typical use: read every value a job needs, then call {@link #validate()} once, which throws a
 * {@link ConfigException} listing every problem found (each naming the key and where its value came
 * from).
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Map<String, String> fileOrigins;
    private final List<String> problems = new ArrayList<>();

    Settings(Map<String, String> values, Map<String, String> origins) {
        this(values, origins, Map.of());
    }

    Settings(
            Map<String, String> values,
            Map<String, String> origins,
            Map<String, String> fileOrigins) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Map.copyOf(origins);
        this.fileOrigins = Map.copyOf(fileOrigins);
    }

    /** Settings from a plain map (tests and programmatic use). */
    public static Settings of(Map<String, String> values) {
        return new Settings(values, Map.of());
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** All keys under a prefix, with the prefix and its dot removed. */
    public Map<String, String> withPrefix(String prefix) {
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, String> out = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (k.startsWith(p)) {
                        out.put(k.substring(p.length()), v);
                    }
                });
        return out;
    }

    /**
     * The configuration file that set {@code key}, if one did, even when a later layer (the
     * environment, {@code --set}) overrode the value: rules about what may be written in a file (no
     * passwords) look at this.
     */
    public Optional<String> fileOrigin(String key) {
        return Optional.ofNullable(fileOrigins.get(key));
    }

    public boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isBlank();
    }

    public Optional<String> optional(String key) {
        return has(key) ? Optional.of(values.get(key).trim()) : Optional.empty();
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    /** A value that must be present; records a problem (and returns null) when it is not. */
    public String required(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            problem(
                    key
                            + " is required (set it in the config file, as "
                            + ConfigLoader.envOfKey(key)
                            + " or with --set "
                            + key
                            + "=...)");
            return null;
        }
        return value.get();
    }

    public long longValue(String key, long fallback, long min, long max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get().replace("_", ""));
            if (value < min || value > max) {
                problem(
                        key
                                + "="
                                + raw.get()
                                + from(key)
                                + " must be between "
                                + min
                                + " and "
                                + max);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(key + "=" + raw.get() + from(key) + " is not a whole number");
            return fallback;
        }
    }

    public int intValue(String key, int fallback, int min, int max) {
        return (int) longValue(key, fallback, min, max);
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
                return true;
            case "false":
            case "no":
            case "off":
                return false;
            default:
                problem(key + "=" + raw.get() + from(key) + " must be true or false");
                return fallback;
        }
    }

    /**
     * A duration as {@link Durations} reads it: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
     * {@code 1d}, or ISO-8601 ({@code PT10S}).
     */
    public Duration duration(String key, Duration fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = parseDuration(raw.get());
            if (d.isNegative()) {
                problem(key + "=" + raw.get() + from(key) + " must not be negative");
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(
                    key
                            + "="
                            + raw.get()
                            + from(key)
                            + " is not a duration (examples: 500ms, 10s, 5m, 1h)");
            return fallback;
        }
    }

    /** Comma-separated values, trimmed, empty items dropped. */
    public List<String> list(String key) {
        return optional(key)
                .map(
                        v ->
                                Arrays.stream(v.split(","))
                                        .map(String::trim)
                                        .filter(s -> !s.isEmpty())
                                        .toList())
                .orElse(List.of());
    }

    /** One of the allowed values (case-insensitive), returned in lower case. */
    public String oneOf(String key, String fallback, String... allowed) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String v = raw.get().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) {
            problem(
                    key
                            + "="
                            + raw.get()
                            + from(key)
                            + " must be one of "
                            + String.join(", ", allowed));
            return fallback;
        }
        return v;
    }

    /** Records a problem found by the caller's own checks. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem recorded so far, if any. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private String from(String key) {
        String origin = origins.get(key);
        return origin == null ? "" : " (from " + origin + ")";
    }

    static Duration parseDuration(String text) {
        return Durations.parse(text);
    }

    /**
     * A size in bytes as {@link ByteSizes} reads it ({@code 1048576}, {@code 64k}, {@code 16mb},
     * {@code 1g}), at least {@code min}.
     */
    public long bytes(String key, long fallback, long min) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long v = ByteSizes.parse(raw.get());
            if (v < min) {
                problem(key + "=" + raw.get() + from(key) + " must be at least " + min + " bytes");
                return fallback;
            }
            return v;
        } catch (IllegalArgumentException e) {
            problem(
                    key
                            + "="
                            + raw.get()
                            + from(key)
                            + " is not a size (examples: 1048576, 64k, 16mb, 1g)");
            return fallback;
        }
    }
}
