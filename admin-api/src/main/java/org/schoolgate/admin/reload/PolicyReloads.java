package org.schoolgate.admin.reload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.PolicyWithUnblocks;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the policy and audits what changed. {@code policy.reloaded} says, in its reason, how
 * many lines of the policy file were added and removed and how the list entries moved ({@code +2
 * -1 lines in policy.yaml; list entries 1200 → 1250}), and holds in its after-state a JSON object:
 * {@code source}, {@code entries} before/after, {@code lists} (each category whose entry count
 * changed, before/after), {@code diff} (at most 40 lines such as {@code +12: - games}, each at
 * most 160 characters) and {@code moreLines} (changed lines left out). The file text compared is
 * the one read just before each reload; the first is read when this object is made, alongside
 * the policy in force then.
 *
 * <pre>{@code
 * PolicyReloads reloads = new PolicyReloads(holder, store.audit());
 * ReloadResult r = reloads.reload(caller.actor());
 * }</pre>
 */
public final class PolicyReloads {
  private static final Logger log = LoggerFactory.getLogger(PolicyReloads.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PolicyHolder holder;
  private final AuditTrail audit;
  private final Object lock = new Object();
  /** The policy file's text behind the policy in force; null when it could not be read. */
  private String textInForce;

  public PolicyReloads(PolicyHolder holder, AuditTrail audit) {
    this.holder = Objects.requireNonNull(holder, "holder");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.textInForce = read();
  }

  /** Reloads the policy file and appends {@code policy.reloaded} or {@code policy.reload_rejected} by {@code actor}. */
  public ReloadResult reload(Actor actor) {
    synchronized (lock) {
      Map<String, Long> listsBefore = lists(holder.current());
      long entriesBefore = holder.current().entryCount();
      String text = read();
      ReloadResult result = holder.reload();
      if (result instanceof ReloadResult.Rejected rejected) {
        int n = rejected.errors().size();
        String errors = rejected.errors().stream().limit(PolicyDiff.MAX_LINES).map(Object::toString)
            .collect(java.util.stream.Collectors.joining("\n")) + (n > PolicyDiff.MAX_LINES
            ? "\n(" + (n - PolicyDiff.MAX_LINES) + " more)" : "");
        audit.append(new AuditEntry("policy.reload_rejected", actor, "policy",
            n + (n == 1 ? " error" : " errors") + "; the previous policy stays in force", null, errors));
        return result;
      }
      PolicyWithUnblocks now = holder.current();
      PolicyDiff diff = textInForce == null || text == null ? null : PolicyDiff.of(textInForce, text);
      ObjectNode after = JSON.createObjectNode();
      after.put("source", now.source().toString());
      ObjectNode entries = after.putObject("entries");
      entries.put("before", entriesBefore);
      entries.put("after", now.entryCount());
      ObjectNode lists = after.putObject("lists");
      Map<String, Long> listsAfter = lists(now);
      for (String category : new TreeSet<>(union(listsBefore, listsAfter))) {
        long b = listsBefore.getOrDefault(category, 0L);
        long a = listsAfter.getOrDefault(category, 0L);
        if (a != b) {
          lists.putObject(category).put("before", b).put("after", a);
        }
      }
      if (diff != null) {
        ArrayNode lines = after.putArray("diff");
        diff.shown().forEach(lines::add);
        after.put("moreLines", diff.more());
      } else {
        after.put("diff", "the policy file could not be read to compare");
      }
      String file = now.source().getFileName() == null ? now.source().toString() : now.source().getFileName().toString();
      String reason = (diff == null ? "policy file not compared" : diff.empty() ? "no line of " + file + " changed"
          : "+" + diff.added() + " -" + diff.removed() + " lines in " + file)
          + "; list entries " + entriesBefore + " → " + now.entryCount();
      audit.append(new AuditEntry("policy.reloaded", actor, "policy", reason, null, after.toString()));
      if (text != null) {
        textInForce = text;
      }
      return result;
    }
  }

  private String read() {
    try {
      return Files.readString(holder.policyFile(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read {} to record what a reload changes: {}", holder.policyFile(), e.toString());
      return null;
    }
  }

  private static Map<String, Long> lists(PolicyWithUnblocks policy) {
    Map<String, Long> counts = new TreeMap<>();
    for (CategoryLoad load : policy.compiled().loads()) {
      counts.merge(load.category().value(), (long) load.stats().entries(), Long::sum);
    }
    return counts;
  }

  private static java.util.Set<String> union(Map<String, Long> a, Map<String, Long> b) {
    java.util.Set<String> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    return all;
  }
}
