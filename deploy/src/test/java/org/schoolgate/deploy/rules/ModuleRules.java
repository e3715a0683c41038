package org.schoolgate.deploy.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules between modules that ARCHITECTURE.md states, as ArchUnit rules over compiled classes
 * (each module is one package tree: {@code org.schoolgate.policy} is policy-engine,
 * {@code org.schoolgate.proxy} proxy-core, and so on), plus two checks of the source tree: every
 * main package has a {@code package-info.java}, and no module but deploy names deploy in its pom.
 */
final class ModuleRules {
  private static final String IN_POLICY = "org.schoolgate.policy..";
  private static final String IN_STORE = "org.schoolgate.store..";
  private static final String IN_ALERTS = "org.schoolgate.alerts..";
  private static final String IN_IDENTITY = "org.schoolgate.identity..";
  private static final String IN_PROXY = "org.schoolgate.proxy..";
  private static final String IN_RESOLVER = "org.schoolgate.resolver..";
  private static final String IN_ADMIN = "org.schoolgate.admin..";
  private static final String IN_DEPLOY = "org.schoolgate.deploy..";
  private static final String IN_BENCH = "org.schoolgate.bench..";

  /** The proxy decides from the policy alone; deploy hands it what it needs from the store and alerts. */
  static final ArchRule PROXY_CORE = noClasses().that().resideInAPackage(IN_PROXY)
      .should().dependOnClassesThat().resideInAnyPackage(IN_STORE, IN_ADMIN, IN_ALERTS, IN_RESOLVER)
      .because("proxy-core runs on its own and is wired to the store, admin API and alerts by deploy");

  static final ArchRule ADMIN_API = noClasses().that().resideInAPackage(IN_ADMIN)
      .should().dependOnClassesThat().resideInAPackage(IN_PROXY)
      .because("proxy-core and admin-api never depend on each other; deploy wires them");

  static final ArchRule POLICY_ENGINE = noClasses().that().resideInAPackage(IN_POLICY)
      .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.javalin..", "java.sql..", "javax.sql..",
          "com.zaxxer..", "org.postgresql..", "org.sqlite..",
          IN_STORE, IN_ALERTS, IN_IDENTITY, IN_PROXY, IN_RESOLVER, IN_ADMIN, IN_DEPLOY, IN_BENCH)
      .because("policy-engine is the shared base: pure decisions, no network, web or database code");

  static final ArchRule IDENTITY = noClasses().that().resideInAPackage(IN_IDENTITY)
      .should().dependOnClassesThat().resideInAnyPackage(IN_PROXY, IN_ADMIN)
      .because("identity is used by the proxy and the admin API, never the other way round");

  static final ArchRule ONLY_DEPLOY_USES_DEPLOY = noClasses().that().resideOutsideOfPackages(IN_DEPLOY, IN_BENCH)
      .should().dependOnClassesThat().resideInAPackage(IN_DEPLOY)
      .because("deploy wires everything; nothing is wired to it");

  /** {@code InetAddress.getByName}/{@code getAllByName} block on DNS: only the DNS service (off the loops) may. */
  static final ArchRule PROXY_CORE_DNS = noClasses().that().resideInAPackage(IN_PROXY)
      .and().resideOutsideOfPackage("org.schoolgate.proxy.dns..")
      .should().callMethod(InetAddress.class, "getByName", String.class)
      .orShould().callMethod(InetAddress.class, "getAllByName", String.class)
      .because("a name lookup blocks; proxy-core resolves through DnsService, off the event loops");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDS_ON_DEPLOY = Pattern.compile(
      "<groupId>org\\.schoolgate</groupId>\\s*<artifactId>deploy</artifactId>");

  private ModuleRules() {}

  /** The repository root: {@code from} or the nearest parent whose pom lists modules. */
  static Path repositoryRoot(Path from) throws IOException {
    for (Path p = from; p != null; p = p.getParent()) {
      Path pom = p.resolve("pom.xml");
      if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
        return p;
      }
    }
    throw new IllegalStateException("no parent pom with <modules> above " + from);
  }

  /** The modules the root pom lists. */
  static List<String> modules(Path root) throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  /** Directories under each module's {@code src/main/java} that hold Java files but no package-info.java. */
  static List<Path> packagesWithoutPackageInfo(Path root) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (String module : modules(root)) {
      Path sources = root.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      try (Stream<Path> dirs = Files.walk(sources)) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          if (holdsJava(dir) && !Files.exists(dir.resolve("package-info.java"))) {
            missing.add(dir);
          }
        }
      }
    }
    return missing;
  }

  /** Modules other than deploy whose pom declares a dependency on deploy. */
  static List<String> modulesDependingOnDeploy(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : modules(root)) {
      Path pom = root.resolve(module).resolve("pom.xml");
      if (!module.equals("deploy") && Files.isRegularFile(pom)
          && DEPENDS_ON_DEPLOY.matcher(Files.readString(pom)).find()) {
        found.add(module);
      }
    }
    return found;
  }

  private static boolean holdsJava(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".java"));
    }
  }
}
