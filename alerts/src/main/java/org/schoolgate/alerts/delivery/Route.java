package org.schoolgate.alerts.delivery;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.schoolgate.store.Alert;

/**
 * Who gets the alerts that {@link Match} selects. An alert goes to every recipient of every
 * route it matches (once each).
 */
public record Route(Match match, List<Recipient> to) {
  public Route {
    Objects.requireNonNull(match, "match");
    if (to == null || to.isEmpty()) {
      throw new IllegalArgumentException("route " + match + " has no recipients (expected to: [email:ADDRESS,"
          + " webhook:NAME, ...])");
    }
    to = List.copyOf(to);
  }

  /**
   * Which alerts a route takes: every field given must match; a match with no fields takes every
   * alert.
   *
   * @param audience the alert's audience, or null for any
   * @param minSeverity the least severity, or null for any
   * @param kind a glob over the alert's kind ({@code *} any characters), e.g. {@code search-*}, or null
   */
  public record Match(Alert.Audience audience, Alert.Severity minSeverity, String kind) {
    private static final Pattern GLOB = Pattern.compile("[a-z0-9*][a-z0-9*-]{0,63}");

    public Match {
      if (kind != null && !GLOB.matcher(kind).matches()) {
        throw new IllegalArgumentException("route kind '" + kind + "' is not valid (expected an alert kind or a"
            + " glob of one: lower-case letters, digits, dashes and *, e.g. search-*)");
      }
    }

    public static Match any() {
      return new Match(null, null, null);
    }

    public static Match audience(Alert.Audience audience) {
      return new Match(audience, null, null);
    }

    public static Match kind(String kind) {
      return new Match(null, null, kind);
    }

    /** True when {@code alert} has this audience, at least this severity, and a kind the glob matches. */
    public boolean matches(Alert alert) {
      return (audience == null || audience == alert.content().audience())
          && (minSeverity == null || alert.content().severity().compareTo(minSeverity) >= 0)
          && (kind == null || glob(kind).matcher(alert.content().kind()).matches());
    }

    private static Pattern glob(String glob) {
      String[] parts = glob.split("\\*", -1);
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < parts.length; i++) {
        regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
      }
      return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
      return "{" + (audience == null ? "" : " audience: " + audience.apiName())
          + (minSeverity == null ? "" : " min-severity: " + minSeverity.name().toLowerCase(Locale.ROOT))
          + (kind == null ? "" : " kind: " + kind) + " }";
    }
  }
}
