package org.schoolgate.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.schoolgate.policy.content.ContentDecision;
import org.schoolgate.policy.content.ContentPolicy;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentVerdict;
import org.schoolgate.policy.download.Detected;
import org.schoolgate.policy.download.DownloadDecision;
import org.schoolgate.policy.download.DownloadRules;
import org.schoolgate.policy.search.AlertPolicy;
import org.schoolgate.policy.search.SearchTerms;

/**
 * A compiled, immutable policy. Built once per (re)load off the request path and published
 * atomically by {@link PolicyHolder}; each request reads the current snapshot once.
 *
 * <p>{@link #decide} is the hot path: no allocation, no locks, no I/O. Precedence: an illegal
 * category always blocks → an approved unblock or filter bypass in force for the request (only
 * when it would otherwise be blocked) → school block list → school allow list → the most
 * restrictive matrix level among all matched categories for the group at that time → the policy
 * default. An unknown group or an exception while deciding blocks (fail closed), and no unblock
 * lifts that. The snapshot {@link PolicyHolder#current()} returns applies the holder's
 * {@link UnblockSet}. Content verdicts of allowed responses come after the request's decision
 * ({@link #decideContent}): a content block stands unless the school allow list, an unblock or
 * a filter bypass allowed the request, which turns it into an alert for the DSL.
 */
public interface PolicySnapshot {

  /** Decides one request. Never returns null and never throws: failures block. */
  Decision decide(RequestFacts facts);

  /** Maps a client address (and user, if known) to a group, or refuses the client. */
  Identification identify(InetAddress client, String user);

  /**
   * Identifies a known person — user name and directory groups, from proxy credentials or an
   * address binding — at {@code client}: a client outside every served network is refused; then
   * a user named in a group's {@code users} gets that group, then the first
   * {@code identification.directory-groups} line the person is in, then the network's
   * {@code unmapped-group}, then the group the client's subnet gives (never more permissive than
   * that). With no user it is {@code identify(client, null)}. The result carries the
   * {@link Person}, compiled for this snapshot; pass it in {@link RequestFacts#person()}. Call it
   * once per identification: it allocates.
   */
  default Identification identify(InetAddress client, String user, java.util.Collection<String> directoryGroups) {
    Identification bySubnet = identify(client, null);
    if (user == null || user.isBlank() || !(bySubnet instanceof Identification.Identified subnet)) {
      return bySubnet;
    }
    Person person = Person.of(user, directoryGroups == null ? java.util.List.of() : directoryGroups);
    return new Identification.Identified(subnet.group(), person.user(), subnet.by(), person);
  }

  /**
   * The {@code identification:} settings of {@code client}'s network (the most specific subnet
   * wins): whether proxy credentials are asked for, which address bindings are trusted, the
   * device class. {@link org.schoolgate.policy.model.NetworkConfig#DEFAULTS} when the client is in
   * no listed network and the policy gives no {@code default}.
   */
  default org.schoolgate.policy.model.NetworkConfig network(InetAddress client) {
    return org.schoolgate.policy.model.NetworkConfig.DEFAULTS;
  }

  /**
   * True when {@code host} (normalised) is an identity provider's sign-in host
   * ({@code identification.sign-in-hosts}, subdomains included), which a client that must use
   * the sign-in page reaches before it has signed in. Allocates nothing.
   */
  default boolean isSignInHost(String host) {
    return false;
  }

  /** The time zone schedules are evaluated in. */
  ZoneId timezone();

  /** The groups, in declaration order. */
  List<GroupId> groups();

  /** The categories, in declaration order. */
  List<CategoryId> categories();

  /** The policy file this snapshot was compiled from. */
  Path source();

  /** When this snapshot was compiled. */
  Instant compiledAt();

  /** How many domain and URL entries the compiled lists hold. */
  long entryCount();

  /**
   * The categories {@code host} (and, for URL entries, {@code pathAndQuery}) is listed in, in
   * declaration order; empty when none. For tools: the CLI, the admin API's explain, tests.
   *
   * @throws UnsupportedOperationException when the snapshot cannot look hosts up (test doubles)
   */
  default CategorySet categoriesOf(String host, String pathAndQuery) {
    throw new UnsupportedOperationException("this snapshot cannot look up categories");
  }

  /**
   * True when the policy marks {@code category} {@code sensitive: true} (safeguarding topics such
   * as extremism or violence: unblocking them needs more care). False for unknown categories.
   */
  default boolean isSensitive(CategoryId category) {
    return false;
  }

  /**
   * True when {@code category}'s matrix cell is {@code illegal} (for some group, and so for every
   * group): nothing, no unblock or bypass, lifts it. False for unknown categories.
   */
  default boolean isIllegal(CategoryId category) {
    return false;
  }

  /**
   * True when CONNECT may reach {@code port} ({@code tunnels.allowed-ports}, default [443]).
   * Allocates nothing.
   */
  default boolean tunnelPortAllowed(int port) {
    return port == 443;
  }

  /**
   * True when {@code host} (normalised by {@code UrlParser}) is an IPv4 or IPv6 address inside
   * {@code tunnels.ip-allow}; false for names and for addresses outside it.
   */
  default boolean tunnelIpAllowed(String host) {
    return false;
  }

  /**
   * The decision of tunnel check {@code check} for {@code group}: a prebuilt {@link Decision}
   * with the check's rule ({@link TunnelCheck#rule()}), level acceptable when the group is allowed
   * and unacceptable when blocked. The proxy asks only when the check fires (a closed port, an
   * IP literal outside the allow list, a ClientHello that fails the check). An unknown group is
   * blocked. Allocates nothing for known groups; never throws.
   */
  default Decision decideTunnel(GroupId group, TunnelCheck check) {
    return new Decision.Block(Level.UNACCEPTABLE, check.rule(), group, CategorySet.EMPTY, null,
        "this policy cannot decide tunnel checks, so the tunnel is blocked");
  }

  /**
   * Whether a connection of {@code group} may go to {@code address}:{@code port}, the address the
   * proxy is about to connect to (after DNS, static names and the hosts file), for a request that
   * named {@code host} (normalised by {@code UrlParser}). A prebuilt {@link Decision} with rule
   * {@link Rule#INTERNAL_DESTINATION}: allowed for public addresses and for clients on the proxy
   * host ({@code clientOnProxyHost}); refused for the proxy host itself (loopback, {@code
   * 0.0.0.0}/{@code ::}, and {@code proxyAddress}: an address of the proxy's interfaces),
   * link-local addresses and cloud metadata names, multicast and reserved addresses; for internal
   * addresses (RFC 1918, CGNAT, ULA, their IPv4-mapped, compatible, NAT64, 6to4 and Teredo
   * forms, and {@code destinations.internal-ranges}) allowed only for groups in {@code
   * destinations.allow-internal} and what a {@code destinations.intranet} entry of the group
   * names. An unknown group is refused. Allocates nothing; never throws.
   *
   * <pre>{@code
   * Decision d = snapshot.decideDestination(group, "vle.school.example", address.getAddress(),
   *     443, false, ownAddresses.contains(address));
   * if (d.blocked()) { refuse(d); }
   * }</pre>
   *
   * @param address 4 (IPv4) or 16 (IPv6) bytes; anything else is refused
   * @param port the port, or a negative number when there is none (the DNS resolver deciding an
   *     answer's address): an intranet entry then matches whatever ports it lists
   */
  default Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress) {
    boolean open = clientOnProxyHost || !proxyAddress
        && !org.schoolgate.policy.destination.MetadataNames.is(host)
        && org.schoolgate.policy.destination.AddressTable.BUILT_IN.kind(address)
            == org.schoolgate.policy.destination.AddressKind.PUBLIC;
    GroupId g = group == null ? new GroupId("unknown") : group;
    return open
        ? new Decision.Allow(Level.ACCEPTABLE, Rule.INTERNAL_DESTINATION, g, CategorySet.EMPTY,
            null, "the site's address is on the internet")
        : new Decision.Block(Level.UNACCEPTABLE, Rule.INTERNAL_DESTINATION, g, CategorySet.EMPTY,
            null, "this policy refuses every address that is not on the internet");
  }

  /**
   * {@link #decideDestination(GroupId, String, byte[], int, boolean, boolean)} for a client on a
   * network of personally owned devices ({@code personalDevice}: {@code identification ...
   * device: personal}): such a device reaches the internet only, never the school's network
   * (internal addresses are refused whatever the group's {@code destinations.allow-internal} and
   * intranet entries say). Allocates nothing; never throws.
   */
  default Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress, boolean personalDevice) {
    return decideDestination(group, host, address, port, clientOnProxyHost && !personalDevice, proxyAddress);
  }

  /**
   * The part of {@link #decideDestination} that needs no address, asked before the name is
   * resolved: a cloud metadata name ({@code metadata.google.internal}, {@code instance-data},
   * ...) is refused for clients not on the proxy host, whatever it would resolve to. Otherwise
   * allowed (the address is decided later). Allocates nothing; never throws.
   */
  default Decision decideDestinationName(GroupId group, String host, boolean clientOnProxyHost) {
    return decideDestination(group, host, new byte[] {8, 8, 8, 8}, 80, clientOnProxyHost, false);
  }

  /**
   * The safe variant the proxy connects to instead of {@code host} (normalised by
   * {@code UrlParser}) for {@code group} ({@code safesearch:}): {@code forcesafesearch.google.com}
   * for Google search hosts, {@code restrict.youtube.com} or {@code restrictmoderate.youtube.com}
   * for YouTube, {@code strict.bing.com} for Bing, {@code safe.duckduckgo.com} for DuckDuckGo;
   * null when the host has no safe variant or the group is not enforced. Allocates nothing.
   */
  default String safeSearchHost(GroupId group, String host) {
    return null;
  }

  /**
   * The search term in a request to a search engine or video site (built-in engines plus
   * {@code alerts.search-engines}), decoded and cleaned, or null when the request is no search.
   * Allocates nothing for hosts that are no search site. See {@link SearchTerms}.
   *
   * @param host the normalised host
   * @param path the path (starting with '/')
   * @param query the raw query without '?', or null/""
   */
  default String searchTerm(String host, String path, String query) {
    return SearchTerms.BUILT_IN.extract(host, path, query);
  }

  /**
   * The {@code alerts:} section compiled: thresholds, windows, theme severities and the theme
   * matcher (starter lists plus the school's). The built-in defaults when the policy has none.
   */
  default AlertPolicy alertPolicy() {
    return AlertPolicy.defaults();
  }

  /**
   * Whether the proxy decrypts a CONNECT tunnel of {@code group} to {@code host} (normalised by
   * {@code UrlParser}; the ClientHello's server name when known) whose CONNECT was decided
   * {@code decision} ({@code interception:}): never for a host in a never-intercept category, nor
   * for a tunnel-check decision; otherwise by the group's mode (search engines and video sites,
   * blocked sites, extra categories, or all). {@link InterceptChoice#NONE} without the section.
   * Decided once per tunnel; allocates nothing.
   */
  default InterceptChoice interception(GroupId group, String host, Decision decision) {
    return InterceptChoice.NONE;
  }

  /**
   * Whether the proxy decrypts an allowed CONNECT of {@code group} to the school's own admin
   * origin ({@code admin.public-url}): {@link InterceptChoice#ADMIN} when the group's interception
   * mode is not {@code off} (its devices trust the school CA, so nothing breaks), else
   * {@link InterceptChoice#NONE}. Allocates nothing.
   */
  default InterceptChoice adminInterception(GroupId group) {
    return InterceptChoice.NONE;
  }

  /**
   * The {@code content:} section compiled: the phrase automaton, every group's rules and the
   * knobs the proxy reads (look-ahead, scan limit, AI chat). {@link ContentPolicy#OFF} without it.
   */
  default ContentPolicy contentPolicy() {
    return ContentPolicy.OFF;
  }

  /**
   * {@code group}'s content-analysis rules: what to do per theme when a page's score passes its
   * threshold, and {@link ContentRules#newScan} for one body. {@link ContentRules#OFF} for a group
   * without rules (and for an unknown group, whose requests {@link #decide} blocks). Allocates nothing.
   */
  default ContentRules contentRules(GroupId group) {
    return contentPolicy().rules(group);
  }

  /**
   * What the proxy does with the content {@code verdict} of the response to a request decided
   * {@code request} (see {@link ContentDecision#decide}): a school allow-list entry, an approved
   * unblock or a filter bypass lifts a content block to an alert (the DSL still hears); an
   * illegal category never reaches analysis (the request is blocked first).
   */
  default ContentDecision decideContent(Decision request, ContentVerdict verdict) {
    return ContentDecision.decide(request, verdict);
  }

  /**
   * The file kinds {@code group} may not download (the {@code downloads:} section);
   * {@link DownloadRules#OFF} without one. Allocates nothing.
   */
  default DownloadRules downloadRules(GroupId group) {
    return DownloadRules.OFF;
  }

  /**
   * What the proxy does with a response {@link org.schoolgate.policy.download.FileTypes} found to
   * be {@code file}, for a request decided {@code request} (see {@link DownloadDecision#decide}):
   * a kind blocked for the group is blocked unless the school allow list, an approved unblock of
   * the site or a filter bypass covers it (then it is let through and logged).
   */
  default DownloadDecision decideDownload(Decision request, Detected file) {
    return DownloadDecision.decide(request, downloadRules(request.group()), file);
  }

  /** Non-fatal problems found when the policy was compiled (e.g. an optional list is missing). */
  default List<PolicyError> warnings() {
    return List.of();
  }
}
