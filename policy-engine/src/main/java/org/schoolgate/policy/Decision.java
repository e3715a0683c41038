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

  /**
   * Whether the school allow list, an approved unblock of the site or a filter bypass covers the
   * request, so that a content or download block of its response is lifted to an alert. Always
   * {@link Cover#NONE} for a block.
   */
  default Cover cover() {
    return Cover.NONE;
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
   * @param cover what covers the site ({@link Decision#cover()}): the rule's own cover for the
   *     allow list, an unblock or a bypass; for the matrix or the default, {@link Cover#NONE} or
   *     the unblock or bypass in force that the request did not need
   */
  record Allow(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason, UnblockId unblock, Cover cover)
      implements Decision {
    public Allow {
      if (cover == null) {
        throw new IllegalArgumentException("an allow by rule " + (rule == null ? "null" : rule.logName())
            + " has no cover (expected: Cover.NONE when nothing covers it)");
      }
      Cover own = Cover.of(rule);
      boolean coverable = rule == Rule.MATRIX || rule == Rule.DEFAULT;
      if (own != cover && !(coverable && (cover == Cover.UNBLOCK || cover == Cover.FILTER_BYPASS))) {
        throw new IllegalArgumentException("an allow by rule " + (rule == null ? "null" : rule.logName())
            + " has cover " + cover + " (expected: " + own + (coverable ? ", UNBLOCK or FILTER_BYPASS" : "") + ")");
      }
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

    /** An allow with its rule's own cover ({@link Cover#NONE} but for the allow list, unblocks and bypasses). */
    public Allow(Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
        String reason, UnblockId unblock) {
      this(level, rule, group, categories, decidingCategory, reason, unblock, Cover.of(rule));
    }

    /** An allow by any rule but {@link Rule#UNBLOCK} and {@link Rule#FILTER_BYPASS}. */
    public Allow(Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
        String reason) {
      this(level, rule, group, categories, decidingCategory, reason, null);
    }

    /** This allow, covered by an unblock or a bypass in force that it did not need. */
    public Allow coveredBy(Cover by) {
      return new Allow(level, rule, group, categories, decidingCategory, reason, unblock, by);
    }
  }

  /** The request is refused with a block page. */
  record Block(
      Level level, Rule rule, GroupId group, CategorySet categories, CategoryId decidingCategory,
      String reason)
      implements Decision {}
}
