package io.datafabric.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Settings} from three layers, later ones winning: a YAML file, environment
 * variables named {@code DF_*}, and {@code --set key=value} arguments.
 *
 * <p>Keys are dotted paths of the YAML tree ({@code jdbc.url}). An environment variable names a key
 * in upper case with {@code .} written as {@code _} and {@code -} written as {@code __}: {@code
 * DF_JDBC_URL} sets {@code jdbc.url}, {@code DF_USAGE_FLUSH__ENTRIES} sets {@code
 * usage.flush-entries}. Lists in YAML become comma-separated values.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "DF_";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final Map<String, String> fileOrigins = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** Reads a YAML file; a missing or malformed file is a problem reported by {@link #load()}. */
    public ConfigLoader yamlFile(Path file) {
        if (file == null) {
            return this;
        }
        if (!Files.isRegularFile(file)) {
            problems.add("config file " + file + " does not exist or is not a regular file");
            return this;
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) {
                    problems.add("config file " + file + " must hold a YAML mapping at the top");
                } else {
                    flatten("", root, file.toString());
                }
            }
        } catch (IOException e) {
            problems.add("config file " + file + " is not valid YAML: " + e.getMessage());
        }
        return this;
    }

    /**
     * Applies {@code DF_*} variables from the given environment (normally {@code System.getenv()}).
     */
    public ConfigLoader environment(Map<String, String> env) {
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> put(keyOfEnv(e.getKey()), e.getValue(), "environment " + e.getKey()));
        return this;
    }

    /** Applies {@code key=value} pairs, as given to {@code --set}. */
    public ConfigLoader overrides(List<String> assignments) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                problems.add("--set " + assignment + ": expected key=value");
                continue;
            }
            put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1), "--set");
        }
        return this;
    }

    /** Sets one value (used by command-line options that map onto a key). */
    public ConfigLoader set(String key, String value, String origin) {
        if (value != null) {
            put(key, value, origin);
        }
        return this;
    }

    public Settings load() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(values, origins, fileOrigins);
    }

    /**
     * The key an environment variable sets: {@code DF_USAGE_FLUSH__ENTRIES → usage.flush-entries}.
     */
    public static String keyOfEnv(String variable) {
        String body = variable.substring(ENV_PREFIX.length()).toLowerCase();
        return body.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
    }

    /**
     * The environment variable that sets a key: {@code usage.flush-entries →
     * DF_USAGE_FLUSH__ENTRIES}.
     */
    public static String envOfKey(String key) {
        return ENV_PREFIX + key.replace("-", "__").replace('.', '_').toUpperCase();
    }

    private void flatten(String prefix, JsonNode node, String origin) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                flatten(key, field.getValue(), origin);
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    problems.add(prefix + " (" + origin + "): lists may hold only plain values");
                    return;
                }
                items.add(item.asText());
            }
            put(prefix, String.join(",", items), origin);
            fileOrigins.put(prefix, origin);
        } else if (!node.isNull()) {
            put(prefix, node.asText(), origin);
            fileOrigins.put(prefix, origin);
        }
    }

    private void put(String key, String value, String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }
}
