package com.sheratan.offgrid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product's package graph points one way: {@code launch} on top (it knows every role), the roles
 * ({@code core}, {@code broker}, {@code host}) below it and beside each other, and the shared packages
 * ({@code config}, {@code contract}, {@code security}, {@code ledger}) at the bottom. An arrow back up fails here.
 * Read from the compiled product classes, so a fully-qualified use counts as much as an import.
 */
class PackageGraphTest {
    private static final String ROOT = "com.sheratan.offgrid";
    private static JavaClasses product;

    @BeforeAll
    static void readProductClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertFalse(product.isEmpty(), "no product classes were found to check");
    }

    @Test
    void nothingButTheEntryPointImportsTheLauncher() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(ROOT + ".launch..")
                .and().doNotHaveFullyQualifiedName(ROOT + ".App")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".launch..");
        rule.check(product);
    }

    @Test
    void sharedPackagesKnowNoRole() {
        ArchRule rule = noClasses().that().resideInAnyPackage(ROOT + ".config..", ROOT + ".contract..",
                        ROOT + ".security..", ROOT + ".observe..", ROOT + ".ledger..", ROOT + ".storage..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".core..", ROOT + ".broker..",
                        ROOT + ".host..", ROOT + ".launch..");
        rule.check(product);
    }

    @Test
    void rolesDoNotImportEachOther() {
        ArchRule rule = SlicesRuleDefinition.slices().matching(ROOT + ".(core|broker|host)..")
                .should().notDependOnEachOther();
        rule.check(product);
    }

    @Test
    void theBenchmarkIsNotInTheProduct() {
        ArchRule rule = noClasses().should().resideInAPackage(ROOT + ".bench..")
                .orShould().haveSimpleName("RoleProcess");
        rule.check(product);
    }

    @Test
    void configurationIsTheLowestPackage() {
        ArchRule rule = noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".contract..", ROOT + ".security..");
        rule.check(product);
    }
}
