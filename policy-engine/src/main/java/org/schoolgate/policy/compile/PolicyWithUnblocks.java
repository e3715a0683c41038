package org.schoolgate.policy.compile;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.UnblockSet;

/**
 * The policy in force: a {@link CompiledPolicy} with the approved unblocks applied by
 * {@link #decide}. {@link PolicyHolder#current()} returns one, built once per policy reload or
 * unblock change, never per request. Tools that need the compiled policy's extras (its config,
 * list loads) use {@link #compiled()}.
 *
 * <pre>{@code
 * PolicyWithUnblocks inForce = compiled.withUnblocks(UnblockSet.compile(approved));
 * Decision d = inForce.decide(facts); // rule UNBLOCK when an unblock lifted a block
 * }</pre>
 */
public final class PolicyWithUnblocks implements PolicySnapshot {
  private final CompiledPolicy compiled;
  private final UnblockSet unblocks;
  private final List<GroupId> groups;
  private final UnblockDecisions decisions = new UnblockDecisions();

  PolicyWithUnblocks(CompiledPolicy compiled, UnblockSet unblocks) {
    this.compiled = Objects.requireNonNull(compiled, "compiled");
    this.unblocks = Objects.requireNonNull(unblocks, "unblocks");
    this.groups = compiled.groups();
  }

  /** The compiled policy, without unblocks. */
  public CompiledPolicy compiled() {
    return compiled;
  }

  /** The unblocks applied. */
  public UnblockSet unblocks() {
    return unblocks;
  }

  /**
   * Decides with the unblocks applied (see {@link CompiledPolicy#decide}). Allocates nothing
   * unless an unblock allows the request; then at most a new {@link Decision.Allow} the first
   * time a given block is lifted by a given unblock.
   */
  @Override
  public Decision decide(RequestFacts facts) {
    return compiled.decide(facts, unblocks, decisions);
  }

  @Override
  public Identification identify(InetAddress client, String user) {
    return compiled.identify(client, user);
  }

  @Override
  public Identification identify(InetAddress client, String user, java.util.Collection<String> directoryGroups) {
    return compiled.identify(client, user, directoryGroups);
  }

  @Override
  public org.schoolgate.policy.model.NetworkConfig network(InetAddress client) {
    return compiled.network(client);
  }

  @Override
  public boolean isSignInHost(String host) {
    return compiled.isSignInHost(host);
  }

  @Override
  public ZoneId timezone() {
    return compiled.timezone();
  }

  @Override
  public List<GroupId> groups() {
    return groups;
  }

  @Override
  public List<CategoryId> categories() {
    return compiled.categories();
  }

  @Override
  public Path source() {
    return compiled.source();
  }

  @Override
  public Instant compiledAt() {
    return compiled.compiledAt();
  }

  @Override
  public long entryCount() {
    return compiled.entryCount();
  }

  @Override
  public CategorySet categoriesOf(String host, String pathAndQuery) {
    return compiled.categoriesOf(host, pathAndQuery);
  }

  @Override
  public boolean tunnelPortAllowed(int port) {
    return compiled.tunnelPortAllowed(port);
  }

  @Override
  public boolean tunnelIpAllowed(String host) {
    return compiled.tunnelIpAllowed(host);
  }

  @Override
  public Decision decideTunnel(GroupId group, TunnelCheck check) {
    return compiled.decideTunnel(group, check);
  }

  @Override
  public String safeSearchHost(GroupId group, String host) {
    return compiled.safeSearchHost(group, host);
  }

  @Override
  public Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress) {
    return compiled.decideDestination(group, host, address, port, clientOnProxyHost, proxyAddress);
  }

  @Override
  public Decision decideDestination(GroupId group, String host, byte[] address, int port,
      boolean clientOnProxyHost, boolean proxyAddress, boolean personalDevice) {
    return compiled.decideDestination(group, host, address, port, clientOnProxyHost, proxyAddress, personalDevice);
  }

  @Override
  public Decision decideDestinationName(GroupId group, String host, boolean clientOnProxyHost) {
    return compiled.decideDestinationName(group, host, clientOnProxyHost);
  }

  @Override
  public String searchTerm(String host, String path, String query) {
    return compiled.searchTerm(host, path, query);
  }

  @Override
  public org.schoolgate.policy.search.AlertPolicy alertPolicy() {
    return compiled.alertPolicy();
  }

  @Override
  public org.schoolgate.policy.InterceptChoice interception(GroupId group, String host,
      Decision decision) {
    return compiled.interception(group, host, decision);
  }

  @Override
  public org.schoolgate.policy.InterceptChoice adminInterception(GroupId group) {
    return compiled.adminInterception(group);
  }

  @Override
  public org.schoolgate.policy.content.ContentPolicy contentPolicy() {
    return compiled.contentPolicy();
  }

  @Override
  public org.schoolgate.policy.download.DownloadRules downloadRules(GroupId group) {
    return compiled.downloadRules(group);
  }

  @Override
  public boolean isSensitive(CategoryId category) {
    return compiled.isSensitive(category);
  }

  @Override
  public boolean isIllegal(CategoryId category) {
    return compiled.isIllegal(category);
  }

  @Override
  public List<PolicyError> warnings() {
    return compiled.warnings();
  }

  @Override
  public String toString() {
    return "PolicyWithUnblocks[" + compiled + ", " + unblocks + "]";
  }
}
