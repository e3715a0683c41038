package org.schoolgate.admin.explain;

import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.policy.url.UrlParser;

/**
 * Answers "what would happen to this URL for this client at this time?" against one policy
 * snapshot, exactly as the proxy would decide it. The client is identified once, so asking about
 * many URLs (the CLI reads 100,000 from stdin) costs one URL parse and one {@code decide} each.
 *
 * <pre>{@code
 * Explainer explainer = Explainer.forClient(snapshot, client, null, at);
 * Explanation e = explainer.explain("http://www.bet365.com/");
 * }</pre>
 */
public final class Explainer {
  private final PolicySnapshot snapshot;
  private final InetAddress client;
  private final String user;
  private final Instant at;
  private final Identification identification;
  private final String atText;

  private Explainer(PolicySnapshot snapshot, InetAddress client, String user, Instant at) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.client = Objects.requireNonNull(client, "client");
    this.user = user == null || user.isBlank() ? null : user.trim();
    this.at = Objects.requireNonNull(at, "at");
    this.identification = snapshot.identify(client, this.user);
    this.atText = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(snapshot.timezone()));
  }

  /** Identifies {@code client} (and {@code user}, may be null) once for the questions that follow. */
  public static Explainer forClient(PolicySnapshot snapshot, InetAddress client, String user, Instant at) {
    return new Explainer(snapshot, client, user, at);
  }

  /** Who the client is to the policy: a group, or refused. */
  public Identification identification() {
    return identification;
  }

  /** Parses {@code url} with the proxy's parser; throws {@link InputException} naming {@code field}. */
  public static ParsedUrl parseUrl(String url, String field) {
    if (url == null || url.isBlank()) {
      throw InputException.missing(field, Inputs.URL_EXPECTED);
    }
    try {
      return UrlParser.parse(url.trim());
    } catch (IllegalArgumentException e) {
      throw InputException.invalid(field, url, "is not a URL: " + e.getMessage(), Inputs.URL_EXPECTED);
    }
  }

  /** Decides {@code url} for the identified client; null when the client is refused. */
  public Decision decide(ParsedUrl url) {
    if (!(identification instanceof Identification.Identified id)) {
      return null;
    }
    return snapshot.decide(new RequestFacts(id.group(), user, url.host(), url.pathAndQuery(), at, client));
  }

  /** Parses, decides and explains {@code url}; throws {@link InputException} for a bad URL. */
  public Explanation explain(String url) {
    ParsedUrl parsed = parseUrl(url, "url");
    String clientText = client.getHostAddress();
    if (identification instanceof Identification.Refused refused) {
      return new Explanation(url, parsed.host(), clientText, user, null, "refused",
          Explanation.REFUSE, null, Explanation.CLIENT_REFUSED, Explanation.CLIENT_REFUSED,
          List.of(), null, refused.reason(), atText, null, null);
    }
    Identification.Identified id = (Identification.Identified) identification;
    Decision d = decide(parsed);
    CategoryId deciding = d.decidingCategory();
    return new Explanation(url, parsed.host(), clientText, user, d.group().value(),
        id.by().name().toLowerCase(Locale.ROOT).replace('_', '-'), d.action().logName(),
        d.level().configName(), d.rule().logName(), d.ruleText(),
        d.categories().categories().stream().map(CategoryId::value).toList(),
        deciding == null ? null : deciding.value(), d.reason(), atText,
        d.unblock() == null ? null : d.unblock().value(),
        d.blocked() ? null : snapshot.safeSearchHost(d.group(), parsed.host()));
  }
}
