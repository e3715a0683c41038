package org.schoolgate.proxy.site;

import java.util.List;

/**
 * Writes the PAC file (a JavaScript {@code FindProxyForURL}) from {@link PacSettings}: host names
 * without a dot, the intranet domains and the intranet networks' address literals go
 * {@code DIRECT}; everything else goes to the proxy nodes in order. Addresses are compared as
 * literals only ({@code isInNet} on a name would make the browser look it up for every URL).
 */
final class PacFile {
  /** The PAC file's media type (browsers also accept it for {@code wpad.dat}). */
  static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  private PacFile() {}

  /**
   * The PAC file for {@code settings}; {@code thisProxy} ({@code host:port}, checked by the
   * caller) stands in when the settings name no proxy.
   */
  static String render(PacSettings settings, String thisProxy) {
    List<String> proxies = settings.proxies().isEmpty() ? List.of(thisProxy) : settings.proxies();
    StringBuilder js = new StringBuilder(512);
    js.append("// Proxy auto-configuration for the school's web filter (Schoolgate), made from\n")
        .append("// its runtime configuration. Served as /proxy.pac and /wpad.dat.\n")
        .append("function FindProxyForURL(url, host) {\n")
        .append("  host = host.toLowerCase();\n")
        .append("  if (isPlainHostName(host)) {\n")
        .append("    return \"DIRECT\";\n")
        .append("  }\n");
    List<String> domains = settings.domains();
    if (!domains.isEmpty()) {
      js.append("  var direct = [");
      list(js, domains);
      js.append("];\n")
          .append("  for (var i = 0; i < direct.length; i++) {\n")
          .append("    if (host == direct[i] || dnsDomainIs(host, \".\" + direct[i])) {\n")
          .append("      return \"DIRECT\";\n")
          .append("    }\n")
          .append("  }\n");
    }
    if (!settings.directNetworks().isEmpty()) {
      js.append("  if (/^\\d{1,3}(\\.\\d{1,3}){3}$/.test(host)) {\n")
          .append("    var nets = [");
      for (int i = 0; i < settings.directNetworks().size(); i++) {
        String net = settings.directNetworks().get(i);
        int slash = net.indexOf('/');
        js.append(i == 0 ? "" : ", ").append("[\"").append(net, 0, slash).append("\", \"")
            .append(mask(Integer.parseInt(net.substring(slash + 1)))).append("\"]");
      }
      js.append("];\n")
          .append("    for (var j = 0; j < nets.length; j++) {\n")
          .append("      if (isInNet(host, nets[j][0], nets[j][1])) {\n")
          .append("        return \"DIRECT\";\n")
          .append("      }\n")
          .append("    }\n")
          .append("  }\n");
    }
    js.append("  return \"");
    for (int i = 0; i < proxies.size(); i++) {
      js.append(i == 0 ? "" : "; ").append("PROXY ").append(proxies.get(i));
    }
    return js.append("\";\n}\n").toString();
  }

  private static void list(StringBuilder js, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      js.append(i == 0 ? "\"" : ", \"").append(values.get(i)).append('"');
    }
  }

  /** The dotted mask of a prefix length: 8 → 255.0.0.0. */
  static String mask(int bits) {
    long m = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (m >>> 24) + "." + ((m >>> 16) & 0xff) + "." + ((m >>> 8) & 0xff) + "." + (m & 0xff);
  }
}
