package org.schoolgate.deploy;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreException;

/**
 * {@code schoolgate accounts add USERNAME --roles R1,R2 [--display-name NAME]} and {@code
 * schoolgate accounts list}: account administration from the shell, e.g. the first admin; {@code
 * proxy-add USERNAME --groups 'G;G'}, {@code proxy-list}, {@code proxy-remove USERNAME}: the local
 * proxy accounts (people who sign in to the proxy at a school without a directory). The
 * password is asked twice on a terminal (not echoed) or read as the first line of standard input
 * (for scripts); it never appears on the command line. {@code voucher-add 'NAME' [--day D]},
 * {@code voucher-list}, {@code voucher-remove ID}: guest vouchers for the device sign-in page (one
 * day in the policy's time zone; the code is printed once). Audited with the actor {@code cli}.
 */
final class AccountsCommand {
  static final String NAME = "schoolgate accounts";
  static final String USAGE = """
      Usage: schoolgate accounts add USERNAME --roles ROLE[,ROLE...] [--display-name NAME]
                                 [--config FILE | --data-dir DIR]
             schoolgate accounts list [--config FILE | --data-dir DIR]
             schoolgate accounts proxy-add USERNAME [--groups 'GROUP;GROUP'] [--config FILE | --data-dir DIR]
             schoolgate accounts proxy-list | proxy-remove USERNAME [--config FILE | --data-dir DIR]
             schoolgate accounts voucher-add 'GUEST NAME' [--day YYYY-MM-DD] [--config FILE | --data-dir DIR]
             schoolgate accounts voucher-list | voucher-remove ID [--config FILE | --data-dir DIR]

      Creates or lists the people who can sign in to the admin API, and the local proxy accounts
      (people who sign in to the proxy where there is no directory; identity.local-accounts: true).
      The password is asked on the terminal, or read as the first line of standard input when
      there is no terminal.

        --roles R,R        teacher, technician, dsl, senior-leader, governor, admin
        --display-name N   the name shown in the audit trail and pages (default: USERNAME)
        --groups 'G;G'     a proxy account's groups, as the policy's identification.directory-groups
                           names them (e.g. 'Year9;Pupils')
        --day D            the day a guest voucher is for (default today, in the policy's time zone);
                           its code signs a personal device in on /device-sign-in as guest:NAME,
                           directory group 'guests', that day only
        --config FILE      the runtime configuration (its database)
        --data-dir DIR     the embedded default's data directory (default ./schoolgate-data)
      """;
  private static final Set<String> OPTIONS = Set.of("--config", "--data-dir", "--roles", "--display-name", "--groups",
      "--day");

  private AccountsCommand() {}

  static int run(List<String> argv, InputStream in, PrintStream out, PrintStream err, Clock clock) {
    Args args;
    RuntimeConfig config;
    try {
      args = Args.parse(NAME, argv, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      config = InstalledConfig.from(NAME, args);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("schoolgate: the configuration has errors:");
      e.errors().forEach(p -> err.println("  " + p));
      return 2;
    }
    List<String> words = args.positional();
    try {
      if (words.equals(List.of("list"))) {
        try (Store store = Store.open(config.database(), clock)) {
          for (Account a : store.accounts().list()) {
            out.println(a.username() + "\t" + a.displayName() + "\t" + roles(a.roles())
                + (a.disabled() ? "\tdisabled" : ""));
          }
        }
        return 0;
      }
      if (words.size() == 2 && words.get(0).equals("add")) {
        return add(words.get(1), args, config, in, out, err, clock);
      }
      if (!words.isEmpty() && words.get(0).startsWith("voucher-")) {
        return voucher(words, args, config, out, err, clock);
      }
      if (!words.isEmpty() && words.get(0).startsWith("proxy-")) {
        return proxy(words, args, config, in, out, err, clock);
      }
      err.println(NAME + ": expected 'add USERNAME --roles ...', 'list' or 'proxy-add|proxy-list|proxy-remove', got "
          + (words.isEmpty() ? "nothing" : String.join(" ", words)) + " (see schoolgate accounts --help)");
      return 2;
    } catch (RuntimeException | IOException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
  }

  private static int add(String username, Args args, RuntimeConfig config, InputStream in, PrintStream out,
      PrintStream err, Clock clock) throws IOException {
    String roleList = args.value("--roles");
    if (roleList == null || roleList.isBlank()) {
      err.println(NAME + ": --roles is required (expected: one or more of "
          + Arrays.stream(Role.values()).map(Role::apiName).collect(Collectors.joining(", ")) + ")");
      return 2;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : roleList.split(",")) {
      Role role = Role.parse(name.trim()).orElse(null);
      if (role == null) {
        err.println(NAME + ": --roles: unknown role '" + name.trim() + "' (expected: "
            + Arrays.stream(Role.values()).map(Role::apiName).collect(Collectors.joining(", ")) + ")");
        return 2;
      }
      roles.add(role);
    }
    char[] password = password(in, out);
    if (password == null) {
      err.println(NAME + ": no password given (type it at the prompt, or pipe it as the first line of stdin)");
      return 2;
    }
    String display = args.value("--display-name") == null ? username : args.value("--display-name");
    try (Store store = Store.open(config.database(), clock)) {
      Account a = store.accounts().create(username, display, password, roles, new Actor(null, "cli", null));
      out.println("created " + a.username() + " (" + roles(a.roles()) + ")");
      return 0;
    } catch (StoreException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static int proxy(List<String> words, Args args, RuntimeConfig config, InputStream in, PrintStream out,
      PrintStream err, Clock clock) throws IOException {
    Actor cli = new Actor(null, "cli", null);
    if (words.equals(List.of("proxy-list"))) {
      try (Store store = Store.open(config.database(), clock)) {
        store.proxyAccounts().list().forEach(a -> out.println(a.username() + "\t" + String.join(";", a.groups())));
      }
      return 0;
    }
    if (words.size() == 2 && words.get(0).equals("proxy-remove")) {
      try (Store store = Store.open(config.database(), clock)) {
        boolean removed = store.proxyAccounts().remove(words.get(1), cli);
        (removed ? out : err).println(removed ? "removed " + words.get(1)
            : NAME + ": there is no proxy account '" + words.get(1) + "' (see proxy-list)");
        return removed ? 0 : 1;
      }
    }
    if (words.size() != 2 || !words.get(0).equals("proxy-add")) {
      err.println(NAME + ": expected 'proxy-add USERNAME [--groups ...]', 'proxy-list' or 'proxy-remove USERNAME', got "
          + String.join(" ", words));
      return 2;
    }
    String groupList = args.value("--groups");
    List<String> groups = groupList == null ? List.of()
        : Arrays.stream(groupList.split(";")).map(String::strip).filter(g -> !g.isEmpty()).toList();
    char[] password = password(in, out);
    if (password == null) {
      err.println(NAME + ": no password given (type it at the prompt, or pipe it as the first line of stdin)");
      return 2;
    }
    try (Store store = Store.open(config.database(), clock)) {
      var a = store.proxyAccounts().create(words.get(1), password, groups, cli);
      out.println("created proxy account " + a.username() + " (groups: " + String.join(";", a.groups()) + ")");
      return 0;
    } catch (StoreException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static int voucher(List<String> words, Args args, RuntimeConfig config, PrintStream out, PrintStream err,
      Clock clock) {
    Actor cli = new Actor(null, "cli", null);
    java.time.ZoneId zone;
    try {
      zone = org.schoolgate.policy.model.PolicyReader.read(config.policy()).config().timezone();
    } catch (org.schoolgate.policy.PolicyException e) {
      err.println(NAME + ": the policy " + config.policy() + " cannot be read (its time zone says when a day"
          + " starts): " + e.getMessage());
      return 1;
    }
    java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), zone);
    try (Store store = Store.open(config.database(), clock)) {
      if (words.equals(List.of("voucher-list"))) {
        for (org.schoolgate.store.GuestVoucher v : store.guestVouchers().list(today.atStartOfDay(zone).toInstant())) {
          out.println(v.id() + "\t" + v.guestName() + "\t" + v.validFrom() + "\t" + v.validUntil() + "\t"
              + v.signIns() + " sign-ins" + (v.revokedAt() == null ? "" : "\twithdrawn"));
        }
        return 0;
      }
      if (words.size() == 2 && words.get(0).equals("voucher-remove")) {
        long id;
        try {
          id = Long.parseLong(words.get(1));
        } catch (NumberFormatException e) {
          err.println(NAME + ": voucher-remove: '" + words.get(1) + "' is not a voucher number (see voucher-list)");
          return 2;
        }
        boolean removed = store.guestVouchers().revoke(id, cli);
        if (!removed) {
          err.println(NAME + ": there is no voucher " + id + " in force (see voucher-list)");
          return 1;
        }
        // the devices it signed in are signed out in the shared binding table: a running Schoolgate
        // reads the ends within identity.sync-every (2 s), as it reads another node's
        int ended = StoreBindingJournal.endAllFrom(store.bindings(),
            org.schoolgate.admin.identity.GuestVoucherRoutes.bindingSource(id), clock.instant());
        out.println("withdrew voucher " + id + (ended == 0 ? "" : "; signed out " + ended
            + (ended == 1 ? " device" : " devices")));
        return 0;
      }
      if (words.size() != 2 || !words.get(0).equals("voucher-add")) {
        err.println(NAME + ": expected \"voucher-add 'GUEST NAME' [--day YYYY-MM-DD]\", 'voucher-list' or"
            + " 'voucher-remove ID', got " + String.join(" ", words));
        return 2;
      }
      java.time.LocalDate day;
      try {
        day = args.value("--day") == null ? today : java.time.LocalDate.parse(args.value("--day").strip());
      } catch (java.time.format.DateTimeParseException e) {
        err.println(NAME + ": --day '" + args.value("--day") + "' is not a date (expected: YYYY-MM-DD, e.g. "
            + today + ")");
        return 2;
      }
      if (day.isBefore(today)) {
        err.println(NAME + ": --day " + day + " is in the past (today is " + today + ")");
        return 2;
      }
      var issued = store.guestVouchers().issue(words.get(1), day.atStartOfDay(zone).toInstant(),
          day.plusDays(1).atStartOfDay(zone).toInstant(), cli);
      out.println("voucher " + issued.voucher().id() + " for " + issued.voucher().guestName() + " on " + day
          + ": code " + issued.code() + " (shown once; signs in as " + issued.voucher().userName() + ")");
      return 0;
    } catch (StoreException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
  }

  private static char[] password(InputStream in, PrintStream out) throws IOException {
    Console console = System.console();
    if (console != null && in == System.in) {
      char[] first = console.readPassword("Password (at least 12 characters): ");
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        out.println("the passwords differ");
        return null;
      }
      return first;
    }
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    return line == null || line.isEmpty() ? null : line.toCharArray();
  }

  private static String roles(Set<Role> roles) {
    return roles.stream().sorted().map(Role::apiName).collect(Collectors.joining(","));
  }
}
