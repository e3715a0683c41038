package org.schoolgate.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.ListSource;
import org.schoolgate.policy.model.PolicyReader;
import org.schoolgate.policy.model.SourceRef;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.Store;

/**
 * {@code schoolgate lists update [--config FILE | --data-dir DIR] [--list NAME] [--ca-file FILE]}:
 * downloads the policy's lists that have a {@code url} (squidGuard archives, and single hosts or
 * plain files), installs each atomically (see {@link ListUpdater}) and asks the running
 * Schoolgate to reload.
 *
 * <p>Exit codes: 0 every list updated (and reloaded, or Schoolgate is not running); 1 a list
 * failed (its old version stays in force) or the running Schoolgate refused the reload; 2 bad
 * arguments or nothing to update.
 */
final class ListsCommand {
  static final String NAME = "schoolgate lists";
  static final String USAGE = """
      Usage: schoolgate lists update [--config FILE | --data-dir DIR] [--list NAME] [--ca-file FILE]
                                     [--token-file FILE]

      Downloads every list of the policy that has a 'url' (or only --list NAME) over HTTPS,
      checks it, swaps it in atomically and asks the running Schoolgate to reload. A failed
      download or a broken file leaves the old list in force.
        squidguard lists: a gzip tar in squidGuard/UT1 layout with the categories the policy uses.
        hosts and plain lists: one file, plain or gzip, installed as <path>/<category>[.gz]
        (the list's 'category'); it must have valid entries and no more invalid lines than entries.
      A 'sha256' in the policy is checked for either kind.

        --config FILE    the runtime configuration (its policy and admin address)
        --data-dir DIR   the embedded default's data directory (default ./schoolgate-data)
        --list NAME      update only this list
        --ca-file FILE   PEM certificates to trust besides the JDK's (a school's TLS proxy);
                         overrides the lists' own ca-file in the policy
        --token-file FILE  a technician's API token (POST /api/v1/tokens) for the reload;
                         default: the environment variable SCHOOLGATE_API_TOKEN

      Exit status: 0 updated; 1 a list failed (the old one stays) or the reload was refused;
      2 bad arguments or nothing to update.
      """;
  private static final Set<String> OPTIONS = Set.of("--config", "--data-dir", "--list", "--ca-file", "--token-file");
  /** The environment variable holding an API token for the reload when no --token-file is given. */
  static final String TOKEN_ENV = "SCHOOLGATE_API_TOKEN";
  private static final long MAX_DOWNLOAD_BYTES = 1L << 30;
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(2);

  private ListsCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws InterruptedException {
    RuntimeConfig config;
    Path caFile;
    String only;
    String token;
    try {
      Args args = Args.parse(NAME, argv, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (!args.positional().equals(List.of("update"))) {
        throw new UsageException(NAME + ": expected the command 'update', got "
            + (args.positional().isEmpty() ? "none" : String.join(" ", args.positional()))
            + " (see schoolgate lists --help)");
      }
      config = InstalledConfig.from(NAME, args);
      caFile = args.value("--ca-file") == null ? null : Path.of(args.value("--ca-file"));
      only = args.value("--list");
      token = token(args.value("--token-file"));
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("schoolgate: the configuration has errors:");
      e.errors().forEach(p -> err.println("  " + p));
      return 2;
    }
    return update(config, caFile, only, ListArchive.Limits.DEFAULT, token, out, err);
  }

  private static String token(String file) throws UsageException {
    if (file == null) {
      String env = System.getenv(TOKEN_ENV);
      return env == null || env.isBlank() ? null : env.strip();
    }
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new UsageException(NAME + ": --token-file " + file + " cannot be read: " + e.getMessage()
          + " (expected: a file holding a technician's API token)");
    }
  }

  /**
   * Updates the lists of {@code config}'s policy (all with a url, or only {@code only}) and
   * reloads; {@code caFile}, when not null, replaces each list's own {@code ca-file}; {@code
   * token} (or null) authenticates the reload. Each installed list is written to the audit trail.
   */
  static int update(RuntimeConfig config, Path caFile, String only, ListArchive.Limits limits, String token,
      PrintStream out, PrintStream err) throws InterruptedException {
    List<ListSource> lists;
    try {
      lists = PolicyReader.readLists(config.policy());
    } catch (PolicyException e) {
      err.println(NAME + ": the policy " + config.policy() + " has errors:");
      e.errors().forEach(pe -> err.println("  " + pe));
      return 2;
    }
    List<ListSource> selected = lists.stream()
        .filter(l -> l.url() != null && (only == null || l.name().equals(only))).toList();
    if (selected.isEmpty()) {
      err.println(NAME + ": " + (only == null ? "no list in " + config.policy() + " has a url"
          : "the policy has no list '" + only + "' with a url")
          + " (expected: lists: - { name: ut1, path: lists/ut1, url: https://... })");
      return 2;
    }
    int failed = 0;
    int installed = 0;
    List<AuditEntry> updates = new ArrayList<>();
    for (ListSource list : selected) {
      out.println(list.name() + ": downloading " + list.url());
      try {
        ListUpdater updater = new ListUpdater(new ListDownloader(caFile != null ? caFile : list.caFile(),
            MAX_DOWNLOAD_BYTES, DOWNLOAD_TIMEOUT), limits);
        ListUpdater.Installed done = updater.update(list, usedCategories(config.policy(), list.name()));
        String what;
        if (done.file() != null) {
          what = "installed category " + list.category() + " (" + done.stats().entries()
              + " entries, " + done.stats().invalid() + " invalid lines; " + done.bytes() / 1024 + " KiB, sha256 "
              + done.sha256() + ") as " + done.file();
        } else {
          what = "installed " + done.categories().size() + " categories ("
              + done.bytes() / 1024 + " KiB, sha256 " + done.sha256() + ") in " + done.dir();
        }
        out.println(list.name() + ": " + what);
        updates.add(new AuditEntry("lists.updated", new Actor(null, "cli", null), "list:" + list.name(),
            "schoolgate lists update from " + list.url(), null, what));
        installed++;
      } catch (ListUpdateException e) {
        err.println(NAME + ": " + list.name() + ": " + e.getMessage() + "; the old list stays in force");
        failed++;
      }
    }
    audit(config, updates, err);
    if (installed > 0 && !reload(config, token, out, err)) {
      failed++;
    }
    return failed == 0 ? 0 : 1;
  }

  /** Records the installed lists in the audit trail (actor {@code cli}); a database problem is reported, not fatal. */
  private static void audit(RuntimeConfig config, List<AuditEntry> updates, PrintStream err) {
    if (updates.isEmpty()) {
      return;
    }
    try (Store store = Store.open(config.database(), Clock.systemUTC())) {
      updates.forEach(store.audit()::append);
    } catch (RuntimeException e) {
      err.println(NAME + ": the lists are installed, but could not be written to the audit trail: " + e.getMessage());
    }
  }


  /** What to trust for the admin API's HTTPS: the school CA that issued it, or its own certificate; null for HTTP. */
  private static java.security.cert.X509Certificate adminTrust(RuntimeConfig config) throws java.io.IOException {
    RuntimeConfig.AdminTlsSettings tls = config.admin().tls();
    if (tls == null) {
      return null;
    }
    try {
      return org.schoolgate.proxy.ca.SchoolCa.readCertificate(tls.schoolCa() && config.interception().certificate() != null
          ? config.interception().certificate() : tls.certificate());
    } catch (org.schoolgate.proxy.ca.CaException | RuntimeException e) {
      throw new java.io.IOException("cannot read the admin API's certificate to trust it: " + e.getMessage(), e);
    }
  }

  private static boolean reload(RuntimeConfig config, String token, PrintStream out, PrintStream err)
      throws InterruptedException {
    java.net.URI url = PolicyReloadClient.reloadUrl(config.admin());
    try {
      PolicyReloadClient.Outcome outcome = PolicyReloadClient.reload(url, RELOAD_TIMEOUT, token, adminTrust(config));
      if (outcome instanceof PolicyReloadClient.Outcome.Reloaded) {
        out.println("reloaded the running Schoolgate (" + url + ")");
        return true;
      }
      if (outcome instanceof PolicyReloadClient.Outcome.NotRunning) {
        out.println("Schoolgate is not running at " + url + ": the new lists will be used at next start");
        return true;
      }
      PolicyReloadClient.Outcome.Refused r = (PolicyReloadClient.Outcome.Refused) outcome;
      if (r.status() == 401 || r.status() == 403) {
        err.println(NAME + ": the running Schoolgate did not accept " + (token == null ? "a reload without a token"
            : "the API token") + " (HTTP " + r.status() + "): pass a technician's API token with --token-file FILE"
            + " or " + TOKEN_ENV + " (create one with POST /api/v1/tokens); the new lists are installed and"
            + " will be used at the next reload (kill -HUP) or start");
        return false;
      }
      err.println(NAME + ": the running Schoolgate refused the reload (HTTP " + r.status() + "): " + r.body()
          + "; it keeps its current policy and lists until the policy loads");
      return false;
    } catch (IOException e) {
      err.println(NAME + ": asking " + url + " to reload failed: " + e
          + "; the new lists will be used at the next reload or start");
      return false;
    }
  }

  /** The categories the policy takes from list {@code name}; empty when the policy cannot be read in full. */
  private static Set<String> usedCategories(Path policy, String name) {
    Set<String> used = new TreeSet<>();
    try {
      for (CategoryConfig c : PolicyReader.read(policy).config().categories()) {
        for (SourceRef ref : c.sources()) {
          if (ref.list().equals(name)) {
            used.add(ref.category());
          }
        }
      }
    } catch (PolicyException e) {
      // e.g. the list directory does not exist yet: only the archive's own checks apply
    }
    return used;
  }
}
