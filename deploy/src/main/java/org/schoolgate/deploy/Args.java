package org.schoolgate.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: {@code --name value} or {@code --name=value} options from a known set,
 * {@code --help}, and positional arguments ({@code --} ends the options).
 */
final class Args {
  private final Map<String, String> options;
  private final List<String> positional;
  private final boolean help;

  private Args(Map<String, String> options, List<String> positional, boolean help) {
    this.options = options;
    this.positional = positional;
    this.help = help;
  }

  static Args parse(String command, List<String> args, Set<String> valueOptions) throws UsageException {
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    boolean help = false;
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (optionsEnded || !a.startsWith("--")) {
        if (!optionsEnded && a.equals("-h")) {
          help = true;
        } else {
          positional.add(a);
        }
        continue;
      }
      if (a.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (a.equals("--help")) {
        help = true;
        continue;
      }
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(0, eq) : a;
      if (!valueOptions.contains(name)) {
        throw new UsageException(command + ": unknown option " + name + " (expected one of: "
            + String.join(", ", new java.util.TreeSet<>(valueOptions)) + ", --help)");
      }
      String value;
      if (eq > 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(command + ": option " + name + " needs a value");
      }
      if (options.put(name, value) != null) {
        throw new UsageException(command + ": option " + name + " is given twice (expected: once)");
      }
    }
    return new Args(options, List.copyOf(positional), help);
  }

  String value(String name) {
    return options.get(name);
  }

  String required(String command, String name, String expected) throws UsageException {
    String v = options.get(name);
    if (v == null || v.isBlank()) {
      throw new UsageException(command + ": " + name + " is required (expected: " + expected + ")");
    }
    return v;
  }

  /** A port number option, or {@code fallback} when absent. */
  int port(String command, String name, int fallback) throws UsageException {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int p = Integer.parseInt(v.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(command + ": " + name + " '" + v + "' is not a port (expected: 0-65535)");
  }

  List<String> positional() {
    return positional;
  }

  boolean help() {
    return help;
  }
}
