package org.schoolgate.resolver.judge;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.destination.MetadataNames;
import org.schoolgate.resolver.upstream.CachedAnswer;
import org.schoolgate.resolver.upstream.Rr;

/**
 * The second look at a forwarded query, once the upstream's answer is there (from the cache or
 * just now), for the client that asked:
 * <ol>
 *   <li><b>CNAME chain</b>: every name the answer's CNAME/DNAME records lead to is decided like
 *       the name asked for ({@link PolicySnapshot#decide}, host only). A blocked one blocks the
 *       answer (the configured block answer, the alias's rule, categories and reason), so
 *       {@code innocent.example CNAME www.bet.example} resolves no better than the casino itself;
 *   <li><b>DNS rebinding</b>: every A/AAAA address in the answer is decided with {@link
 *       PolicySnapshot#decideDestination} for the client's group and the name asked for (also
 *       the record's own name), as the proxy decides the address it connects to, ports aside: the
 *       proxy host (loopback), link-local, reserved and — for groups not in {@code
 *       destinations.allow-internal} — internal addresses behind a public name are refused unless
 *       a {@code destinations.intranet} entry names the host or the network. The answer is then
 *       NODATA ({@code dns-rebinding}): a web page cannot turn its own name into an address inside
 *       the school. Names that cannot be public (one label, {@code localhost}, {@code .local},
 *       {@code .internal}, {@code .home.arpa}, {@code .lan}, {@code .arpa}, ...) are not checked:
 *       nobody outside can register them, and the school's own DNS answers them — except cloud
 *       metadata names, always refused.
 * </ol>
 * Reads memory only; allocates only when something is refused, plus one {@link RequestFacts} per
 * alias.
 */
final class AnswerCheck {
  /** Ports play no part in an answer: an intranet entry for any of its ports lets the name resolve. */
  static final int ANY_PORT = -1;
  private static final List<String> PRIVATE_SUFFIXES = List.of(".localhost", ".local", ".internal",
      ".home.arpa", ".arpa", ".lan", ".localdomain", ".home", ".corp");

  private AnswerCheck() {}

  /** The blocking decision of the first alias the policy blocks for {@code forward}'s group, or null. */
  static Decision blockedAlias(PolicySnapshot policy, InetAddress client, Verdict.Forward forward,
      CachedAnswer answer, Instant now) {
    List<String> aliases = answer.aliases();
    for (int i = 0; i < aliases.size(); i++) {
      Decision d = policy.decide(new RequestFacts(forward.group(), forward.user(), aliases.get(i), "", now, client));
      if (d.blocked()) {
        return d;
      }
    }
    return null;
  }

  /** The first address of the answer refused for {@code forward}'s group behind {@code name}, or null. */
  static Rr refusedAddress(PolicySnapshot policy, Verdict.Forward forward, String name, CachedAnswer answer) {
    if (MetadataNames.is(name)) {
      return answer.addressRecords().isEmpty() ? null : answer.addressRecords().get(0);
    }
    if (privateName(name)) {
      return null;
    }
    List<Rr> records = answer.addressRecords();
    for (int i = 0; i < records.size(); i++) {
      Rr rr = records.get(i);
      if (!policy.decideDestination(forward.group(), name, rr.rdata(), ANY_PORT, false, false).blocked()) {
        continue;
      }
      String owner = normalise(rr.name());
      if (!owner.equals(name) && !privateName(owner)
          && !policy.decideDestination(forward.group(), owner, rr.rdata(), ANY_PORT, false, false).blocked()) {
        continue;
      }
      return rr;
    }
    return null;
  }

  /** True for a name nobody can register on the internet (RFC 6761, RFC 8375, ICANN's reserved words). */
  static boolean privateName(String name) {
    if (name.indexOf('.') < 0) {
      return true; // one label: a host on the school's own network (or localhost)
    }
    for (int i = 0; i < PRIVATE_SUFFIXES.size(); i++) {
      if (name.endsWith(PRIVATE_SUFFIXES.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
