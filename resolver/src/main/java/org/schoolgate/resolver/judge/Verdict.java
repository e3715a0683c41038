package org.schoolgate.resolver.judge;

import java.util.List;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;

/**
 * What {@link QueryJudge} decided for one query: forward it upstream, or answer it at once. Each
 * carries who asked, the rule and the reason, for the access log.
 */
public sealed interface Verdict permits Verdict.Forward, Verdict.Reply {

  /** The user bound to the client's address, or null. */
  String user();

  /** The client's group, or null when it was refused or there is no policy. */
  GroupId group();

  /** The deciding rule, e.g. {@code matrix:gambling/ks3-4} or {@code dns-canary}. */
  String rule();

  /** A sentence for people. */
  String reason();

  /** {@code allow}, {@code block} or {@code reject}: the access log's action. */
  String action();

  /** The policy's decision, or null when the resolver's own rule decided. */
  Decision decision();

  /** The categories the name matched, as the access log lists them. */
  default List<String> categories() {
    Decision d = decision();
    return d == null || d.categories().isEmpty() ? List.of()
        : d.categories().categories().stream().map(c -> c.value()).toList();
  }

  /** The deciding level's name, or null. */
  default String level() {
    Decision d = decision();
    return d == null ? null : d.level().configName();
  }

  /**
   * The name may be resolved: ask upstream (or the cache).
   *
   * @param withholdServiceBindings remove HTTPS/SVCB records from the answer: the group's
   *     tunnels policy blocks Encrypted ClientHello, whose keys those records carry
   */
  record Forward(String user, GroupId group, Decision decision, boolean withholdServiceBindings)
      implements Verdict {
    @Override
    public String rule() {
      return decision.ruleText();
    }

    @Override
    public String reason() {
      return decision.reason();
    }

    @Override
    public String action() {
      return "allow";
    }
  }

  /** Answer at once with {@code answer}. */
  record Reply(Answer answer, String action, String user, GroupId group, Decision decision, String rule,
      String reason) implements Verdict {}
}
