package io.datafabric.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every YAML file parses (all its documents), every object is well-formed, no secret is committed,
 * and every kustomization only references files that exist (the kustomize binary is not available
 * to the build, so this stands in for `kustomize build`).
 */
class ManifestFilesTest {

    @Test
    void everyDocumentOfEveryYamlFileParses() {
        List<Path> files = Manifests.yamlFiles();
        assertThat(files).hasSizeGreaterThan(15);
        int documents = 0;
        for (Path file : files) {
            List<JsonNode> docs = Manifests.documents(file);
            assertThat(docs).as(file.toString()).isNotEmpty();
            documents += docs.size();
        }
        assertThat(documents).isGreaterThan(30);
    }

    @Test
    void everyObjectHasApiVersionKindAndName() {
        for (Path file : Manifests.yamlFiles()) {
            if (isKustomizeFile(file)) {
                continue;
            }
            for (JsonNode doc : Manifests.documents(file)) {
                assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").contains("v");
                assertThat(doc.path("kind").asText()).as(file + " kind").isNotBlank();
                assertThat(doc.path("metadata").path("name").asText())
                        .as(file + " metadata.name")
                        .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            }
        }
    }

    @Test
    void noSecretIsCommitted() {
        for (Path file : Manifests.yamlFiles()) {
            for (JsonNode doc : Manifests.documents(file)) {
                assertThat(doc.path("kind").asText()).as(file.toString()).isNotEqualTo("Secret");
                assertThat(doc.has("secretGenerator")).as(file.toString()).isFalse();
            }
        }
    }

    @Test
    void kustomizationsReferenceOnlyFilesThatExist() {
        List<Path> kustomizations =
                Manifests.yamlFiles().stream()
                        .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                        .toList();
        assertThat(kustomizations)
                .extracting(p -> Manifests.module().relativize(p.getParent()).toString())
                .containsExactlyInAnyOrder("base", "overlays/dev", "overlays/prod");
        List<String> problems = new ArrayList<>();
        for (Path k : kustomizations) {
            JsonNode doc = Manifests.documents(k).get(0);
            Path dir = k.getParent();
            for (String field : List.of("resources", "components", "configurations", "crds")) {
                for (JsonNode ref : doc.path(field)) {
                    Path target = dir.resolve(ref.asText()).normalize();
                    boolean ok =
                            Files.isRegularFile(target)
                                    || Files.isRegularFile(target.resolve("kustomization.yaml"));
                    if (!ok) {
                        problems.add(k + ": " + field + " " + ref.asText() + " does not exist");
                    }
                }
            }
            for (JsonNode patch : doc.path("patches")) {
                Path target = dir.resolve(patch.path("path").asText()).normalize();
                if (!Files.isRegularFile(target)) {
                    problems.add(k + ": patch " + target + " does not exist");
                    continue;
                }
                // A patch without a target selects by kind and name: that object must exist.
                if (!patch.has("target")) {
                    JsonNode p = Manifests.documents(target).get(0);
                    String kind = p.path("kind").asText();
                    String name = p.path("metadata").path("name").asText();
                    if (Manifests.baseObject(kind, name).isEmpty()) {
                        problems.add(
                                k + ": patch " + target + " names no object " + kind + "/" + name);
                    }
                } else {
                    String kind = patch.path("target").path("kind").asText();
                    if (Manifests.baseObjects(kind).isEmpty()) {
                        problems.add(k + ": patch target kind " + kind + " matches nothing");
                    }
                }
            }
            for (JsonNode image : doc.path("images")) {
                String name = image.path("name").asText();
                boolean used =
                        Manifests.baseObjects().stream()
                                .anyMatch(o -> o.toString().contains("\"image\":\"" + name + "\""));
                if (!used) {
                    problems.add(k + ": image " + name + " is used by no object");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyBaseFileIsInTheBaseKustomization() {
        JsonNode base =
                Manifests.documents(Manifests.module().resolve("base/kustomization.yaml")).get(0);
        List<String> listed = new ArrayList<>();
        base.path("resources").forEach(r -> listed.add(r.asText()));
        base.path("configurations").forEach(r -> listed.add(r.asText()));
        for (Path file : Manifests.yamlFiles()) {
            Path rel = Manifests.module().resolve("base").relativize(file);
            if (!rel.startsWith("..") && !rel.toString().equals("kustomization.yaml")) {
                assertThat(listed)
                        .as("base/kustomization.yaml lists " + rel)
                        .contains(rel.toString());
            }
        }
    }

    private static boolean isKustomizeFile(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml")
                || file.getParent().getFileName().toString().equals("kustomizeconfig");
    }
}
