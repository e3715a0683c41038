package org.schoolgate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code schoolgate} command.
 *
 * <pre>
 * java -jar schoolgate.jar                                  # run the embedded default
 * java -jar schoolgate.jar run --config /etc/schoolgate/schoolgate.yaml
 * java -jar schoolgate.jar check --policy policy.yaml --client 10.20.3.4 http://example.com/
 * java -jar schoolgate.jar lists update --config /etc/schoolgate/schoolgate.yaml
 * </pre>
 */
public final class Main {
  static final String USAGE = """
      Schoolgate: a web filtering proxy for schools.

      Usage:
        schoolgate [run] [--config FILE] [--proxy-port N] [--admin-port N] [--data-dir DIR]
        schoolgate check --policy FILE --client IP [--user NAME] [--at TIME] [URL ...]
        schoolgate lists update [--config FILE | --data-dir DIR] [--list NAME] [--ca-file FILE]
        schoolgate accounts add USERNAME --roles ROLE[,ROLE] [--config FILE | --data-dir DIR]
        schoolgate accounts list [--config FILE | --data-dir DIR]
        schoolgate audit verify|export [--config FILE | --data-dir DIR]
        schoolgate ca init|show [--name "SCHOOL NAME"] [--data-dir DIR] [--force]
        schoolgate backup FILE [--config FILE | --data-dir DIR]
        schoolgate restore FILE [--config FILE | --data-dir DIR] [--force]
        schoolgate --help

      Commands:
        run     run the proxy and the admin API (the default command)
        check   print how a policy decides URLs for a client, one TSV line per URL
        lists   'lists update': download the policy's category lists, swap them in, reload
        accounts  create or list admin accounts (e.g. the first admin)
        audit   verify the audit trail's hash chain, or export it as CSV
        ca      create (init) or show the school's CA for HTTPS interception, and how to deploy it
        backup  copy the database (while running), CA, policy, lists and configuration to one file
        restore put a backup back (Schoolgate stopped); migrations run, the audit chain is checked

      'schoolgate COMMAND --help' describes each command's options.
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    sparseLeakSampling();
    int status = execute(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(status);
  }

  /**
   * Netty's leak detector (level {@code simple}) tracks one buffer in 128 by default, and
   * tracking takes a stack trace: 3 % of the event loop's CPU on keep-alive requests. One in
   * 4,096 still finds a buffer leaked per request within seconds of traffic, at 1/32 of the cost.
   * Set before any Netty class reads it; {@code -Dio.netty.leakDetection.samplingInterval=N} (or
   * {@code -Dio.netty.leakDetection.level=paranoid}) still decides.
   */
  static void sparseLeakSampling() {
    if (System.getProperty(LEAK_SAMPLING) == null) {
      System.setProperty(LEAK_SAMPLING, "4096");
    }
  }

  static final String LEAK_SAMPLING = "io.netty.leakDetection.samplingInterval";

  /** Runs a command with the given streams and returns the exit status. */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    List<String> all = Arrays.asList(args);
    if (all.isEmpty()) {
      return RunCommand.run(all, out, err);
    }
    String first = all.get(0);
    List<String> rest = all.subList(1, all.size());
    switch (first) {
      case "--help", "-h", "help" -> {
        out.print(USAGE);
        return 0;
      }
      case "run" -> {
        return RunCommand.run(rest, out, err);
      }
      case "check" -> {
        return CheckCommand.run(rest, in, out, err, Clock.systemDefaultZone());
      }
      case "lists" -> {
        return ListsCommand.run(rest, out, err);
      }
      case "accounts" -> {
        return AccountsCommand.run(rest, in, out, err, Clock.systemUTC());
      }
      case "audit" -> {
        return AuditCommand.run(rest, out, err, Clock.systemUTC());
      }
      case "ca" -> {
        return CaCommand.run(rest, out, err, Clock.systemUTC());
      }
      case "backup", "restore" -> {
        return BackupCommand.run(first, rest, out, err, Clock.systemUTC());
      }
      default -> {
        if (first.startsWith("--")) {
          return RunCommand.run(all, out, err);
        }
        err.println("schoolgate: unknown command '" + first + "' (expected: run, check, lists, accounts, audit, ca, backup, restore or --help)");
        return 2;
      }
    }
  }
}
