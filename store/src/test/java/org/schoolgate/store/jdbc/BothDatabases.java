package org.schoolgate.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a {@link DatabaseTest} once on SQLite (a file in a fresh temporary directory) and once on
 * PostgreSQL (a fresh database on the one embedded server of the test run), injecting a {@link
 * TestDatabase} that is closed after the test.
 */
final class BothDatabases implements TestTemplateInvocationContextProvider {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BothDatabases.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return true;
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    return Stream.of(invocation(TestDatabase.Vendor.SQLITE), invocation(TestDatabase.Vendor.POSTGRESQL));
  }

  private static TestTemplateInvocationContext invocation(TestDatabase.Vendor vendor) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return vendor.name().toLowerCase(java.util.Locale.ROOT);
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(new Resolver(vendor));
      }
    };
  }

  /** The server shared by the whole run, started on first use and stopped when the run ends. */
  static PostgresServer postgres(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent("postgres", k -> new PostgresServer(),
        PostgresServer.class);
  }

  /** Injects the {@link TestDatabase} of one invocation. */
  private static final class Resolver implements ParameterResolver {
    private final TestDatabase.Vendor vendor;

    Resolver(TestDatabase.Vendor vendor) {
      this.vendor = vendor;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getStore(NS).getOrComputeIfAbsent("db", k -> create(context), Holder.class).db;
    }

    private Holder create(ExtensionContext context) {
      if (vendor == TestDatabase.Vendor.POSTGRESQL) {
        return new Holder(TestDatabase.postgres(postgres(context).newDatabase()), null);
      }
      try {
        Path dir = Files.createTempDirectory("schoolgate-store-test");
        return new Holder(TestDatabase.sqlite(dir), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Closes the store and deletes the SQLite directory when the invocation ends. */
  private static final class Holder implements AutoCloseable {
    final TestDatabase db;
    final Path dir;

    Holder(TestDatabase db, Path dir) {
      this.db = db;
      this.dir = dir;
    }

    @Override
    public void close() throws IOException {
      db.close();
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
