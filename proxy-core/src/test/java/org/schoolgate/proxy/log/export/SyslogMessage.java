package org.schoolgate.proxy.log.export;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RFC 5424 message read by the RFC's grammar: {@code <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP
 * APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]}, with one SD-ELEMENT whose PARAM-VALUEs
 * have {@code \"}, {@code \\} and {@code \]} unescaped.
 */
record SyslogMessage(int facility, int severity, String timestamp, String hostname, String appName, String procId,
    String msgId, String sdId, Map<String, String> params, String msg) {
  private static final Pattern HEADER = Pattern.compile(
      "^<(\\d{1,3})>1 (\\S+) (\\S{1,255}) (\\S{1,48}) (\\S{1,128}) (\\S{1,32}) \\[([^ =\\]\"]{1,32})");
  private static final Pattern NAME = Pattern.compile("^ ([^ =\\]\"]{1,32})=\"");

  static SyslogMessage parse(String text) {
    Matcher h = HEADER.matcher(text);
    if (!h.find()) {
      throw new AssertionError("not an RFC 5424 message with structured data: " + text);
    }
    int pri = Integer.parseInt(h.group(1));
    Map<String, String> params = new LinkedHashMap<>();
    int i = h.end();
    while (text.charAt(i) != ']') {
      Matcher n = NAME.matcher(text.substring(i));
      if (!n.find()) {
        throw new AssertionError("bad SD-PARAM at " + i + ": " + text);
      }
      i += n.end();
      StringBuilder v = new StringBuilder();
      while (text.charAt(i) != '"') {
        char c = text.charAt(i);
        if (c == '\\' && "\"\\]".indexOf(text.charAt(i + 1)) >= 0) {
          c = text.charAt(++i);
        } else if (c == ']') {
          throw new AssertionError("unescaped ] in a PARAM-VALUE: " + text);
        }
        v.append(c);
        i++;
      }
      params.put(n.group(1), v.toString());
      i++;
    }
    String msg = i + 1 < text.length() ? text.substring(i + 2) : null;
    return new SyslogMessage(pri / 8, pri % 8, h.group(2), h.group(3), h.group(4), h.group(5), h.group(6), h.group(7),
        params, msg);
  }
}
