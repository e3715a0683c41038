package org.schoolgate.policy;

/**
 * The outcome of {@link PolicySnapshot#decide}: a typed value carrying everything the proxy, the
 * block page, the access log and the explain API need. Decisions are built when the policy is
 * compiled and shared, so {@code decide()} allocates nothing.
 *
 * <pre>{@code
 * Decision d = snapshot.decide(facts);
 * switch (d) { case Decision.Allow a -> forward(); case Decision.Block b -> serveBlockPage(b); }
 * }</pre>
 */
public sealed interface Decision permits Decision.Allow, Decision.Block {

  /** The level that decided (for {@link Rule#DEFAULT} the policy default). */
  Level level();

  /** Which precedence step decided. */
  Rule rule();

  /** The group the request was decided for. */
  GroupId group();

  /** Every category the request matched (possibly empty). */
  CategorySet categories();

  /** The category whose rule decided, or null when no category decided (default, fail closed). */
  CategoryId decidingCategory();

  /** A sentence for people, e.g. "gambling is unacceptable for ks3-4". */
  String reason();

  default Action action() {
    return this instanceof Block ? Action.BLOCK : Action.ALLOW;
  }

  default boolean blocked() {
    return this instanceof Block;
  }

  /** Short rule text for logs and the CLI, e.g. {@code matrix:gambling/ks3-4}. */
  default String ruleText() {
    CategoryId c = decidingCategory();
    return c == null ? rule().logName() : rule().logName() + ":" + c.value() + "/" + group().value();
  }

  /** The request may go through. */
  record Allow(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason)
      implements Decision {}

  /** The request is refused with a block page. */
  record Block(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason)
      implements Decision {}
}
