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
    String admin = "http://" + hostPort(s.admin().address());
    String version = Banner.class.getPackage().getImplementationVersion();
    out.println();
    out.println(READY + (version == null ? "" : " (version " + version + ")"));
    out.println("  policy      " + policy.source() + "  (" + policy.entryCount()
        + " list entries, time zone " + policy.timezone() + ")");
    out.println("  proxy       " + proxy + ", HTTP and HTTPS (CONNECT)");
    out.println("  admin API   " + admin + "  (/healthz /metrics /api/v1/decide; bound to "
        + (s.admin().address().getAddress().isLoopbackAddress() ? "loopback" : "a network address")
        + ", no authentication yet)");
    out.println("  access log  " + s.config().accessLogDir());
    if (sampleConfig != null) {
      out.println("  settings    the embedded default; to change them, copy " + sampleConfig
          + ", edit it and run with --config");
    }
    out.println();
    out.println("Try it:");
    out.println("  curl -x http://" + proxyLocal + " http://example.com/");
    out.println("  curl -x http://" + proxyLocal + " http://www.bet365.com/     # blocked: gambling");
    out.println("  curl '" + admin + "/api/v1/decide?client=127.0.0.1&url=http://www.bet365.com/'");
    out.println("Reload the policy after editing it: kill -HUP " + ProcessHandle.current().pid()
        + "   or   curl -X POST " + admin + "/api/v1/policy/reload");
    out.println("Stop: Ctrl-C");
    out.println();
    out.flush();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
