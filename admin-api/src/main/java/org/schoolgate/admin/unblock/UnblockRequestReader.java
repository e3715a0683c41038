package org.schoolgate.admin.unblock;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.http.JsonBody;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.policy.url.UrlParser;

/**
 * Reads and checks the body of {@code POST /api/v1/unblocks} against the policy in force. Each
 * error names the field and says what to send instead. Hosts and paths go through the proxy's own
 * {@link UrlParser}, so the unblock matches exactly what the proxy will look up.
 */
final class UnblockRequestReader {
  static final int MIN_REASON = 15;
  private static final String TARGET_TYPES = "domain, url, category or everything";
  private static final String INSTANT = "an ISO-8601 instant such as 2026-11-23T09:00:00Z";
  private static final String REASON_EXPECTED = "a sentence saying why the class needs it, at least "
      + MIN_REASON + " characters, e.g. 'Year 9 history: WW1 propaganda posters for coursework'";

  private final Duration maxUnblock;

  UnblockRequestReader(Duration maxUnblock) {
    this.maxUnblock = maxUnblock;
  }

  /**
   * What was asked, checked; the workflow adds sensitivity and refuses illegal targets.
   * {@code fromApproval}: asked "for N minutes" without a start, so the N minutes run from approval.
   */
  record Request(UnblockTarget target, UnblockScope scope, Instant from, Instant until, String reason,
      boolean fromApproval) {}

  Request read(JsonBody body, PolicySnapshot snapshot, Instant now) {
    UnblockTarget target = target(body.object("target",
        "{\"type\": \"" + TARGET_TYPES.replace(", ", "|").replace(" or ", "|") + "\", \"value\": ...}"), snapshot);
    UnblockScope scope = scope(body, snapshot);
    Instant from = now;
    String fromText = body.optionalText("from", INSTANT);
    if (fromText != null) {
      from = instant(fromText, "from");
    }
    Instant until = until(body, from);
    if (!until.isAfter(from)) {
      throw ApiException.invalid("until", "until " + until + " is not after from " + from
          + " (expected: the end of the period, after its start)");
    }
    if (!until.isAfter(now)) {
      throw ApiException.invalid("until", "until " + until + " is already in the past (expected: a time after " + now + ")");
    }
    Duration length = Duration.between(from, until);
    if (length.compareTo(maxUnblock) > 0) {
      throw ApiException.invalid(body.has("until") ? "until" : "durationMinutes",
          "the unblock would last " + describe(length) + ", but the period of study is capped at "
              + describe(maxUnblock) + " (maxUnblock); ask for a shorter period");
    }
    String reason = reason(body);
    boolean fromApproval = fromText == null && body.has("durationMinutes");
    return new Request(target, scope, from, until, reason, fromApproval);
  }

  private static UnblockTarget target(JsonBody t, PolicySnapshot snapshot) {
    String type = t.text("type", TARGET_TYPES).toLowerCase(Locale.ROOT);
    switch (type) {
      case "domain": {
        String value = t.text("value", "a host name such as www.bbc.co.uk");
        return new UnblockTarget.Domain(parse(value, t.name("value")).host());
      }
      case "url": {
        String value = t.text("value", "a URL such as https://www.bbc.co.uk/bitesize/");
        ParsedUrl url = parse(value, t.name("value"));
        String path = url.path().isEmpty() ? "/" : url.path();
        return new UnblockTarget.UrlPrefix(url.host(), path);
      }
      case "category": {
        String value = t.text("value", "a category of the policy, e.g. video-broadcasting");
        CategoryId id = new CategoryId(value);
        if (!snapshot.categories().contains(id)) {
          throw ApiException.invalid(t.name("value"), "category '" + value
              + "' is not in the policy (expected: one of " + names(snapshot.categories()) + ")");
        }
        return new UnblockTarget.Category(id);
      }
      case "everything":
        return new UnblockTarget.Everything();
      default:
        throw ApiException.invalid(t.name("type"), "target type '" + type + "' is not known (expected: "
            + TARGET_TYPES + ")");
    }
  }

  private static ParsedUrl parse(String value, String field) {
    try {
      return UrlParser.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, field + " '" + value + "' is not a usable site: " + e.getMessage());
    }
  }

  private static UnblockScope scope(JsonBody body, PolicySnapshot snapshot) {
    Set<GroupId> groups = new LinkedHashSet<>();
    for (String g : body.texts("groups", "group names from the policy, e.g. [\"ks3-4\"]")) {
      GroupId id = new GroupId(g);
      if (!snapshot.groups().contains(id)) {
        throw ApiException.invalid("groups", "group '" + g + "' is not in the policy (expected: some of "
            + names(snapshot.groups()) + ")");
      }
      groups.add(id);
    }
    Set<String> users = new LinkedHashSet<>();
    for (String u : body.texts("users", "user names as the proxy knows them, e.g. [\"j.smith\"]")) {
      if (u.length() > 128 || u.chars().anyMatch(Character::isWhitespace)) {
        throw ApiException.invalid("users", "user '" + u
            + "' is not a user name (expected: no spaces, at most 128 characters, e.g. j.smith)");
      }
      users.add(u);
    }
    List<String> subnets = new ArrayList<>();
    for (String s : body.texts("subnets", "CIDR ranges, e.g. [\"10.20.4.0/24\"]")) {
      subnets.add(cidr(s));
    }
    if (groups.isEmpty() && users.isEmpty() && subnets.isEmpty()) {
      throw ApiException.invalid("groups", "say who the unblock is for: give at least one of groups, "
          + "users or subnets (e.g. \"groups\": [\"ks3-4\"])");
    }
    return new UnblockScope(groups, users, subnets);
  }

  /** A CIDR range in canonical form (host bits cleared); an IP literal, never a DNS name. */
  static String cidr(String text) {
    String expected = "a CIDR range such as 10.20.4.0/24 or fd00:1::/64";
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw ApiException.invalid("subnets", "subnet '" + text + "' has no prefix length (expected: " + expected + ")");
    }
    InetAddress address;
    try {
      address = Inputs.client(text.substring(0, slash), "subnets");
    } catch (InputException e) {
      throw ApiException.invalid("subnets", "subnet '" + text + "' does not start with an IP address (expected: "
          + expected + ")");
    }
    byte[] bytes = address.getAddress();
    int max = bytes.length * 8;
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > max) {
      throw ApiException.invalid("subnets", "subnet '" + text + "' has prefix length '" + text.substring(slash + 1)
          + "' (expected: a number from 0 to " + max + ")");
    }
    for (int bit = prefix; bit < max; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private Instant until(JsonBody body, Instant from) {
    String untilText = body.optionalText("until", INSTANT);
    Long minutes = body.optionalLong("durationMinutes", "minutes, e.g. 60");
    if (untilText != null && minutes != null) {
      throw ApiException.invalid("durationMinutes", "give until or durationMinutes, not both");
    }
    if (untilText != null) {
      return instant(untilText, "until");
    }
    if (minutes == null) {
      throw ApiException.invalid("until", "until is required (expected: " + INSTANT
          + "; or durationMinutes, e.g. 60)");
    }
    if (minutes <= 0) {
      throw ApiException.invalid("durationMinutes", "durationMinutes " + minutes + " is not positive (expected: e.g. 60)");
    }
    if (minutes > maxUnblock.toMinutes()) {
      throw ApiException.invalid("durationMinutes", "the unblock would last " + describe(Duration.ofMinutes(minutes))
          + ", but the period of study is capped at " + describe(maxUnblock)
          + " (maxUnblock); ask for a shorter period");
    }
    return from.plus(Duration.ofMinutes(minutes));
  }

  private static Instant instant(String text, String field) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw ApiException.invalid(field, field + " '" + text + "' is not a date and time (expected: " + INSTANT + ")");
    }
  }

  private static String reason(JsonBody body) {
    String reason = body.text("reason", REASON_EXPECTED);
    if (reason.length() < MIN_REASON) {
      throw ApiException.invalid("reason", "reason '" + reason + "' is too short (expected: " + REASON_EXPECTED + ")");
    }
    Set<String> words = new HashSet<>();
    for (String w : reason.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    boolean oneChar = reason.codePoints().filter(c -> !Character.isWhitespace(c)).distinct().count() <= 1;
    if (words.size() <= 1 || oneChar) {
      throw ApiException.invalid("reason", "reason '" + reason
          + "' repeats one word or character (expected: " + REASON_EXPECTED + ")");
    }
    return reason;
  }

  /** {@code 14 days}, {@code 3 hours}, {@code 90 minutes}. */
  static String describe(Duration d) {
    if (d.toMinutes() % (24 * 60) == 0 && d.toSeconds() % 60 == 0) {
      long days = d.toDays();
      return days + (days == 1 ? " day" : " days");
    }
    if (d.toMinutes() % 60 == 0 && d.toSeconds() % 60 == 0) {
      long hours = d.toHours();
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = (d.toSeconds() + 59) / 60;
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }

  private static <T> String names(List<T> ids) {
    return ids.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse("(none)");
  }
}
