package io.datafabric.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The api imports no job: only common, des-format, drms-core and the schemas. */
class ArchitectureTest {
    @Test
    void theApiImportsNoJob() {
        JavaClasses api =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPath(java.nio.file.Paths.get("target", "classes"));
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.datafabric.usage..",
                        "io.datafabric.replication..",
                        "io.datafabric.despacker..",
                        "io.datafabric.packer..",
                        "org.apache.flink..")
                .check(api);
    }
}
