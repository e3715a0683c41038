package org.schoolgate.admin.explain;

import java.util.List;

/**
 * One decision explained, as the admin API returns it (JSON) and the CLI prints it (TSV).
 *
 * @param url the URL as asked
 * @param host the normalised host the policy looked up
 * @param client the client address
 * @param user the user name if given, or null
 * @param directoryGroups the user's directory groups as given (empty without a user)
 * @param group the group decided for, or null when the client was refused
 * @param identifiedBy how the group was chosen: {@code user}, {@code directory-group},
 *     {@code unmapped}, {@code subnet}, {@code unknown-client}, or {@code refused}
 * @param action {@code allow}, {@code block}, or {@code refuse} (client outside every served network)
 * @param level the level that decided, or null when refused
 * @param rule the precedence step that decided ({@code matrix}, {@code default}, ...) or {@code client-refused}
 * @param ruleText short rule text, e.g. {@code matrix:gambling/ks3-4}
 * @param categories every category the request matched
 * @param decidingCategory the category whose rule decided, or null
 * @param reason a sentence for people
 * @param at when the decision applies, ISO-8601 with the offset of the policy's time zone
 * @param unblock the id of the unblock (or filter bypass) that allowed the request, or null
 * @param safeSearch the safe variant the proxy connects to instead (e.g. {@code forcesafesearch.google.com}), or null
 */
public record Explanation(
    String url,
    String host,
    String client,
    String user,
    List<String> directoryGroups,
    String group,
    String identifiedBy,
    String action,
    String level,
    String rule,
    String ruleText,
    List<String> categories,
    String decidingCategory,
    String reason,
    String at,
    Long unblock,
    String safeSearch) {

  /** {@link #action()} for a client outside every network the proxy serves. */
  public static final String REFUSE = "refuse";
  /** {@link #rule()} for a client outside every network the proxy serves. */
  public static final String CLIENT_REFUSED = "client-refused";

  public Explanation {
    directoryGroups = List.copyOf(directoryGroups);
    categories = List.copyOf(categories);
  }
}
