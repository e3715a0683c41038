package org.schoolgate.resolver.judge;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.WhoIsAsking;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.resolver.BlockAnswer;
import org.schoolgate.resolver.upstream.CachedAnswer;
import org.schoolgate.resolver.upstream.Rr;

/**
 * Decides one query with the proxy's policy, in this order:
 * <ol>
 *   <li>no policy → SERVFAIL ({@code fail-closed});
 *   <li>the client: the user bound to its address ({@link AddressBindings}) and the group the
 *       policy gives it; outside {@code clients.allow} → REFUSED ({@code dns-not-client}): no
 *       open resolver;
 *   <li>ANY and zone transfers (AXFR, IXFR) → REFUSED ({@code dns-any}, {@code dns-zone-transfer}):
 *       large answers to small queries feed amplification attacks; a class other than IN →
 *       REFUSED ({@code dns-class});
 *   <li>{@code use-application-dns.net} → NXDOMAIN for everyone ({@code dns-canary}): Firefox
 *       then keeps to the network's resolver instead of turning DNS over HTTPS on by itself;
 *   <li>{@link PolicySnapshot#decide} on the name (host only, path ""), exactly as the proxy
 *       decides a CONNECT: illegal categories always block. Blocked → the configured
 *       {@link BlockAnswer} (NODATA for types without a block address), except iCloud Private
 *       Relay's {@code mask.icloud.com} and {@code mask-h2.icloud.com}, which always get
 *       NXDOMAIN: that is how Apple devices learn the network does not allow the relay;
 *   <li>allowed, and the group's {@code tunnels.ech} is {@code block}: HTTPS (65) and SVCB (64)
 *       queries get NODATA ({@code dns-https-record}) and such records are removed from other
 *       answers, so browsers learn no ECH keys (and fall back to plain SNI the proxy can check);
 *   <li>otherwise forward; when the answer is there, {@link #judgeAnswer} decides the names its
 *       CNAME chain leads to and refuses addresses inside the school behind public names
 *       ({@link AnswerCheck}: DNS rebinding).
 * </ol>
 * Reads only memory (the snapshot, the binding table): safe on an event loop.
 */
public final class QueryJudge {
  /** Firefox's canary domain for DNS over HTTPS. */
  public static final String DOH_CANARY = "use-application-dns.net";
  /** iCloud Private Relay's names: blocked ones get NXDOMAIN whatever the block answer. */
  public static final Set<String> PRIVATE_RELAY = Set.of("mask.icloud.com", "mask-h2.icloud.com");
  /** The rule of answers refused because they put internal addresses behind public names. */
  public static final String REBINDING = "dns-rebinding";
  static final int TYPE_A = 1;
  static final int TYPE_AAAA = 28;
  static final int TYPE_SVCB = 64;
  static final int TYPE_HTTPS = 65;
  static final int TYPE_IXFR = 251;
  static final int TYPE_AXFR = 252;
  static final int TYPE_ANY = 255;
  static final int CLASS_IN = 1;

  private final AddressBindings bindings;
  private final BlockAnswer blockAnswer;

  public QueryJudge(AddressBindings bindings, BlockAnswer blockAnswer) {
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.blockAnswer = Objects.requireNonNull(blockAnswer, "blockAnswer");
  }

  /**
   * Decides a query for {@code name} (lower case, no trailing dot) of type {@code qtype} and class
   * {@code qclass} from {@code client} at {@code now}, under {@code policy} (null: none loaded).
   */
  public Verdict judge(PolicySnapshot policy, InetAddress client, String name, int qtype, int qclass,
      Instant now) {
    if (policy == null) {
      return new Verdict.Reply(Answer.SERVFAIL, "reject", null, null, null, "fail-closed",
          "no policy is loaded, so nothing is resolved (fail closed)");
    }
    AddressBinding binding = bindings.find(client, now);
    if (binding != null && !WhoIsAsking.trusted(policy.network(client), binding.method())) {
      binding = null; // the network ignores this source (identification.networks): the subnet decides
    }
    String user = binding == null ? null : binding.user();
    Identification id = policy.identify(client, user);
    if (id instanceof Identification.Refused refused) {
      return new Verdict.Reply(Answer.REFUSED, "reject", user, null, null, "dns-not-client",
          refused.reason());
    }
    Identification.Identified who = (Identification.Identified) id;
    GroupId group = who.group();
    user = who.user() != null ? who.user() : user;
    if (qtype == TYPE_ANY) {
      return refuse(user, group, "dns-any", "ANY queries are refused: their large answers feed amplification attacks");
    }
    if (qtype == TYPE_AXFR || qtype == TYPE_IXFR) {
      return refuse(user, group, "dns-zone-transfer", "zone transfers are refused: this resolver holds no zones");
    }
    if (qclass != CLASS_IN) {
      return refuse(user, group, "dns-class", "only class IN (the internet) is answered");
    }
    if (name.equals(DOH_CANARY)) {
      return new Verdict.Reply(Answer.NXDOMAIN, "block", user, group, null, "dns-canary",
          "Firefox's DNS-over-HTTPS canary: NXDOMAIN keeps Firefox on the school's resolver");
    }
    Decision decision = policy.decide(new RequestFacts(group, user, name, "", now, client));
    if (decision.blocked()) {
      return new Verdict.Reply(blockedAnswer(name, qtype), "block", user, group, decision, decision.ruleText(),
          decision.reason());
    }
    boolean withholdEch = policy.decideTunnel(group, TunnelCheck.ECH).blocked();
    if (withholdEch && (qtype == TYPE_HTTPS || qtype == TYPE_SVCB)) {
      return new Verdict.Reply(Answer.NODATA, "block", user, group, null, "dns-https-record",
          "HTTPS/SVCB records are withheld from " + group.value()
              + ": its tunnels policy blocks Encrypted ClientHello, whose keys they carry");
    }
    return new Verdict.Forward(user, group, decision, withholdEch);
  }

  /**
   * The second look at a query {@link #judge} forwarded, with the {@code answer} now in hand (from
   * the cache or the upstream), for the client that asked ({@link AnswerCheck}): {@code forward}
   * itself when the answer may be served; a block when a name in its CNAME chain is blocked for
   * the client's group (the configured block answer, the alias's decision); NODATA ({@code
   * dns-rebinding}) when it puts an address inside the school, the proxy host or link-local
   * behind a public name the group may not reach there.
   */
  public Verdict judgeAnswer(PolicySnapshot policy, InetAddress client, Verdict.Forward forward, String name,
      int qtype, CachedAnswer answer, Instant now) {
    if (policy == null) {
      return forward;
    }
    Decision alias = AnswerCheck.blockedAlias(policy, client, forward, answer, now);
    if (alias != null) {
      return new Verdict.Reply(blockedAnswer(name, qtype), "block", forward.user(), forward.group(), alias,
          alias.ruleText(), "the name is an alias (CNAME) of a blocked name: " + alias.reason());
    }
    Rr refused = AnswerCheck.refusedAddress(policy, forward, name, answer);
    if (refused != null) {
      String address;
      try {
        address = InetAddress.getByAddress(refused.rdata()).getHostAddress(); // bytes only, no look-up
      } catch (java.net.UnknownHostException e) {
        address = "an address of " + refused.rdata().length + " bytes";
      }
      return new Verdict.Reply(Answer.NODATA, "block", forward.user(), forward.group(), null, REBINDING,
          "the answer puts " + address + ", inside the school's network or on this machine, behind the public"
              + " name " + name + " (DNS rebinding); list the host or network in destinations.intranet if the"
              + " school's own DNS publishes it");
    }
    return forward;
  }

  private Answer blockedAnswer(String name, int qtype) {
    if (PRIVATE_RELAY.contains(name) || blockAnswer instanceof BlockAnswer.NxDomain) {
      return Answer.NXDOMAIN;
    }
    BlockAnswer.Address a = (BlockAnswer.Address) blockAnswer;
    boolean has = qtype == TYPE_A && a.ipv4() != null || qtype == TYPE_AAAA && a.ipv6() != null;
    return has ? Answer.BLOCK_ADDRESS : Answer.NODATA;
  }

  private static Verdict refuse(String user, GroupId group, String rule, String reason) {
    return new Verdict.Reply(Answer.REFUSED, "reject", user, group, null, rule, reason);
  }
}
