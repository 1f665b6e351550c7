package io.datafabric.launcher.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The module dependency rules of {@code shared/DESIGN.md} as ArchUnit rules, by package: the jobs
 * ({@code io.datafabric.usage}, {@code .replication}, {@code .despacker}), the service ({@code
 * io.datafabric.api}), the libraries ({@code io.datafabric.common}, {@code .des}, {@code .drms})
 * and the launcher, which alone may see everything.
 */
final class DependencyRules {
    static final String USAGE = "io.datafabric.usage..";
    static final String REPLICATION = "io.datafabric.replication..";
    static final String PACKER = "io.datafabric.despacker..";
    static final String API = "io.datafabric.api..";
    static final String LAUNCHER = "io.datafabric.launcher..";
    static final String COMMON = "io.datafabric.common..";
    static final String DES_FORMAT = "io.datafabric.des..";
    static final String DRMS_CORE = "io.datafabric.drms..";

    private DependencyRules() {}

    /** A job never imports another job (nor the service or the launcher). */
    static final ArchRule JOBS_DO_NOT_IMPORT_EACH_OTHER =
            CompositeArchRule.of(jobRule(USAGE, REPLICATION, PACKER))
                    .and(jobRule(REPLICATION, USAGE, PACKER))
                    .and(jobRule(PACKER, USAGE, REPLICATION))
                    .as("jobs never import each other, the api or the launcher");

    private static ArchRule jobRule(String job, String... otherJobs) {
        String[] forbidden = new String[otherJobs.length + 2];
        System.arraycopy(otherJobs, 0, forbidden, 0, otherJobs.length);
        forbidden[otherJobs.length] = API;
        forbidden[otherJobs.length + 1] = LAUNCHER;
        return noClasses()
                .that()
                .resideInAPackage(job)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden)
                // each job is one part of the composite: a class set may hold only some of them
                .allowEmptyShould(true);
    }

    /**
     * The api imports no job (what it shares with a job lives in common, drms-core, des-format).
     */
    static final ArchRule API_IMPORTS_NO_JOB =
            noClasses()
                    .that()
                    .resideInAPackage(API)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(USAGE, REPLICATION, PACKER, LAUNCHER)
                    .as("the api imports no job");

    /** des-format has no Flink dependency (its Flink adapter, if any, lives with the packer). */
    static final ArchRule DES_FORMAT_IMPORTS_NO_FLINK =
            noClasses()
                    .that()
                    .resideInAPackage(DES_FORMAT)
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.apache.flink..")
                    .as("des-format imports no Flink");

    /** drms-core is shared with the api, which runs without Flink. */
    static final ArchRule DRMS_CORE_IMPORTS_NO_FLINK =
            noClasses()
                    .that()
                    .resideInAPackage(DRMS_CORE)
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.apache.flink..")
                    .as("drms-core imports no Flink");

    /** The libraries below the jobs and the service import none of them. */
    static final ArchRule LIBRARIES_IMPORT_NO_JOB_OR_SERVICE =
            noClasses()
                    .that()
                    .resideInAnyPackage(COMMON, DES_FORMAT, DRMS_CORE)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(USAGE, REPLICATION, PACKER, API, LAUNCHER)
                    .as("common, des-format and drms-core import no job and no service");

    /**
     * des-format's sub-packages ({@code format}, {@code io}, {@code cache}, {@code naming}) never
     * import its top package {@code io.datafabric.des} (only the command line, {@code cli}, sits
     * above it): this is what keeps des-format free of package cycles, stated as a rule of its own
     * so that it is checked whatever other parts' cycles do.
     */
    static final ArchRule DES_FORMAT_SUBPACKAGES_DO_NOT_IMPORT_TOP =
            noClasses()
                    .that()
                    .resideInAPackage("io.datafabric.des.*..")
                    .and()
                    .resideOutsideOfPackage("io.datafabric.des.cli..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.datafabric.des")
                    .as("des-format's sub-packages do not import io.datafabric.des");

    /**
     * No cycles between the packages of the suite, des-format's included: its sub-packages ({@code
     * format}, {@code io}, {@code cache}, {@code naming}) never depend on {@code io.datafabric.des}
     * itself.
     */
    static final ArchRule NO_PACKAGE_CYCLES =
            slices().matching("io.datafabric.(**)")
                    .should()
                    .beFreeOfCycles()
                    .as("no package cycles");
}
