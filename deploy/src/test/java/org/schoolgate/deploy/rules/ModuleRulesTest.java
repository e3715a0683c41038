package org.schoolgate.deploy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.admin.rulebreakers.AdminUsingTheProxy;
import org.schoolgate.identity.rulebreakers.IdentityUsingTheProxy;
import org.schoolgate.policy.rulebreakers.PolicyUsingNettyAndJdbc;
import org.schoolgate.proxy.rulebreakers.ProxyUsingTheStore;
import org.schoolgate.proxy.rulebreakers.ProxyResolvingOnTheLoop;
import org.schoolgate.store.rulebreakers.StoreUsingDeploy;

/**
 * The module rules ({@link ModuleRules}) hold for every main class of every module on deploy's
 * class path, and each rule fails on a class that breaks it (the {@code rulebreakers} packages in
 * this module's tests, never imported for the real check), so a rule that silently matches nothing
 * is caught too.
 */
class ModuleRulesTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("org.schoolgate");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("proxy-core uses no store, admin-api, alerts or resolver", ModuleRules.PROXY_CORE,
            ProxyUsingTheStore.class),
        Arguments.of("admin-api uses no proxy-core", ModuleRules.ADMIN_API, AdminUsingTheProxy.class),
        Arguments.of("policy-engine uses no Netty, Javalin, JDBC or other module", ModuleRules.POLICY_ENGINE,
            PolicyUsingNettyAndJdbc.class),
        Arguments.of("identity uses no proxy-core or admin-api", ModuleRules.IDENTITY,
            IdentityUsingTheProxy.class),
        Arguments.of("only deploy uses deploy", ModuleRules.ONLY_DEPLOY_USES_DEPLOY, StoreUsingDeploy.class),
        Arguments.of("proxy-core resolves names only in its DNS service", ModuleRules.PROXY_CORE_DNS,
            ProxyResolvingOnTheLoop.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyMainClassKeepsTheRule(String rule, ArchRule check, Class<?> breaker) {
    assertThat(main.containPackage("org.schoolgate.proxy")).as("proxy-core classes imported").isTrue();
    assertThat(main.containPackage("org.schoolgate.policy")).as("policy-engine classes imported").isTrue();
    check.check(main);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void aClassThatBreaksTheRuleFailsIt(String rule, ArchRule check, Class<?> breaker) {
    JavaClasses broken = new ClassFileImporter().importClasses(breaker);

    assertThat(check.evaluate(broken).hasViolation()).as(breaker.getName() + " breaks: " + rule).isTrue();
  }

  @org.junit.jupiter.api.Test
  void everyMainPackageOfEveryModuleHasAPackageInfo() throws IOException {
    Path root = ModuleRules.repositoryRoot(Path.of("").toAbsolutePath());
    List<Path> missing = ModuleRules.packagesWithoutPackageInfo(root);

    assertThat(ModuleRules.modules(root)).contains("policy-engine", "proxy-core", "deploy", "benchmarks");
    assertThat(missing).as("packages without package-info.java").isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aPackageWithoutPackageInfoIsFound(@org.junit.jupiter.api.io.TempDir Path root) throws IOException {
    Files.writeString(root.resolve("pom.xml"), "<modules>\n<module>one</module>\n</modules>\n");
    Path documented = Files.createDirectories(root.resolve("one/src/main/java/org/example/a"));
    Files.writeString(documented.resolve("A.java"), "package org.example.a; class A {}");
    Files.writeString(documented.resolve("package-info.java"), "package org.example.a;");
    Path bare = Files.createDirectories(root.resolve("one/src/main/java/org/example/b"));
    Files.writeString(bare.resolve("B.java"), "package org.example.b; class B {}");

    assertThat(ModuleRules.packagesWithoutPackageInfo(root)).containsExactly(bare);
  }

  @org.junit.jupiter.api.Test
  void noModuleButDeployNamesDeployInItsPom() throws IOException {
    Path root = ModuleRules.repositoryRoot(Path.of("").toAbsolutePath());

    assertThat(ModuleRules.modulesDependingOnDeploy(root)).isEmpty();
  }
}
