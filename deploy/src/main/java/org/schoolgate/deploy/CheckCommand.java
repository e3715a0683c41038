package org.schoolgate.deploy;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.schoolgate.admin.explain.Explainer;
import org.schoolgate.admin.explain.Explanation;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.url.ParsedUrl;

/**
 * {@code schoolgate check --policy FILE --client IP [--user NAME [--groups DN;DN]] [--at TIME] [URL ...]}: decides
 * each URL (from the arguments, or one per line from stdin) and prints one TSV line per URL:
 * {@code url, action, level, categories (comma-joined or -), rule}. Built for bulk: the client is
 * identified once, input and output are buffered and flushed once at the end. On stderr it first
 * reports how each list loaded ({@link ListReport}): entries, duplicates and invalid lines per
 * imported list and {@code files:} file, with the first invalid lines as
 * {@code file:line: problem: text}.
 *
 * <p>Exit codes: 0 all URLs decided; 2 a bad argument or at least one bad URL (printed with action
 * {@code error} and the message); 1 the policy has errors (listed on stderr).
 */
final class CheckCommand {
  static final String NAME = "schoolgate check";
  static final String USAGE = """
      Usage: schoolgate check --policy FILE --client IP [--user NAME [--groups DN;DN...]] [--at TIME] [URL ...]

      Decides each URL as the proxy would for that client, and prints one tab-separated line
      per URL: url, action, level, categories (comma-separated or -), rule.
      With no URL arguments, reads URLs from stdin, one per line (blank lines and # comments skipped).
      First prints on stderr, per list and per 'files:' file, the entries loaded, duplicates and
      invalid lines, with the first invalid lines as file:line: problem: text.

        --policy FILE   the policy YAML file
        --client IP     the client address the request comes from, e.g. 10.20.3.4
        --user NAME     the user name, if known (users listed in a group's 'users' get that group)
        --groups LIST   the user's directory groups, separated by ';' (DNs have commas), e.g.
                        "CN=Year9,OU=Pupils,DC=school,DC=example;CN=10X,OU=Classes,DC=school,DC=example":
                        the group comes from identification.directory-groups, nominations and
                        unblocks naming directory groups apply, as after a sign-in
        --at TIME       when: local time in the policy's time zone (2026-11-23T12:30) or ISO-8601
                        with an offset (2026-11-23T12:30:00Z); default now

      Exit status: 0 all decided; 2 bad arguments or a bad URL (its line says 'error');
      1 the policy has errors (listed on stderr).
      """;
  private static final Set<String> OPTIONS = Set.of("--policy", "--client", "--user", "--groups", "--at");
  private static final int BUFFER = 1 << 16;

  private CheckCommand() {}

  static int run(List<String> argList, InputStream in, PrintStream out, PrintStream err, Clock clock)
      throws IOException {
    Args args;
    InetAddress client;
    Path policyFile;
    try {
      args = Args.parse(NAME, argList, OPTIONS);
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      policyFile = Path.of(args.required(NAME, "--policy", "the policy YAML file, e.g. --policy policy.yaml"));
      client = Inputs.client(args.required(NAME, "--client", Inputs.CLIENT_EXPECTED), "--client");
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.println("Run 'schoolgate check --help' for usage.");
      return 2;
    } catch (InputException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }

    CompiledPolicy snapshot;
    try {
      snapshot = PolicyCompiler.compileFile(policyFile, clock);
    } catch (PolicyException e) {
      int n = e.errors().size();
      err.println(NAME + ": the policy has " + n + (n == 1 ? " error:" : " errors:"));
      for (PolicyError pe : e.errors()) {
        err.println("  " + pe);
      }
      return 1;
    }
    ListReport.print(ListReport.of(snapshot), err);

    Instant at;
    try {
      at = Inputs.at(args.value("--at"), snapshot.timezone(), clock, "--at");
    } catch (InputException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }
    List<String> groups;
    try {
      String text = args.value("--groups");
      groups = text == null ? List.of() : Explainer.directoryGroups(List.of(text.split(";")), "--groups");
      if (!groups.isEmpty() && args.value("--user") == null) {
        throw InputException.missing("--user", "a user name: --groups are that user's directory groups");
      }
    } catch (InputException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }
    Explainer explainer = Explainer.forPerson(snapshot, client, args.value("--user"), groups, at);
    if (explainer.identification() instanceof Identification.Identified id && id.user() != null) {
      err.println(NAME + ": " + id.user() + " is in group " + id.group() + " (by " + id.by().apiName() + ")");
    }
    if (explainer.identification() instanceof Identification.Refused refused) {
      err.println(NAME + ": client " + client.getHostAddress() + " is refused by the policy: "
          + refused.reason());
    }

    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
    boolean anyError = false;
    if (!args.positional().isEmpty()) {
      for (String url : args.positional()) {
        anyError |= !check(explainer, url, w);
      }
    } else {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER);
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String url = line.strip();
        if (!url.isEmpty() && url.charAt(0) != '#') {
          anyError |= !check(explainer, url, w);
        }
      }
    }
    w.flush();
    return anyError ? 2 : 0;
  }

  /** Writes one TSV line for {@code url}; false when the URL is bad. */
  private static boolean check(Explainer explainer, String url, Writer w) throws IOException {
    ParsedUrl parsed;
    try {
      parsed = Explainer.parseUrl(url, "url");
    } catch (InputException e) {
      line(w, url, "error", "-", "-", e.getMessage());
      return false;
    }
    Decision d = explainer.decide(parsed);
    if (d == null) {
      line(w, url, Explanation.REFUSE, "-", "-", Explanation.CLIENT_REFUSED);
    } else {
      String categories = d.categories().isEmpty() ? "-" : d.categories().joined();
      line(w, url, d.action().logName(), d.level().configName(), categories, d.ruleText());
    }
    return true;
  }

  private static void line(Writer w, String url, String action, String level, String categories,
      String rule) throws IOException {
    w.write(url);
    w.write('\t');
    w.write(action);
    w.write('\t');
    w.write(level);
    w.write('\t');
    w.write(categories);
    w.write('\t');
    w.write(rule);
    w.write('\n');
  }
}
