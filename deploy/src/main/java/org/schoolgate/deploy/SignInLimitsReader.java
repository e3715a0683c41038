package org.schoolgate.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.schoolgate.admin.signin.GuessLimits;
import org.schoolgate.admin.signin.SignInLimits;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the admin server's sign-in throttles: {@code admin.sign-in-limits} (console and API
 * sign-in, {@link SignInLimits}) and {@code admin.device-sign-in-limits} (guesses on the device
 * sign-in page, {@link GuessLimits}). Every key is optional, with today's values as defaults; a
 * value the record refuses is reported at its own line (file:line: field). Absent: null (the
 * defaults).
 */
final class SignInLimitsReader {
  static final String SIGN_IN = "sign-in-limits";
  static final String DEVICE = "device-sign-in-limits";
  private static final Set<String> SIGN_IN_KEYS = Set.of("address-failures", "first-lock", "max-lock",
      "account-failures", "account-window", "slow-step", "max-slow");
  private static final Set<String> DEVICE_KEYS = Set.of("per-address", "overall", "window");

  private final RuntimeConfigLoader in;

  SignInLimitsReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  SignInLimits signIn(Node node) {
    String f = "admin." + SIGN_IN;
    Map<String, Node> m = in.mapping(node, f, SIGN_IN_KEYS);
    if (m.isEmpty()) {
      return null;
    }
    SignInLimits d = SignInLimits.DEFAULTS;
    Integer address = number(m, "address-failures", d.addressFailures(), f);
    Duration first = duration(m, "first-lock", d.firstLock(), f);
    Duration max = duration(m, "max-lock", d.maxLock(), f);
    Integer account = number(m, "account-failures", d.accountFailures(), f);
    Duration window = duration(m, "account-window", d.accountWindow(), f);
    Duration step = duration(m, "slow-step", d.slowStep(), f);
    Duration slow = duration(m, "max-slow", d.maxSlow(), f);
    if (address == null || first == null || max == null || account == null || window == null || step == null
        || slow == null) {
      return null;
    }
    try {
      return new SignInLimits(address, first, max, account, window, step, slow);
    } catch (IllegalArgumentException e) {
      refused(e, m, node, f);
      return null;
    }
  }

  GuessLimits device(Node node) {
    String f = "admin." + DEVICE;
    Map<String, Node> m = in.mapping(node, f, DEVICE_KEYS);
    if (m.isEmpty()) {
      return null;
    }
    GuessLimits d = GuessLimits.DEFAULTS;
    Integer perAddress = number(m, "per-address", d.perAddress(), f);
    Integer overall = number(m, "overall", d.overall(), f);
    Duration window = duration(m, "window", d.window(), f);
    if (perAddress == null || overall == null || window == null) {
      return null;
    }
    try {
      return new GuessLimits(perAddress, overall, window);
    } catch (IllegalArgumentException e) {
      refused(e, m, node, f);
      return null;
    }
  }

  /** A record's refusal ("key is value (expected: ...)") at the line of the key it names. */
  private void refused(IllegalArgumentException e, Map<String, Node> m, Node owner, String f) {
    String key = e.getMessage().split(" ", 2)[0];
    in.problem(m.getOrDefault(key, owner), f + "." + e.getMessage());
  }

  private Integer number(Map<String, Node> m, String key, int fallback, String f) {
    Node node = m.get(key);
    if (node == null) {
      return fallback;
    }
    String s = in.scalar(node, f + "." + key);
    try {
      return s == null ? null : Integer.valueOf(s.strip());
    } catch (NumberFormatException e) {
      in.error(node, f + "." + key, "'" + s + "' is not a whole number (expected: e.g. " + fallback + ")");
      return null;
    }
  }

  private Duration duration(Map<String, Node> m, String key, Duration fallback, String f) {
    return m.get(key) == null ? fallback : in.duration(m.get(key), f + "." + key);
  }
}
