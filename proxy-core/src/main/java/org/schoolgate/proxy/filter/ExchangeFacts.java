package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpRequest;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.url.ParsedUrl;
import org.schoolgate.proxy.log.Exchange;

/** Fills access-log exchanges from requests and verdicts. */
final class ExchangeFacts {
  private ExchangeFacts() {}

  static void describe(Exchange e, HttpRequest request, ParsedUrl target, boolean connect) {
    if (connect) {
      e.request("CONNECT", "https", target.host(), target.port(), "", null);
    } else {
      e.request(request.method().name(), target.scheme(), target.host(), target.port(),
          target.path(), target.query());
    }
  }

  static void decided(Exchange e, Verdict.Decided v) {
    Decision d = v.decision();
    List<CategoryId> ids = d.categories().categories();
    List<String> names = new ArrayList<>(ids.size());
    for (CategoryId id : ids) {
      names.add(id.value());
    }
    e.who(v.user(), d.group().value());
    e.decision(d.action().logName(), d.level().configName(), d.ruleText(), d.reason(), names,
        v.zone());
    e.unblock(d.unblock() == null ? null : d.unblock().value());
    e.search(v.search());
  }

  /**
   * A request the policy allowed whose destination address was refused: the access log shows the
   * refusal (action block, rule {@code internal-destination}, its reason) in place of the allow.
   */
  static void refused(Exchange e, Verdict.Decided v, Decision refusal) {
    e.who(v.user(), refusal.group().value());
    e.decision(refusal.action().logName(), refusal.level().configName(), refusal.ruleText(),
        refusal.reason(), List.of(), v.zone());
    e.unblock(null);
  }

  /**
   * A request the policy allowed whose destination was refused: the access log shows the refusal
   * (action block, rule {@code internal-destination} or {@code fail-closed}, its reason) in place
   * of the allow.
   */
  static void refused(Exchange e, String user, ZoneId zone, Decision refusal) {
    e.who(user, refusal.group().value());
    e.decision(refusal.action().logName(), refusal.level().configName(), refusal.ruleText(),
        refusal.reason(), List.of(), zone);
    e.unblock(null);
  }

  /** The URL as the user asked for it, for the request-access link. */
  static String url(ParsedUrl t) {
    return t.scheme() + "://" + authority(t) + t.pathAndQuery();
  }

  /** {@code host[:port]} (IPv6 in brackets), the port left out when it is the default. */
  static String authority(ParsedUrl t) {
    boolean defaultPort = t.port() == 80
        && (t.scheme().equals("http") || t.scheme().equals("ws"))
        || t.port() == 443 && (t.scheme().equals("https") || t.scheme().equals("wss"));
    String host = t.host().indexOf(':') >= 0 ? "[" + t.host() + "]" : t.host();
    return defaultPort ? host : host + ":" + t.port();
  }
}
