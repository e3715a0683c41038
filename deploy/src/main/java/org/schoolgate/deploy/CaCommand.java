package org.schoolgate.deploy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.schoolgate.proxy.ca.CaException;
import org.schoolgate.proxy.ca.SchoolCa;

/**
 * {@code schoolgate ca init} creates the school's interception CA in the data directory ({@code
 * ca/schoolgate-ca.pem}, and {@code ca/schoolgate-ca.key} created 0600) and says how to deploy the
 * certificate to the school's devices; {@code schoolgate ca show} prints the CA's subject, validity
 * and fingerprint and checks its key (exit 1 when the proxy could not use it).
 */
final class CaCommand {
  static final String NAME = "schoolgate ca";
  static final String USAGE = """
      Usage: schoolgate ca init [--name "SCHOOL NAME"] [--data-dir DIR] [--force]
             schoolgate ca show [--data-dir DIR]

      The school's certificate authority for HTTPS interception. Devices must trust its certificate
      before any site is intercepted; its key never leaves this server.

        init        create the CA: DIR/ca/schoolgate-ca.pem (certificate, give it to devices) and
                    DIR/ca/schoolgate-ca.key (private key, permissions 0600), then print how to
                    deploy the certificate to Windows, ChromeOS, macOS, iOS and Android
        show        print the CA's subject, validity and SHA-256 fingerprint, and check its key
        --name N    the school's name, shown on devices as 'N Schoolgate CA' (default: School)
        --data-dir DIR, --dir DIR
                    the data directory (default ./schoolgate-data)
        --force     replace an existing CA (every device must then be given the new certificate)
      """;
  static final String CERTIFICATE_FILE = "ca/schoolgate-ca.pem";
  static final String KEY_FILE = "ca/schoolgate-ca.key";
  static final String DEFAULT_SCHOOL_NAME = "School";
  private static final Set<String> OPTIONS = Set.of("--name", "--data-dir", "--dir");

  private CaCommand() {}

  /** Where {@code schoolgate ca init} puts the CA certificate in {@code dataDir}. */
  static Path certificateFile(Path dataDir) {
    return dataDir.resolve(CERTIFICATE_FILE);
  }

  /** Where {@code schoolgate ca init} puts the CA key in {@code dataDir}. */
  static Path keyFile(Path dataDir) {
    return dataDir.resolve(KEY_FILE);
  }

  static int run(List<String> argv, PrintStream out, PrintStream err, Clock clock) {
    Args args;
    boolean force;
    Path dataDir;
    try {
      List<String> rest = new ArrayList<>(argv);
      force = rest.remove("--force");
      args = Args.parse(NAME, rest, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      List<String> words = args.positional();
      if (!words.equals(List.of("init")) && !words.equals(List.of("show"))) {
        throw new UsageException(NAME + ": expected 'init' or 'show', got "
            + (words.isEmpty() ? "nothing" : String.join(" ", words)) + " (see schoolgate ca --help)");
      }
      if (args.value("--data-dir") != null && args.value("--dir") != null) {
        throw new UsageException(NAME + ": give --data-dir or --dir, not both (they are the same option)");
      }
      if (words.get(0).equals("show") && (force || args.value("--name") != null)) {
        throw new UsageException(NAME + ": --name and --force apply to 'ca init' only");
      }
      String dir = args.value("--data-dir") != null ? args.value("--data-dir") : args.value("--dir");
      dataDir = (dir == null ? RunCommand.DEFAULT_DATA_DIR : Path.of(dir)).toAbsolutePath().normalize();
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (args.positional().get(0).equals("init")) {
      return init(args.value("--name"), dataDir, force, out, err, clock);
    }
    return show(dataDir, out, err, clock);
  }

  private static int init(String name, Path dataDir, boolean force, PrintStream out, PrintStream err, Clock clock) {
    SchoolCa ca;
    try {
      ca = SchoolCa.generate(name == null ? DEFAULT_SCHOOL_NAME : name, clock);
    } catch (IllegalArgumentException e) {
      err.println(NAME + ": --name: " + e.getMessage());
      return 2;
    }
    Path certificate = certificateFile(dataDir);
    Path key = keyFile(dataDir);
    try {
      ca.save(certificate, key, force);
    } catch (CaException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
    out.println((force ? "Replaced" : "Created") + " the school's interception CA.");
    out.println();
    out.println("  certificate  " + certificate + "   (give this file to the school's devices)");
    out.println("  private key  " + key + "   (permissions 0600; never copy it off this server)");
    describe(ca.certificate(), out, clock);
    out.println();
    out.print(DeployInstructions.text(certificate));
    return 0;
  }

  private static int show(Path dataDir, PrintStream out, PrintStream err, Clock clock) {
    Path certificateFile = certificateFile(dataDir);
    Path keyFile = keyFile(dataDir);
    X509Certificate certificate;
    try {
      certificate = SchoolCa.readCertificate(certificateFile);
    } catch (CaException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
    out.println("  certificate  " + certificateFile);
    describe(certificate, out, clock);
    try {
      SchoolCa.load(certificateFile, keyFile, null, clock);
      out.println("  key          " + keyFile + " (matches the certificate" + permissions(keyFile) + ")");
      return 0;
    } catch (CaException e) {
      out.println("  key          " + keyFile + ": NOT USABLE");
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
  }

  private static void describe(X509Certificate certificate, PrintStream out, Clock clock) {
    Instant from = certificate.getNotBefore().toInstant();
    Instant to = certificate.getNotAfter().toInstant();
    Instant now = clock.instant();
    String state = now.isAfter(to) ? "EXPIRED"
        : now.isBefore(from) ? "not valid yet"
        : Duration.between(now, to).toDays() + " days left";
    out.println("  subject      " + certificate.getSubjectX500Principal().getName());
    out.println("  serial       " + certificate.getSerialNumber().toString(16));
    out.println("  valid        " + from + " to " + to + " (" + state + ")");
    out.println("  SHA-256      " + SchoolCa.fingerprintSha256(certificate));
  }

  private static String permissions(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    try {
      return view == null ? "" : ", permissions " + PosixFilePermissions.toString(view.readAttributes().permissions());
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
