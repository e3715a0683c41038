package org.schoolgate.proxy.log;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One DNS query answered by the filtering resolver, as written to the access log: a JSON line
 * beside the HTTP lines, told apart by {@code "event":"dns"} (HTTP lines have no {@code event}
 * field, so their format is unchanged). The queried name is in {@code host}, as for requests, so
 * one search finds both.
 *
 * @param time when the query arrived
 * @param zone the policy time zone; the daily file is chosen by the date in this zone
 * @param client the client's IP address
 * @param user the user bound to the address (logon session, RADIUS), or null
 * @param group the group decided for, or null (client refused, no policy)
 * @param transport {@code udp} or {@code tcp}
 * @param host the queried name, lower case, without the trailing dot
 * @param qtype the query type, e.g. {@code A}, {@code AAAA}, {@code HTTPS}, {@code TYPE99}
 * @param categories every category the name matched
 * @param action {@code allow} (answered from the upstream resolvers or the cache), {@code block}
 *     (the policy or a bypass rule answered instead), {@code reject} (refused: not a client, ANY)
 * @param level the deciding level, or null
 * @param rule the deciding rule text, e.g. {@code matrix:gambling/ks3-4} or {@code dns-canary}
 * @param reason a sentence for people, or null
 * @param answer what the client got: {@code upstream}, {@code cache}, {@code block-address},
 *     {@code nxdomain}, {@code nodata}, {@code refused}, {@code servfail}
 * @param rcode the response code sent, e.g. {@code NOERROR}, {@code NXDOMAIN}
 * @param stripped HTTPS/SVCB records removed from the answer (0 when none)
 * @param durationMs from the query to the answer
 */
public record DnsEvent(
    Instant time,
    ZoneId zone,
    String client,
    String user,
    String group,
    String transport,
    String host,
    String qtype,
    List<String> categories,
    String action,
    String level,
    String rule,
    String reason,
    String answer,
    String rcode,
    int stripped,
    long durationMs) {

  /** The value of the {@code event} field that marks a DNS line. */
  public static final String EVENT = "dns";

  public DnsEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(zone, "zone");
    categories = categories == null ? List.of() : categories;
  }
}
