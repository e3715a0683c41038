package org.schoolgate.policy.compile;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Rule;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.Cover;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.UnblockSet;
import org.schoolgate.policy.index.CategorySets;
import org.schoolgate.policy.index.HostIndex;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.CategoryKind;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.GroupMapping;
import org.schoolgate.policy.model.NetworkConfig;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled policy: the {@link PolicySnapshot} that {@link PolicyCompiler} builds. Immutable
 * apart from caches of prebuilt decisions (see {@link SetRules}); safe to share between threads.
 *
 * <p>Besides {@link #decide}, tools (CLI, admin API) can ask what a host is listed in with
 * {@link #categoriesOf}, and how the lists loaded with {@link #loads()}. Approved unblocks are
 * applied by the snapshot {@link #withUnblocks} returns (what {@code PolicyHolder} publishes).
 */
public final class CompiledPolicy implements PolicySnapshot {
  private static final Logger log = LoggerFactory.getLogger(CompiledPolicy.class);
  private static final int LOGGED_FAILURES = 20;
  /** "14:00 23 Nov", in the policy time zone: when an unblock ends, for reasons. */
  private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("HH:mm d MMM", Locale.UK);

  private final PolicyConfig config;
  private final Instant compiledAt;
  private final HostIndex index;
  private final ExpressionMatcher expressions;
  private final CategorySets<SetRules> sets;
  private final GroupId[] groupIds;
  private final GroupId[] groupSlots;
  private final int[] groupSlotIndex;
  private final GroupConfig[] groupConfigs;
  private final CategoryConfig[] categoryConfigs;
  private final CompiledCell[][] cells;
  private final ScheduleTable schedules;
  private final Identifier identifier;
  private final Reasons reasons;
  private final Decision[] defaults;
  private final Decision[] failClosed;
  private final Decision[] unreadableHost;
  private final List<CategoryLoad> loads;
  private final List<PolicyError> warnings;
  private final Set<CategoryId> sensitive = new HashSet<>();
  private final Set<CategoryId> illegal = new HashSet<>();
  private final AtomicLong failures = new AtomicLong();
  private final TunnelDecisions tunnels;
  private final SafeSearchTable safeSearch;
  private final org.schoolgate.policy.search.SearchTerms searchTerms;
  private final org.schoolgate.policy.search.AlertPolicy alertPolicy;
  private final InterceptTable interception;
  private final DirectoryIndex directory;
  private final NetworkTable networks;
  private final GroupMapping[] mappings;
  private final String[] mappingKeys;
  private final DestinationDecisions destinations;
  private final org.schoolgate.policy.content.ContentPolicy content;
  private final org.schoolgate.policy.download.DownloadPolicy downloads;

  CompiledPolicy(PolicyConfig config, Instant compiledAt, HostIndex index, CategorySets<SetRules> sets,
      CompiledCell[][] cells, ScheduleTable schedules, Identifier identifier, List<CategoryLoad> loads,
      List<PolicyError> warnings, ExpressionMatcher expressions, org.schoolgate.policy.search.SearchTerms searchTerms,
      org.schoolgate.policy.search.AlertPolicy alertPolicy, DirectoryIndex directory, NetworkTable networks,
      org.schoolgate.policy.content.ContentPolicy content, org.schoolgate.policy.download.DownloadPolicy downloads) {
    this.config = config;
    this.content = content;
    this.downloads = downloads;
    this.directory = directory;
    this.networks = networks;
    this.mappings = config.identification().directoryGroups().toArray(new GroupMapping[0]);
    this.mappingKeys = new String[mappings.length];
    for (int i = 0; i < mappings.length; i++) {
      mappingKeys[i] = mappings[i].key();
    }
    this.searchTerms = searchTerms;
    this.alertPolicy = alertPolicy;
    this.expressions = expressions;
    this.compiledAt = compiledAt;
    this.index = index;
    this.sets = sets;
    this.cells = cells;
    this.schedules = schedules;
    this.identifier = identifier;
    this.loads = List.copyOf(loads);
    this.warnings = List.copyOf(warnings);
    this.reasons = new Reasons(config);
    int groupCount = config.groups().size();
    this.groupIds = new GroupId[groupCount];
    this.groupConfigs = config.groups().toArray(new GroupConfig[0]);
    this.categoryConfigs = config.categories().toArray(new CategoryConfig[0]);
    this.defaults = new Decision[groupCount];
    this.failClosed = new Decision[groupCount];
    this.unreadableHost = new Decision[groupCount];
    this.groupSlots = new GroupId[Integer.highestOneBit(Math.max(1, groupCount)) * 4];
    this.groupSlotIndex = new int[groupSlots.length];
    this.tunnels = new TunnelDecisions(config.tunnels(), config.groups());
    this.safeSearch = new SafeSearchTable(config.safeSearch(), config.groups());
    this.interception = new InterceptTable(config.interception(), config.groups(), index);
    this.destinations = new DestinationDecisions(config.destinations(), config.groups());
    for (CategoryConfig c : categoryConfigs) {
      if (c.sensitive()) {
        sensitive.add(c.id());
      }
    }
    for (MatrixRow row : config.matrix()) {
      if (row.illegal()) {
        illegal.add(row.category());
      }
    }
    for (int g = 0; g < groupCount; g++) {
      GroupConfig group = groupConfigs[g];
      groupIds[g] = group.id();
      int slot = group.id().value().hashCode() & (groupSlots.length - 1);
      while (groupSlots[slot] != null) {
        slot = (slot + 1) & (groupSlots.length - 1);
      }
      groupSlots[slot] = group.id();
      groupSlotIndex[slot] = g;
      defaults[g] = config.defaultLevel() == Level.ACCEPTABLE
          ? new Decision.Allow(Level.ACCEPTABLE, Rule.DEFAULT, group.id(), CategorySet.EMPTY, null,
              "no category matched; the policy default is acceptable")
          : new Decision.Block(Level.UNACCEPTABLE, Rule.DEFAULT, group.id(), CategorySet.EMPTY, null,
              "no category matched; the policy default for " + group.displayName() + " is unacceptable");
      failClosed[g] = new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED, group.id(), CategorySet.EMPTY,
          null, "the filter could not decide this request, so it is blocked (fail closed)");
      unreadableHost[g] = new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED, group.id(), CategorySet.EMPTY,
          null, "the site's name could not be read, so the request is blocked (fail closed)");
    }
  }

  /**
   * Decides one request without unblocks (see {@link #decide(RequestFacts, UnblockSet,
   * UnblockDecisions)}); {@link #withUnblocks} gives a snapshot that applies them. Allocates
   * nothing once the decisions for a (group, category set) have been built; never throws.
   */
  @Override
  public Decision decide(RequestFacts facts) {
    return decide(facts, UnblockSet.EMPTY, null);
  }

  /**
   * Decides one request by the precedence in {@code docs/policy-reference.md}: illegal → an
   * unblock or filter bypass in force (only for a request that would otherwise be blocked) →
   * school block list → school allow list → most restrictive matrix cell at that time → default.
   * All of precedence lives here. Never throws: an error blocks, rule {@link Rule#FAIL_CLOSED},
   * and no unblock lifts that.
   *
   * <p>The unblock step is taken after working out the block it would lift, so the allow can
   * carry that block's level, categories and deciding category. A domain or URL unblock lifts
   * the school block list, the matrix and the default for its host; category unblocks lift a
   * block only when every category that blocks the request is unblocked for it; a filter bypass
   * lifts anything but illegal. When several could, the most specific kind wins (host, then
   * category, then bypass), and within a kind the one in force longest.
   *
   * <p>Allocates nothing unless an unblock allows the request: then a new {@link Decision.Allow}
   * naming the unblock, kept in {@code cache} (may be null) for the next request.
   */
  Decision decide(RequestFacts facts, UnblockSet unblocks, UnblockDecisions cache) {
    int g = -1;
    try {
      g = groupIndex(facts.group());
      if (g < 0) {
        return new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED, facts.group(), CategorySet.EMPTY, null,
            "group '" + facts.group() + "' is not in the policy, so the request is blocked (fail closed)");
      }
      int id = index.lookup(facts.host(), facts.path());
      if (id < 0) {
        return unreadableHost[g];
      }
      if (id == CategorySets.EMPTY && !expressions.isEmpty()) {
        id = expressions.match(facts.host(), facts.path(), sets); // allocates only when RE2/J must search
      }
      CategorySets.Slot<SetRules> slot = sets.get(id);
      SetRules rules = slot.data();
      // 1. illegal: nothing lifts it
      if (rules.illegal >= 0) {
        return decision(slot, g, rules.illegal, false);
      }
      // 3. school block list, 4. school allow list, 5. the matrix, 6. the default
      Decision d;
      if (rules.block >= 0) {
        d = decision(slot, g, rules.block, false);
      } else if (rules.allow >= 0) {
        d = decision(slot, g, rules.allow, true);
      } else if (slot.members().length == 0) {
        d = defaults[g];
      } else {
        d = strictestCell(slot, g, facts);
      }
      if (unblocks.isEmpty()) {
        return d;
      }
      if (!d.blocked()) {
        // an allow the matrix or default gave still notes a site unblock or bypass in force (its
        // Cover), so that a content or download block of the response is lifted like the allow list's
        return d.cover().lifts() ? d : covered(d, facts, unblocks, cache);
      }
      // 2. an unblock or filter bypass in force lifts what would block (never illegal or fail closed)
      Unblock lift = unblocks.forHost(facts);
      if (lift == null && unblocks.hasCategoryTargets()) {
        lift = everyBlockingCategoryUnblocked(slot, g, facts, d, unblocks);
      }
      if (lift == null) {
        lift = unblocks.bypassFor(facts);
      }
      return lift == null ? d : unblocked(d, lift, cache);
    } catch (RuntimeException e) {
      if (failures.incrementAndGet() <= LOGGED_FAILURES) {
        log.error("deciding {} failed; blocked (fail closed)", facts, e);
      }
      return g >= 0 ? failClosed[g] : new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED, facts.group(),
          CategorySet.EMPTY, null, "the filter could not decide this request, so it is blocked (fail closed)");
    }
  }

  /** The most restrictive cell among the matched (matrix) categories for this group, now. */
  private Decision strictestCell(CategorySets.Slot<SetRules> slot, int g, RequestFacts facts) {
    int[] members = slot.members();
    CompiledCell[] row = cells[g];
    long active = 0;
    boolean activeKnown = false;
    int blockAt = -1;
    int blockRank = -1;
    int allowAt = -1;
    int allowRank = -1;
    for (int i = 0; i < members.length; i++) {
      CompiledCell cell = row[members[i]];
      Level level = cell.level;
      boolean allowed;
      if (level == Level.ACCEPTABLE) {
        allowed = true;
      } else if (level == Level.ACCEPTABLE_AT_CERTAIN_TIMES || level == Level.ACCEPTABLE_FOR_NOMINATED_USERS) {
        allowed = level != Level.ACCEPTABLE_FOR_NOMINATED_USERS || cell.nominates(g, facts);
        if (allowed && cell.scheduleMask != 0) {
          if (!activeKnown) {
            active = schedules.activeAt(facts.at());
            activeKnown = true;
          }
          allowed = (active & cell.scheduleMask) != 0;
        }
      } else {
        allowed = false;
      }
      int rank = level.ordinal();
      if (allowed) {
        if (rank > allowRank) {
          allowRank = rank;
          allowAt = i;
        }
      } else if (rank > blockRank) {
        blockRank = rank;
        blockAt = i;
      }
    }
    return blockAt >= 0 ? decision(slot, g, blockAt, false) : decision(slot, g, allowAt, true);
  }

  /**
   * For a request blocked by the school block list or the matrix: when every category that blocks
   * it (each block-list category; each matrix category not allowed now, unless an allow-list
   * category allows the host) has a category unblock in force, the one lifting the deciding
   * category; otherwise null. Allocates nothing.
   */
  private Unblock everyBlockingCategoryUnblocked(CategorySets.Slot<SetRules> slot, int g, RequestFacts facts,
      Decision blocked, UnblockSet unblocks) {
    int[] members = slot.members();
    boolean allowListed = slot.data().allow >= 0;
    CategoryId deciding = blocked.decidingCategory();
    Unblock lift = null;
    for (int i = 0; i < members.length; i++) {
      int c = members[i];
      CategoryConfig category = categoryConfigs[c];
      boolean blocks;
      if (category.kind() == CategoryKind.BLOCK_LIST) {
        blocks = true;
      } else if (category.kind() == CategoryKind.ALLOW_LIST) {
        blocks = false;
      } else {
        blocks = !allowListed && !allowedNow(cells[g][c], g, facts);
      }
      if (!blocks) {
        continue;
      }
      Unblock u = unblocks.forCategory(category.id(), facts);
      if (u == null) {
        return null;
      }
      if (lift == null || category.id().equals(deciding)) {
        lift = u;
      }
    }
    return lift;
  }

  /** True when a matrix cell lets the request through now (level, nomination, schedule). */
  private boolean allowedNow(CompiledCell cell, int g, RequestFacts facts) {
    Level level = cell.level;
    if (level == Level.ACCEPTABLE) {
      return true;
    }
    if (level != Level.ACCEPTABLE_AT_CERTAIN_TIMES && level != Level.ACCEPTABLE_FOR_NOMINATED_USERS) {
      return false;
    }
    if (level == Level.ACCEPTABLE_FOR_NOMINATED_USERS && !cell.nominates(g, facts)) {
      return false;
    }
    return cell.scheduleMask == 0 || (schedules.activeAt(facts.at()) & cell.scheduleMask) != 0;
  }

  /**
   * {@code allowed} (by the matrix or the default), covered by a site unblock or a filter bypass
   * in force for the request, from the cache when built before; {@code allowed} itself when
   * neither is. Category unblocks do not cover a site. Allocates only the first time.
   */
  private static Decision covered(Decision allowed, RequestFacts facts, UnblockSet unblocks, UnblockDecisions cache) {
    Unblock by = unblocks.forHost(facts);
    if (by == null) {
      by = unblocks.bypassFor(facts);
    }
    if (by == null || !(allowed instanceof Decision.Allow a)) {
      return allowed;
    }
    Decision known = cache == null ? null : cache.get(allowed, by);
    if (known != null) {
      return known;
    }
    Decision c = a.coveredBy(by.bypass() ? Cover.FILTER_BYPASS : Cover.UNBLOCK);
    if (cache != null) {
      cache.put(allowed, by, c);
    }
    return c;
  }

  /** {@code blocked}, lifted by {@code lift}: an allow naming the unblock, from the cache when built before. */
  private Decision unblocked(Decision blocked, Unblock lift, UnblockDecisions cache) {
    Decision known = cache == null ? null : cache.get(blocked, lift);
    if (known != null) {
      return known;
    }
    StringBuilder reason = new StringBuilder(blocked.reason())
        .append(", but ").append(lift.bypass() ? "filter bypass #" : "unblock #").append(lift.id());
    String by = blankToNull(lift.requestedBy());
    String why = blankToNull(lift.reason());
    if (by != null || why != null) {
      reason.append(" (");
      if (by != null) {
        reason.append("requested by ").append(by).append(why != null ? ": " : "");
      }
      if (why != null) {
        reason.append('\'').append(why).append('\'');
      }
      reason.append(')');
    }
    reason.append(" allows it until ").append(UNTIL.format(lift.until().atZone(config.timezone())));
    Decision allow = new Decision.Allow(blocked.level(), lift.bypass() ? Rule.FILTER_BYPASS : Rule.UNBLOCK,
        blocked.group(), blocked.categories(), blocked.decidingCategory(), reason.toString(), lift.id());
    if (cache != null) {
      cache.put(blocked, lift, allow);
    }
    return allow;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * This policy with {@code unblocks} applied: the snapshot {@link org.schoolgate.policy.PolicyHolder}
   * publishes. Cheap (no copying); build it once per change of either, not per request.
   */
  public PolicyWithUnblocks withUnblocks(UnblockSet unblocks) {
    return new PolicyWithUnblocks(this, unblocks);
  }

  /** O(1): the group name's cached hash picks a slot of {@link #groupSlots} (linear probing). */
  private int groupIndex(GroupId group) {
    String name = group.value();
    int mask = groupSlots.length - 1;
    for (int i = name.hashCode() & mask; ; i = (i + 1) & mask) {
      GroupId g = groupSlots[i];
      if (g == null) {
        return -1;
      }
      if (g == group || g.value().equals(name)) {
        return groupSlotIndex[i];
      }
    }
  }

  private Decision decision(CategorySets.Slot<SetRules> slot, int group, int member, boolean allow) {
    Decision[] cache = slot.data().decisions;
    int at = (group * slot.members().length + member) * 2 + (allow ? 1 : 0);
    Decision d = cache[at];
    if (d == null) {
      d = build(slot.set(), group, slot.members()[member], allow);
      cache[at] = d; // benign race: see SetRules
    }
    return d;
  }

  private Decision build(CategorySet set, int g, int category, boolean allow) {
    CategoryConfig c = categoryConfigs[category];
    GroupConfig group = groupConfigs[g];
    String name = c.id().value();
    String who = reasons.group(group);
    Rule rule;
    Level level;
    String reason;
    if (c.kind() == CategoryKind.BLOCK_LIST) {
      rule = Rule.SCHOOL_BLOCK_LIST;
      level = Level.UNACCEPTABLE;
      reason = "the school has blocked this site (" + name + ")";
    } else if (c.kind() == CategoryKind.ALLOW_LIST) {
      rule = Rule.SCHOOL_ALLOW_LIST;
      level = Level.ACCEPTABLE;
      reason = "the school has allowed this site (" + name + ")";
    } else {
      CompiledCell cell = cells[g][category];
      level = cell.level;
      if (level == Level.ILLEGAL) {
        rule = Rule.ILLEGAL_CATEGORY;
        reason = name + " is illegal: blocked for everyone";
      } else {
        rule = Rule.MATRIX;
        String times = reasons.schedules(cell.scheduleMask);
        switch (level) {
          case ACCEPTABLE:
            reason = name + " is acceptable for " + who;
            break;
          case ACCEPTABLE_AT_CERTAIN_TIMES:
            reason = allow
                ? name + " is acceptable for " + who + " at " + times
                : name + " is acceptable for " + who + " only at " + times;
            break;
          case ACCEPTABLE_FOR_NOMINATED_USERS:
            String when = times.isEmpty() ? "" : " at " + times;
            boolean groupNominated = cell.groups[g];
            if (allow) {
              reason = name + " is acceptable for nominated users" + when + "; "
                  + (groupNominated ? who : "this user") + " is nominated";
            } else if (groupNominated) {
              reason = name + " is acceptable for " + who + " only at " + times;
            } else {
              reason = name + " is acceptable only for nominated users" + when + "; " + who + " is not nominated"
                  + (times.isEmpty() ? "" : " (or it is outside those times)");
            }
            break;
          default:
            reason = name + " is unacceptable for " + who;
        }
      }
    }
    return allow
        ? new Decision.Allow(level, rule, group.id(), set, c.id(), reason)
        : new Decision.Block(level, rule, group.id(), set, c.id(), reason);
  }

  @Override
  public boolean tunnelPortAllowed(int port) {
    return tunnels.portAllowed(port);
  }

  @Override
  public boolean tunnelIpAllowed(String host) {
    return tunnels.ipAllowed(host);
  }

  /**
   * The prebuilt decision of {@code check} for {@code group}; an unknown group (or null) gets a
   * fail-closed block. Never throws.
   */
  @Override
  public Decision decideTunnel(GroupId group, TunnelCheck check) {
    Decision d = group == null || check == null ? null : tunnels.decide(groupIndex(group), check);
    return d != null ? d : new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED,
        group == null ? new GroupId("unknown") : group, CategorySet.EMPTY, null,
        "the group is not in the policy, so the tunnel is blocked (fail closed)");
  }

  @Override
  public String safeSearchHost(GroupId group, String host) {
    return group == null ? null : safeSearch.safeHost(groupIndex(group), host);
  }

  @Override
  public Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress) {
    Decision d;
    try {
      d = group == null ? null : destinations.decide(groupIndex(group), host, address, port,
          clientOnProxyHost, proxyAddress);
    } catch (RuntimeException e) {
      log.warn("deciding the destination of {} failed; refused (fail closed)", host, e);
      d = null;
    }
    return d != null ? d : destinationFailClosed(group);
  }

  @Override
  public Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress, boolean personalDevice) {
    Decision d;
    try {
      d = group == null ? null : destinations.decide(groupIndex(group), host, address, port,
          clientOnProxyHost, proxyAddress, personalDevice);
    } catch (RuntimeException e) {
      log.warn("deciding the destination of {} failed; refused (fail closed)", host, e);
      d = null;
    }
    return d != null ? d : destinationFailClosed(group);
  }

  @Override
  public Decision decideDestinationName(GroupId group, String host, boolean clientOnProxyHost) {
    Decision d = group == null ? null
        : destinations.decideName(groupIndex(group), host, clientOnProxyHost);
    return d != null ? d : destinationFailClosed(group);
  }

  private static Decision destinationFailClosed(GroupId group) {
    return new Decision.Block(Level.UNACCEPTABLE, Rule.FAIL_CLOSED,
        group == null ? new GroupId("unknown") : group, CategorySet.EMPTY, null,
        "the group is not in the policy, so the connection is refused (fail closed)");
  }

  @Override
  public String searchTerm(String host, String path, String query) {
    return searchTerms.extract(host, path, query);
  }

  @Override
  public org.schoolgate.policy.search.AlertPolicy alertPolicy() {
    return alertPolicy;
  }

  @Override
  public org.schoolgate.policy.download.DownloadRules downloadRules(GroupId group) {
    return downloads.rules(group);
  }

  @Override
  public org.schoolgate.policy.content.ContentPolicy contentPolicy() {
    return content;
  }

  @Override
  public org.schoolgate.policy.InterceptChoice interception(GroupId group, String host,
      Decision decision) {
    return group == null ? org.schoolgate.policy.InterceptChoice.NONE
        : interception.choose(groupIndex(group), host, decision);
  }

  @Override
  public org.schoolgate.policy.InterceptChoice adminInterception(GroupId group) {
    return group == null ? org.schoolgate.policy.InterceptChoice.NONE
        : interception.admin(groupIndex(group));
  }

  @Override
  public boolean isSensitive(CategoryId category) {
    return sensitive.contains(category);
  }

  @Override
  public boolean isIllegal(CategoryId category) {
    return illegal.contains(category);
  }

  @Override
  public Identification identify(InetAddress client, String user) {
    return identifier.identify(client, user);
  }

  /**
   * Identifies a known person at {@code client}: a client outside every served network is
   * refused; otherwise a user named in a group's {@code users} gets that group, then the first
   * {@code identification.directory-groups} line the person is in, then the network's
   * {@code unmapped-group}, then the group the subnet gives. The person (their directory groups
   * compiled against this policy's nominations) comes with it for {@link RequestFacts#person()}.
   * Call it once per identification, not per request: it allocates.
   */
  @Override
  public Identification identify(InetAddress client, String user, java.util.Collection<String> directoryGroups) {
    Identification bySubnet = identifier.identify(client, null);
    String u = user == null || user.isBlank() ? null : user.strip();
    if (u == null || !(bySubnet instanceof Identification.Identified subnet)) {
      return bySubnet;
    }
    DirectoryIndex.CompiledPerson person = directory.person(u, directoryGroups == null ? List.of() : directoryGroups);
    GroupId named = identifier.userGroup(u);
    if (named != null) {
      return new Identification.Identified(named, u, Identification.By.USER, person);
    }
    for (int i = 0; i < mappings.length; i++) {
      if (person.isIn(mappingKeys[i])) {
        return new Identification.Identified(mappings[i].group(), u, Identification.By.DIRECTORY_GROUP, person);
      }
    }
    GroupId unmapped = networks.find(client).unmappedGroup();
    if (unmapped != null) {
      return new Identification.Identified(unmapped, u, Identification.By.UNMAPPED, person);
    }
    return new Identification.Identified(subnet.group(), u, subnet.by(), person);
  }

  /** The {@code identification} network of {@code client}; the defaults when it is in none. */
  @Override
  public NetworkConfig network(InetAddress client) {
    return networks.find(client);
  }

  @Override
  public boolean isSignInHost(String host) {
    return config.identification().isSignInHost(host);
  }

  /**
   * The categories {@code host} (and, for URL entries, {@code pathAndQuery}) is listed in, in
   * declaration order; empty when none or when the host cannot be read. Accepts un-normalised
   * hosts. Allocates nothing for ASCII hosts.
   */
  @Override
  public CategorySet categoriesOf(String host, String pathAndQuery) {
    String path = pathAndQuery == null ? "" : pathAndQuery;
    int id = index.lookup(host, path);
    if (id == CategorySets.EMPTY && !expressions.isEmpty()) {
      id = expressions.match(host, path, sets);
    }
    return id < 0 ? CategorySet.EMPTY : sets.get(id).set();
  }

  /** The group the proxy uses for allowed clients in no group's subnet. */
  public GroupId unknownClientGroup() {
    return identifier.unknownGroup();
  }

  /** The parsed policy this snapshot was compiled from. */
  public PolicyConfig config() {
    return config;
  }

  /** What each list source contributed, in category order. */
  public List<CategoryLoad> loads() {
    return loads;
  }

  @Override
  public List<PolicyError> warnings() {
    return warnings;
  }

  /** How many distinct squidGuard expressions the policy has (matched when no domain entry matched). */
  public int expressionCount() {
    return expressions.count();
  }

  /** How many distinct category sets the index holds (a measure of decision-cache size). */
  public int categorySetCount() {
    return sets.size();
  }

  /** How many requests were blocked because deciding failed with an exception. */
  public long failureCount() {
    return failures.get();
  }

  @Override
  public ZoneId timezone() {
    return config.timezone();
  }

  @Override
  public List<GroupId> groups() {
    return List.of(groupIds);
  }

  @Override
  public List<CategoryId> categories() {
    return config.categories().stream().map(CategoryConfig::id).toList();
  }

  @Override
  public Path source() {
    return config.file();
  }

  @Override
  public Instant compiledAt() {
    return compiledAt;
  }

  @Override
  public long entryCount() {
    return (long) index.domainCount() + index.urlCount();
  }

  @Override
  public String toString() {
    return "CompiledPolicy[" + config.file() + ", " + entryCount() + " entries, compiled " + compiledAt + "]";
  }
}
