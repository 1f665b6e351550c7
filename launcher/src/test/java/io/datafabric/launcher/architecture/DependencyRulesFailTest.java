package io.datafabric.launcher.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Each dependency rule fails on a deliberate violation: small fixture classes in this module's test
 * sources (packages {@code io.datafabric.*.archfixture}, never part of a module's jar) that break
 * exactly one rule each, so a rule that stopped matching anything would be noticed here.
 */
class DependencyRulesFailTest {
    private static JavaClasses fixtures(String... packages) {
        return new ClassFileImporter().importPackages(packages);
    }

    private static void assertViolated(ArchRule rule, JavaClasses classes, String offender) {
        assertThatThrownBy(() -> rule.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("was violated")
                .hasMessageContaining(offender);
    }

    @Test
    void aJobImportingAnotherJobIsCaught() {
        assertViolated(
                DependencyRules.JOBS_DO_NOT_IMPORT_EACH_OTHER,
                fixtures("io.datafabric.usage.archfixture"),
                "UsesReplication");
    }

    @Test
    void theApiImportingAJobIsCaught() {
        assertViolated(
                DependencyRules.API_IMPORTS_NO_JOB,
                fixtures("io.datafabric.api.archfixture"),
                "UsesJob");
    }

    @Test
    void desFormatImportingFlinkIsCaught() {
        assertViolated(
                DependencyRules.DES_FORMAT_IMPORTS_NO_FLINK,
                fixtures("io.datafabric.des.archfixture"),
                "org.apache.flink.configuration.Configuration");
    }

    @Test
    void drmsCoreImportingFlinkIsCaught() {
        assertViolated(
                DependencyRules.DRMS_CORE_IMPORTS_NO_FLINK,
                fixtures("io.datafabric.drms.archfixture"),
                "org.apache.flink.api.common.JobID");
    }

    @Test
    void librariesImportingAJobOrTheServiceAreCaught() {
        assertViolated(
                DependencyRules.LIBRARIES_IMPORT_NO_JOB_OR_SERVICE,
                fixtures("io.datafabric.common.archfixture"),
                "io.datafabric.launcher.DataFabricCli");
        assertViolated(
                DependencyRules.LIBRARIES_IMPORT_NO_JOB_OR_SERVICE,
                fixtures("io.datafabric.des.archfixture"),
                "io.datafabric.despacker.PackerPlaceholder");
    }

    @Test
    void aDesFormatSubpackageImportingTheTopPackageIsCaught() {
        assertViolated(
                DependencyRules.DES_FORMAT_SUBPACKAGES_DO_NOT_IMPORT_TOP,
                fixtures("io.datafabric.des.archfixture"),
                "io.datafabric.des.DesReader");
    }

    @Test
    void aPackageCycleIsCaught() {
        assertViolated(
                DependencyRules.NO_PACKAGE_CYCLES,
                fixtures("io.datafabric.archfixture.cycle"),
                "archfixture.cycle.a");
    }
}
