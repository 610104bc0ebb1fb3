package com.sheratan.offgrid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.FileOutputStream;
import java.io.FileWriter;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two choke points stay the only ones: every file a role writes goes through {@code AtomicFile} (or
 * the replay guard's nonce file, which appends without following links), and every log line through
 * {@code EscapingLogger}, which escapes control characters in logged values.
 */
class WritesAndLogsTest {
    private static final String ROOT = "com.sheratan.offgrid";
    private static final Set<String> WRITING_METHODS = Set.of("write", "writeString", "newOutputStream",
            "newBufferedWriter", "copy");
    private static JavaClasses product;

    @BeforeAll
    static void readProductClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertFalse(product.isEmpty(), "no product classes were found to check");
    }

    @Test
    void onlyAtomicFileAndTheNonceFileWriteFiles() {
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".contract.AtomicFile")
                .and().doNotHaveFullyQualifiedName(ROOT + ".security.NonceFile")
                .should().callMethodWhere(new DescribedPredicate<JavaAccess<?>>("Files.write*/newOutputStream/copy") {
                    @Override
                    public boolean test(JavaAccess<?> access) {
                        return access.getTargetOwner().isEquivalentTo(Files.class)
                                && WRITING_METHODS.contains(access.getName());
                    }
                })
                .orShould().callConstructor(FileOutputStream.class, String.class)
                .orShould().callConstructor(FileOutputStream.class, java.io.File.class)
                .orShould().callConstructor(FileWriter.class, String.class)
                .check(product);
    }

    @Test
    void everyLoggerEscapesControlCharacters() {
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".config.EscapingLogger")
                .should().callMethod(LoggerFactory.class, "getLogger", Class.class)
                .orShould().callMethod(LoggerFactory.class, "getLogger", String.class)
                .check(product);
    }
}
