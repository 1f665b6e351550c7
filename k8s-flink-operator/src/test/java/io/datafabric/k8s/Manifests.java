package io.datafabric.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The deployment files of this module and the repository they belong to, read as YAML trees. */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {}

    static Path repoRoot() {
        return Path.of(System.getProperty("datafabric.repo.root", "..")).toAbsolutePath();
    }

    static Path module() {
        return repoRoot().resolve("k8s-flink-operator");
    }

    /** Every .yaml/.yml file under base/ and overlays/. */
    static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("base", "overlays")) {
            try (Stream<Path> walk = Files.walk(module().resolve(dir))) {
                walk.filter(Files::isRegularFile)
                        .filter(
                                p ->
                                        p.toString().endsWith(".yaml")
                                                || p.toString().endsWith(".yml"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** All documents of a YAML file (empty documents skipped). */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class)
                    .forEachRemaining(
                            d -> {
                                if (d != null && !d.isNull() && !d.isMissingNode()) {
                                    docs.add(d);
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** Kubernetes objects (documents with a kind) of base/. */
    static List<JsonNode> baseObjects() {
        List<JsonNode> objects = new ArrayList<>();
        for (Path file : yamlFiles()) {
            if (!module().resolve("base").relativize(file).startsWith("..")
                    && !file.getFileName().toString().equals("kustomization.yaml")) {
                for (JsonNode doc : documents(file)) {
                    if (doc.has("kind")) {
                        objects.add(doc);
                    }
                }
            }
        }
        return objects;
    }

    static List<JsonNode> baseObjects(String kind) {
        return baseObjects().stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static Optional<JsonNode> baseObject(String kind, String name) {
        return baseObjects(kind).stream()
                .filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst();
    }

    static ObjectNode readTree(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
