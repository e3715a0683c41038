package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.schoolgate.policy.testing.Ut1Fixture;

/** Builds list archives and a TLS keystore for the list-update tests, at test time. */
final class TestFeeds {
  static final String PASSWORD = "changeit";

  private TestFeeds() {}

  /** The UT1 fixture (real UT1 lines, trimmed; CC BY-SA) copied into {@code dir}: its blacklists directory. */
  static Path ut1(Path dir) {
    return Ut1Fixture.extractTo(dir);
  }

  /**
   * A UT1-style {@code blacklists.tar.gz} ({@code blacklists/<category>/<file>.gz}, the layout of
   * the gzipped mirror) of these categories of the UT1 fixture.
   */
  static byte[] ut1Tarball(Path dir, List<String> categories) throws IOException {
    Path ut1 = ut1(Files.createTempDirectory(dir, "fixture"));
    Path out = dir.resolve("blacklists-" + String.join("-", categories) + ".tar.gz");
    try (TarArchiveOutputStream tar = open(out)) {
      tar.putArchiveEntry(new TarArchiveEntry("blacklists/"));
      tar.closeArchiveEntry();
      for (String c : categories) {
        tar.putArchiveEntry(new TarArchiveEntry("blacklists/" + c + "/"));
        tar.closeArchiveEntry();
        try (var files = Files.list(ut1.resolve(c))) {
          for (Path f : files.sorted().toList()) {
            file(tar, "blacklists/" + c + "/" + f.getFileName() + ".gz", gzip(Files.readAllBytes(f)));
          }
        }
      }
      // UT1 links category aliases inside the archive
      TarArchiveEntry link = new TarArchiveEntry("blacklists/betting", TarConstants.LF_SYMLINK);
      link.setLinkName(categories.get(0));
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return Files.readAllBytes(out);
  }

  /** An archive with one category and one extra hostile entry: a file name, or a symbolic link when {@code linkTo} is set. */
  static byte[] hostileTarball(Path dir, String name, String linkTo) throws IOException {
    Path out = Files.createTempFile(dir, "hostile", ".tar.gz");
    try (TarArchiveOutputStream tar = open(out)) {
      file(tar, "blacklists/gambling/domains", "evil-update.example\n".getBytes());
      if (linkTo == null) {
        file(tar, name, "owned\n".getBytes());
      } else {
        TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        link.setLinkName(linkTo);
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
    }
    return Files.readAllBytes(out);
  }

  /** An archive of files only, with no category directory. */
  static byte[] tarballWithoutCategories(Path dir) throws IOException {
    Path out = Files.createTempFile(dir, "flat", ".tar.gz");
    try (TarArchiveOutputStream tar = open(out)) {
      file(tar, "README", "no categories here\n".getBytes());
    }
    return Files.readAllBytes(out);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static TarArchiveOutputStream open(Path out) throws IOException {
    OutputStream gz = new GzipCompressorOutputStream(Files.newOutputStream(out));
    TarArchiveOutputStream tar = new TarArchiveOutputStream(gz);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    return tar;
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /**
   * A PKCS12 keystore for a TLS server on 127.0.0.1 (self-signed, SAN IP 127.0.0.1 and DNS
   * localhost) made with the JDK's keytool, and its certificate as PEM beside it ({@code ca.pem}).
   */
  static Path keystore(Path dir) throws IOException, InterruptedException {
    Path keystore = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(dir, keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    run(dir, keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD, "-file", dir.resolve("ca.pem").toString());
    return keystore;
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** A runtime configuration for {@code policy} with the admin API on loopback {@code adminPort}. */
  static RuntimeConfig config(Path policy, Path dir, int adminPort) {
    return new RuntimeConfig(RuntimeConfig.ProxySettings.defaults(new InetSocketAddress("127.0.0.1", 0)),
        new RuntimeConfig.AdminSettings(new InetSocketAddress("127.0.0.1", adminPort), null), policy,
        dir.resolve("logs"), RuntimeConfig.DnsSettings.system());
  }

  /** Runs {@code lists update} for every list with a url, streams captured. */
  static Cli update(RuntimeConfig config, Path caFile, ListArchive.Limits limits, String token)
      throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ListsCommand.update(config, caFile, null, limits, token,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A loopback port nothing listens on (a stopped Schoolgate's admin API). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

}
