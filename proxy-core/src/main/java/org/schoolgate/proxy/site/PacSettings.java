package org.schoolgate.proxy.site;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the generated PAC file ({@code /proxy.pac}, {@code /wpad.dat}) says. Validated when
 * built: every value ends up inside JavaScript, so only host names, IPv4 networks and ports of
 * plain characters are accepted.
 *
 * @param proxies the proxy nodes in order, {@code host:port} (the browser fails over to the next
 *     when one does not answer); empty: the host the PAC file was fetched from, on the proxy
 *     port. There is no {@code DIRECT} after the last: when no node answers, the browser shows an
 *     error rather than going round the filter
 * @param directDomains names reached without the proxy, each with its sub-domains (the school's
 *     intranet: {@code vle.school.example}, {@code school.internal}); host names without a dot
 *     always go direct
 * @param directNetworks IPv4 networks ({@code 10.0.0.0/8}) whose address literals go direct
 */
public record PacSettings(List<String> proxies, List<String> directDomains,
    List<String> directNetworks) {
  /** The proxy the PAC was fetched from, nothing direct but plain host names. */
  public static final PacSettings DEFAULTS = new PacSettings(List.of(), List.of(), List.of());

  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public PacSettings {
    proxies = checked(proxies, "proxies", PacSettings::checkProxy);
    directDomains = checked(directDomains, "direct", PacSettings::checkDomain);
    directNetworks = checked(directNetworks, "direct-networks", PacSettings::checkNetwork);
  }

  private interface Check {
    String apply(String value);
  }

  private static List<String> checked(List<String> values, String field, Check check) {
    Objects.requireNonNull(values, "proxy.pac." + field + " is null (expected: a list)");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v == null) {
        throw new IllegalArgumentException("proxy.pac." + field + "[" + i + "] is empty");
      }
      String problem = check.apply(v.trim().toLowerCase(Locale.ROOT));
      if (problem != null) {
        throw new IllegalArgumentException("proxy.pac." + field + "[" + i + "]: '" + v + "' "
            + problem);
      }
      out.add(v.trim().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static String checkProxy(String v) {
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || !NAME.matcher(v.substring(0, colon)).matches()) {
      return "(expected: host:port such as filter1.school.example:3128 or 10.0.0.5:3128)";
    }
    try {
      int port = Integer.parseInt(v.substring(colon + 1));
      return port >= 1 && port <= 65_535 ? null : "has port " + port + " (expected: 1..65535)";
    } catch (NumberFormatException e) {
      return "has no port number (expected: host:port such as filter1.school.example:3128)";
    }
  }

  private static String checkDomain(String v) {
    String d = v.startsWith("*.") ? v.substring(2) : v.startsWith(".") ? v.substring(1) : v;
    return NAME.matcher(d).matches() ? null
        : "is not a host name (expected: such as vle.school.example or school.internal)";
  }

  private static String checkNetwork(String v) {
    int slash = v.indexOf('/');
    String hint = "(expected: an IPv4 network such as 10.0.0.0/8)";
    if (slash < 0 || !IPV4.matcher(v.substring(0, slash)).matches()) {
      return hint;
    }
    for (String part : v.substring(0, slash).split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return hint;
      }
    }
    try {
      int bits = Integer.parseInt(v.substring(slash + 1));
      return bits >= 0 && bits <= 32 ? null : hint;
    } catch (NumberFormatException e) {
      return hint;
    }
  }

  /** {@code directDomains} without a leading {@code *.} or {@code .}. */
  List<String> domains() {
    List<String> out = new ArrayList<>();
    for (String d : directDomains) {
      out.add(d.startsWith("*.") ? d.substring(2) : d.startsWith(".") ? d.substring(1) : d);
    }
    return out;
  }
}
