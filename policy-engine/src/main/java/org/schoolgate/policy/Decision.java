package org.schoolgate.policy;

/**
 * The outcome of {@link PolicySnapshot#decide}: a typed value carrying everything the proxy, the
 * block page, the access log and the explain API need. Decisions are built when the policy is
 * compiled and shared, so {@code decide()} allocates nothing; only a request allowed by an
 * unblock or filter bypass may get a freshly built {@link Allow} naming the {@link #unblock()}.
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

  /**
   * The unblock or filter bypass that allowed the request ({@link Rule#UNBLOCK},
   * {@link Rule#FILTER_BYPASS}), or null for every other decision.
   */
  default UnblockId unblock() {
    return null;
  }

  default Action action() {
    return this instanceof Block ? Action.BLOCK : Action.ALLOW;
  }

  default boolean blocked() {
    return this instanceof Block;
  }

  /**
   * Short rule text for logs and the CLI, e.g. {@code matrix:gambling/ks3-4}; just
   * {@code unblock} or {@code filter-bypass} when an unblock allowed the request (its id is
   * {@link #unblock()}).
   */
  default String ruleText() {
    CategoryId c = decidingCategory();
    return c == null || unblock() != null
        ? rule().logName() : rule().logName() + ":" + c.value() + "/" + group().value();
  }

  /**
   * The request may go through.
   *
   * @param level the level that decided; for an unblock, the level it lifted
   * @param decidingCategory for an unblock, the category whose block it lifted (or null)
   * @param unblock the unblock that allowed it: set exactly when {@code rule} is
   *     {@link Rule#UNBLOCK} or {@link Rule#FILTER_BYPASS}
   */
  record Allow(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason, UnblockId unblock)
      implements Decision {
    public Allow {
      boolean byUnblock = rule == Rule.UNBLOCK || rule == Rule.FILTER_BYPASS;
      if (byUnblock && unblock == null) {
        throw new IllegalArgumentException("an allow by rule " + rule.logName()
            + " needs the unblock that allowed it (expected: a non-null unblock id)");
      }
      if (!byUnblock && unblock != null) {
        throw new IllegalArgumentException("an allow by rule " + (rule == null ? "null" : rule.logName())
            + " names unblock " + unblock + " (expected: an unblock id only for rule unblock or filter-bypass)");
      }
    }

    /** An allow by any rule but {@link Rule#UNBLOCK} and {@link Rule#FILTER_BYPASS}. */
    public Allow(Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
        String reason) {
      this(level, rule, group, categories, decidingCategory, reason, null);
    }
  }

  /** The request is refused with a block page. */
  record Block(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason)
      implements Decision {}
}
