package org.schoolgate.deploy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.testing.Netns;

/**
 * The transparent-mode rule sets in {@code deploy/packaging/transparent}, checked without a
 * network (the proxy-core {@code TransparentNetnsTest} runs them with traffic): each nftables file
 * passes {@code nft -c -f} and each iptables/ip6tables file {@code iptables-restore --test} /
 * {@code ip6tables-restore --test} (inside a namespace of this test's own, so nothing touches the
 * host's firewall); the iptables pair of each variant names the same pupil and intranet networks
 * and the same ports as the nftables file's defines, IPv4 and IPv6 alike, so a school editing one
 * of them is not misled by the other; and {@code schoolgate-tproxy-routes.sh} sets up and removes
 * the policy routing for both families, idempotently.
 */
class TransparentRuleFilesTest {
  private static final Path RULES = Path.of("packaging", "transparent");
  private static final Pattern DEFINE = Pattern.compile("(?m)^define (\\w+) = (.+)$");
  private static String ns;

  @BeforeAll
  static void namespace() throws Exception {
    Netns.requireRootAndIp();
    ns = "n6rf" + Integer.toHexString(new SecureRandom().nextInt(0xfffff) | 0x10000);
    must(Netns.run(List.of("ip", "netns", "add", ns)));
    must(Netns.exec(ns, List.of("ip", "link", "set", "lo", "up")));
  }

  @AfterAll
  static void removeNamespace() throws Exception {
    if (ns != null) {
      must(Netns.run(List.of("ip", "netns", "del", ns)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"schoolgate-tproxy.nft", "schoolgate-redirect.nft"})
  void theNftablesFilesLoad(String name) throws Exception {
    Path file = RULES.resolve(name);

    Netns.Result check = Netns.exec(ns, List.of("nft", "-c", "-f", file.toString()));

    assertThat(check.code()).as(check.out()).isZero();
    String text = Files.readString(file);
    assertThat(text).contains("table inet schoolgate {")
        .contains("ip6 saddr $pupil_nets6 udp dport { 80, 443 } counter drop")
        .contains("ip6 daddr $direct_nets6 return");
  }

  @ParameterizedTest
  @ValueSource(strings = {"schoolgate-tproxy.iptables", "schoolgate-redirect.iptables",
      "schoolgate-tproxy.ip6tables", "schoolgate-redirect.ip6tables"})
  void theIptablesFilesLoad(String name) throws Exception {
    Path file = RULES.resolve(name);
    String restore = name.endsWith(".ip6tables") ? "ip6tables-restore" : "iptables-restore";

    Netns.Result check = Netns.exec(ns, List.of("sh", "-c", restore + " --test --noflush < "
        + file));

    assertThat(check.code()).as(check.out()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"schoolgate-tproxy", "schoolgate-redirect"})
  void theIptablesPairNamesWhatTheNftablesFileDefines(String variant) throws Exception {
    String nft = Files.readString(RULES.resolve(variant + ".nft"));
    String v4 = Files.readString(RULES.resolve(variant + ".iptables"));
    String v6 = Files.readString(RULES.resolve(variant + ".ip6tables"));

    assertThat(networks(v4, "-s", "--dport 80 ")).isEqualTo(define(nft, "pupil_nets"));
    assertThat(networks(v6, "-s", "--dport 80 ")).isEqualTo(define(nft, "pupil_nets6"));
    assertThat(networks(v4, "-s", "--dports 80,443 -j DROP")).isEqualTo(define(nft, "pupil_nets"));
    assertThat(networks(v6, "-s", "--dports 80,443 -j DROP")).isEqualTo(define(nft, "pupil_nets6"));
    assertThat(networks(v4, "-d", "-j RETURN")).isEqualTo(define(nft, "direct_nets"));
    assertThat(networks(v6, "-d", "-j RETURN")).isEqualTo(define(nft, "direct_nets6"));
    String http = define(nft, "proxy_http").iterator().next();
    String https = define(nft, "proxy_https").iterator().next();
    for (String text : List.of(v4, v6)) {
      assertThat(ports(text, "--dport 80 ")).containsExactly(http);
      assertThat(ports(text, "--dport 443 ")).containsExactly(https);
    }
  }

  @Test
  void theRoutesScriptRoutesMarkedPacketsLocallyForBothFamilies() throws Exception {
    String script = RULES.resolve("schoolgate-tproxy-routes.sh").toString();
    must(Netns.exec(ns, List.of("sh", script)));
    must(Netns.exec(ns, List.of("sh", script))); // idempotent

    for (String family : List.of("-4", "-6")) {
      String rules = must(Netns.exec(ns, List.of("ip", family, "rule", "list")));
      assertThat(rules.lines().filter(l -> l.contains("fwmark 0x5347 lookup 100")))
          .as(family + " rules:\n" + rules).hasSize(1);
      assertThat(must(Netns.exec(ns, List.of("ip", family, "route", "show", "table", "100"))))
          .contains("local default dev lo");
    }

    must(Netns.exec(ns, List.of("sh", script, "del")));
    for (String family : List.of("-4", "-6")) {
      assertThat(must(Netns.exec(ns, List.of("ip", family, "rule", "list"))))
          .doesNotContain("fwmark 0x5347");
      assertThat(must(Netns.exec(ns, List.of("ip", family, "route", "show", "table", "100"))))
          .isBlank();
    }
  }

  /** The values of the nftables define {@code name} (a set or one value), in order. */
  private static Set<String> define(String nft, String name) {
    Matcher m = DEFINE.matcher(nft);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : m.group(2).replace("{", "").replace("}", "").split(",")) {
          out.add(v.strip());
        }
        return out;
      }
    }
    throw new AssertionError("no define " + name);
  }

  /** The networks after {@code flag} on the rule lines containing {@code marker}, in order. */
  private static Set<String> networks(String rules, String flag, String marker) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : rules.lines().filter(l -> l.startsWith("-A SCHOOLGATE")
        && l.contains(marker)).toList()) {
      Matcher m = Pattern.compile(" " + flag + " (\\S+)").matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The ports the rule lines containing {@code marker} send to (TPROXY or REDIRECT). */
  private static List<String> ports(String rules, String marker) {
    List<String> out = new ArrayList<>();
    Pattern port = Pattern.compile("--(?:on-port|to-ports) (\\d+)");
    for (String line : rules.lines().filter(l -> l.contains(marker)).toList()) {
      Matcher m = port.matcher(line);
      if (m.find() && !out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static String must(Netns.Result r) {
    if (r.code() != 0) {
      throw new AssertionError("command failed (" + r.code() + "): " + r.out());
    }
    return r.out();
  }
}
