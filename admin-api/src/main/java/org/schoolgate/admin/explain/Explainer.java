package org.schoolgate.admin.explain;

import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
  private final List<String> directoryGroups;
  private final Identification identification;
  private final org.schoolgate.policy.Person person;
  private final String atText;

  private Explainer(PolicySnapshot snapshot, InetAddress client, String user, List<String> directoryGroups,
      Instant at) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.client = Objects.requireNonNull(client, "client");
    this.user = user == null || user.isBlank() ? null : user.trim();
    this.directoryGroups = List.copyOf(directoryGroups);
    this.at = Objects.requireNonNull(at, "at");
    this.identification = this.user == null
        ? snapshot.identify(client, null) : snapshot.identify(client, this.user, this.directoryGroups);
    this.person = identification instanceof Identification.Identified id ? id.person() : null;
    this.atText = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(snapshot.timezone()));
  }

  /** Identifies {@code client} (and {@code user}, may be null) once for the questions that follow. */
  public static Explainer forClient(PolicySnapshot snapshot, InetAddress client, String user, Instant at) {
    return new Explainer(snapshot, client, user, List.of(), at);
  }

  /**
   * Identifies {@code user} with {@code directoryGroups} (as the directory would name them, e.g.
   * {@code CN=Year9,OU=Pupils,DC=school,DC=example}) at {@code client}, as the proxy does after a
   * sign-in: named users, then the policy's directory-group mapping, then the network's
   * unmapped-group or the subnet's group. Without a user the groups are ignored.
   */
  public static Explainer forPerson(PolicySnapshot snapshot, InetAddress client, String user,
      List<String> directoryGroups, Instant at) {
    return new Explainer(snapshot, client, user, directoryGroups, at);
  }

  /**
   * Reads directory groups given as text (the API's repeated {@code group} parameters, the CLI's
   * {@code --groups} split on ';'); throws {@link InputException} naming {@code field} for a bad one.
   */
  public static List<String> directoryGroups(List<String> given, String field) {
    List<String> out = new java.util.ArrayList<>();
    for (String g : given) {
      if (g == null || g.isBlank()) {
        continue;
      }
      String problem = org.schoolgate.policy.DirectoryGroupName.problem(g);
      if (problem != null) {
        throw InputException.invalid(field, g, "is not a directory group: " + problem,
            "a DN such as CN=Year9,OU=Pupils,DC=school,DC=example or a group name such as Year9");
      }
      out.add(g.strip());
    }
    return out;
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
    return snapshot.decide(new RequestFacts(id.group(), user, url.host(), url.pathAndQuery(), at, client, person));
  }

  /** Parses, decides and explains {@code url}; throws {@link InputException} for a bad URL. */
  public Explanation explain(String url) {
    ParsedUrl parsed = parseUrl(url, "url");
    String clientText = client.getHostAddress();
    if (identification instanceof Identification.Refused refused) {
      return new Explanation(url, parsed.host(), clientText, user, directoryGroups, null, "refused",
          Explanation.REFUSE, null, Explanation.CLIENT_REFUSED, Explanation.CLIENT_REFUSED,
          List.of(), null, refused.reason(), atText, null, null);
    }
    Identification.Identified id = (Identification.Identified) identification;
    Decision d = decide(parsed);
    CategoryId deciding = d.decidingCategory();
    return new Explanation(url, parsed.host(), clientText, user, user == null ? List.of() : directoryGroups,
        d.group().value(), id.by().apiName(), d.action().logName(),
        d.level().configName(), d.rule().logName(), d.ruleText(),
        d.categories().categories().stream().map(CategoryId::value).toList(),
        deciding == null ? null : deciding.value(), d.reason(), atText,
        d.unblock() == null ? null : d.unblock().value(),
        d.blocked() ? null : snapshot.safeSearchHost(d.group(), parsed.host()));
  }
}
