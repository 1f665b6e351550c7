package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job jar that goes to a cluster (built by {@code package}, before this test runs) holds the
 * job and none of the test code: no test hook such as {@code FailureInjection}, no class compiled
 * from {@code src/test}, nothing of the test-support module.
 */
class ShadedJarITCase {
    private static final Path TARGET = Path.of("target");

    private static Path shadedJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> jars =
                    files.filter(p -> p.getFileName().toString().endsWith("-flink-job.jar"))
                            .toList();
            assertThat(jars).as("the shaded job jar in " + TARGET.toAbsolutePath()).hasSize(1);
            return jars.get(0);
        }
    }

    private static Set<String> testClasses() throws IOException {
        Path classes = TARGET.resolve("test-classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void theJobJarHoldsTheJobAndNoTestCode() throws IOException {
        Set<String> tests = testClasses();
        assertThat(tests)
                .as("the test hook is compiled from src/test")
                .contains("io/datafabric/usage/read/FailureInjection.class");
        try (JarFile jar = new JarFile(shadedJar().toFile())) {
            Set<String> entries = jar.stream().map(JarEntry::getName).collect(Collectors.toSet());
            assertThat(entries)
                    .contains(
                            "io/datafabric/usage/UsageAggregationJob.class",
                            "io/datafabric/usage/notify/NotificationPlanner.class",
                            "db/migration/usage/V2__notified_files_and_input_leases.sql");
            assertThat(entries)
                    .as("classes compiled from src/test")
                    .doesNotContainAnyElementsOf(tests);
            assertThat(entries)
                    .filteredOn(
                            e ->
                                    e.contains("FailureInjection")
                                            || e.startsWith("io/datafabric/testing/"))
                    .isEmpty();
        }
    }
}
