package io.datafabric.launcher.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules checked over the production classes of every module (the launcher depends on
 * all of them, so its test classpath holds them all).
 */
@AnalyzeClasses(packages = "io.datafabric", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule jobsDoNotImportEachOther = DependencyRules.JOBS_DO_NOT_IMPORT_EACH_OTHER;

    @ArchTest static final ArchRule apiImportsNoJob = DependencyRules.API_IMPORTS_NO_JOB;

    @ArchTest
    static final ArchRule desFormatImportsNoFlink = DependencyRules.DES_FORMAT_IMPORTS_NO_FLINK;

    @ArchTest
    static final ArchRule drmsCoreImportsNoFlink = DependencyRules.DRMS_CORE_IMPORTS_NO_FLINK;

    @ArchTest
    static final ArchRule librariesImportNoJobOrService =
            DependencyRules.LIBRARIES_IMPORT_NO_JOB_OR_SERVICE;

    @ArchTest
    static final ArchRule desFormatSubpackagesDoNotImportTop =
            DependencyRules.DES_FORMAT_SUBPACKAGES_DO_NOT_IMPORT_TOP;

    @ArchTest static final ArchRule noPackageCycles = DependencyRules.NO_PACKAGE_CYCLES;
}
