package org.schoolgate.deploy;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.schoolgate.policy.PolicySnapshot;

/** The start-up banner: where the policy is, where to point browsers, how to try it. */
final class Banner {
  /** The first line; tests and scripts wait for it. */
  static final String READY = "Schoolgate is running";

  private Banner() {}

  /** Prints the banner; {@code sampleConfig} is the settings template on the embedded default, else null. */
  static void print(PrintStream out, Schoolgate s, Path sampleConfig) {
    PolicySnapshot policy = s.policy().current();
    InetSocketAddress configured = s.config().proxy().listen();
    String proxy = configured.getAddress().isAnyLocalAddress()
        ? configured.getAddress().getHostAddress() + ":" + s.proxy().address().getPort() + " (all interfaces)"
        : hostPort(s.proxy().address());
    String proxyLocal = "127.0.0.1:" + s.proxy().address().getPort();
    String admin = (s.admin().secure() ? "https://" : "http://") + hostPort(s.admin().address());
    String version = Banner.class.getPackage().getImplementationVersion();
    out.println();
    out.println(READY + (version == null ? "" : " (version " + version + ")"));
    out.println("  policy      " + policy.source() + "  (" + policy.entryCount()
        + " list entries, time zone " + policy.timezone() + ")");
    out.println("  proxy       " + proxy + ", HTTP and HTTPS (CONNECT)");
    out.println("  admin API   " + admin + "  (sign in at " + admin + "/request-access; API: "
        + admin + "/api/v1/openapi.json; bound to "
        + (s.admin().address().getAddress().isLoopbackAddress() ? "loopback" : "a network address") + ")");
    out.println("  database    " + redact(s.config().database().jdbcUrl()));
    out.println("  access log  " + s.config().accessLogDir());
    if (sampleConfig != null) {
      out.println("  settings    the embedded default; to change them, copy " + sampleConfig
          + ", edit it and run with --config");
    }
    out.println();
    out.println("Try it:");
    out.println("  curl -x http://" + proxyLocal + " http://example.com/");
    out.println("  curl -x http://" + proxyLocal + " http://www.bet365.com/     # blocked: gambling");
    out.println("  curl -H \"Authorization: Bearer $TOKEN\" '" + admin
        + "/api/v1/decide?client=127.0.0.1&url=http://www.bet365.com/'");
    out.println("Reload the policy after editing it: kill -HUP " + ProcessHandle.current().pid()
        + "   or   curl -X POST -H \"Authorization: Bearer $TOKEN\" " + admin + "/api/v1/policy/reload");
    out.println("  ($TOKEN: the \"token\" from POST " + admin + "/api/v1/login, or an API token from /api/v1/tokens)");
    out.println("Stop: Ctrl-C");
    if (s.setupToken() != null) {
      out.println();
      out.println("First run: there is no account yet. Create the first admin (this token works once, in this run):");
      out.println("  curl -X POST " + admin + "/api/v1/setup -H 'Content-Type: application/json' \\");
      out.println("    -d '{\"token\":\"" + s.setupToken()
          + "\",\"username\":\"admin\",\"displayName\":\"IT admin\",\"password\":\"<at least 12 characters>\"}'");
      out.println("  or from the shell: schoolgate accounts add admin --roles admin"
          + (s.config().database().isPostgres() ? " --config FILE" : ""));
    }
    out.println();
    out.flush();
  }

  /** A JDBC URL without credentials that some drivers accept in it. */
  static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
