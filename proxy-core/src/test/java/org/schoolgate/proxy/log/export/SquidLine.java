package org.schoolgate.proxy.log.export;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of Squid's native access.log read the way Squid documents it (squid.conf's
 * {@code logformat squid %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt}): ten
 * whitespace-separated fields, the fourth and ninth split at their slash. Written from the
 * documentation, not from our formatter, so it catches a field out of place.
 */
record SquidLine(long seconds, int millis, long elapsed, String client, String code, int status, long bytes,
    String method, String url, String ident, String hierarchy, String from, String type) {
  private static final Pattern LINE = Pattern.compile(
      "^(\\d+)\\.(\\d{3})\\s+(\\d+) (\\S+) ([A-Z_]+)/(\\d{3}) (\\d+) (\\S+) (\\S+) (\\S+) ([A-Z_]+)/(\\S+) (\\S+)$");

  static SquidLine parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      throw new AssertionError("not a squid native access.log line: " + line);
    }
    return new SquidLine(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
        m.group(4), m.group(5), Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), m.group(8), m.group(9),
        m.group(10), m.group(11), m.group(12), m.group(13));
  }
}
