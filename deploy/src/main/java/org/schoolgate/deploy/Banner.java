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

  /**
   * Prints the banner; {@code sampleConfig} is the settings template on the embedded default, else
   * null; {@code configFile} the {@code --config} file, else null.
   */
  static void print(PrintStream out, Schoolgate s, Path sampleConfig, Path configFile) {
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
    out.println("  DNS filter  " + dnsFilter(s));
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
    if (s.dnsFilter() != null) {
      InetSocketAddress dns = s.dnsFilter().udpAddresses().get(0);
      String host = dns.getAddress().isAnyLocalAddress() ? "127.0.0.1" : dns.getAddress().getHostAddress();
      out.println("  dig @" + host + " -p " + dns.getPort() + " www.bet365.com      # blocked: "
          + s.config().dns().filter().config().blockAnswer().text());
    }
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
      out.println("  or from the shell: " + Launcher.command() + " accounts add admin --roles admin "
          + installed(sampleConfig, configFile));
    }
    out.println();
    out.flush();
  }

  /** Where the filtering DNS resolver answers and where it forwards, or why it is off. */
  static String dnsFilter(Schoolgate s) {
    org.schoolgate.resolver.DnsFilter dns = s.dnsFilter();
    if (dns == null) {
      return s.dnsFilterOff();
    }
    StringBuilder b = new StringBuilder();
    for (InetSocketAddress a : dns.udpAddresses()) {
      b.append(b.length() == 0 ? "" : ", ").append(hostPort(a));
    }
    boolean loopback = dns.udpAddresses().stream().allMatch(a -> a.getAddress().isLoopbackAddress());
    return b + " UDP and TCP" + (loopback ? " (this machine only)" : "") + ", forwarding to "
        + String.join(", ", dns.upstreams().stream().map(Banner::hostPort).toList()) + "; blocked names get "
        + s.config().dns().filter().config().blockAnswer().text();
  }

  /** The option that points a maintenance command at this installation. */
  static String installed(Path sampleConfig, Path configFile) {
    if (configFile != null) {
      return "--config " + Launcher.quoted(configFile.toAbsolutePath().normalize().toString());
    }
    Path dataDir = sampleConfig == null ? RunCommand.DEFAULT_DATA_DIR : sampleConfig.getParent();
    return "--data-dir " + Launcher.quoted(dataDir.toAbsolutePath().normalize().toString());
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
