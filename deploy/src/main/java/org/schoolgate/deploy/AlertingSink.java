package org.schoolgate.deploy;

import java.time.Duration;
import org.schoolgate.alerts.AccessInput;
import org.schoolgate.alerts.AlertEngine;
import org.schoolgate.proxy.log.AccessEvent;
import org.schoolgate.proxy.log.AccessEventSink;
import org.schoolgate.proxy.log.AccessLogOutage;
import org.schoolgate.proxy.log.DnsEvent;
import org.schoolgate.store.Alert;
import org.schoolgate.store.NewAlert;

/**
 * What the proxy's access log hands on: every access event (requests and DNS queries) to the alert rules, and an outage of
 * the log itself as a technicians' alert ({@value #FAILING}, a warning, once per outage) with a
 * note when it ends ({@value #RECOVERED}, info, with the lines lost). Both go through the alert
 * engine's thread and the outbox like any alert, so delivery routes them ({@code audience:
 * technicians}). Called on the access-log writer thread; never blocks.
 */
final class AlertingSink implements AccessEventSink {
  static final String FAILING = "accesslog-failing";
  static final String RECOVERED = "accesslog-recovered";
  static final String WHO = "system:access-log";

  private final AlertEngine alerts;

  AlertingSink(AlertEngine alerts) {
    this.alerts = alerts;
    alerts.declareKinds(java.util.List.of(FAILING, RECOVERED));
  }

  @Override
  public void accept(AccessEvent event) {
    alerts.offer(toAlertInput(event));
  }

  @Override
  public void acceptDns(DnsEvent event) {
    alerts.offer(toAlertInput(event));
  }

  @Override
  public void accessLogFailing(AccessLogOutage outage) {
    alerts.raise(new NewAlert(Alert.Severity.WARNING, FAILING, Alert.Audience.TECHNICIANS,
        subject("The access log cannot be written: " + outage.problem()),
        "Since " + outage.since() + " Schoolgate cannot write the access log in " + outage.dir() + ": "
            + outage.problem() + ".\n\nThe proxy keeps filtering and safeguarding alerts are still raised, but"
            + " requests are not being recorded. Each lost line is counted (schoolgate.accesslog.dropped,"
            + " cause write-failed) and /healthz reports the outage. Free space on the disk (or fix the"
            + " directory's permissions or mount); writing resumes by itself, and a '" + RECOVERED
            + "' note follows with the number of lines lost.",
        WHO, null, FAILING + ":" + outage.since()));
  }

  @Override
  public void accessLogRecovered(AccessLogOutage outage) {
    Duration length = Duration.between(outage.since(), outage.until());
    alerts.raise(new NewAlert(Alert.Severity.INFO, RECOVERED, Alert.Audience.TECHNICIANS,
        subject("The access log is written again after " + length.toSeconds() + " s; " + outage.linesLost()
            + " lines were lost"),
        "The access log in " + outage.dir() + " could not be written from " + outage.since() + " to "
            + outage.until() + " (" + outage.problem() + "). " + outage.linesLost()
            + " requests in that time are missing from it; every line written is whole.",
        WHO, null, RECOVERED + ":" + outage.since()));
  }

  private static String subject(String text) {
    return text.length() <= NewAlert.MAX_SUBJECT ? text : text.substring(0, NewAlert.MAX_SUBJECT - 1) + "…";
  }

  /** The alert rules' view of an access event (the alerts module does not know the proxy). */
  static AccessInput toAlertInput(AccessEvent e) {
    String url = AccessInput.url(e.method(), e.scheme(), e.host(), e.port(), e.path(), e.query());
    org.schoolgate.proxy.log.ContentNote n = e.content();
    AccessInput.Content content = n == null ? null : new AccessInput.Content(n.action(), n.theme(), n.score(),
        n.threshold(), n.phrases(), n.liftedBy(), n.cut(), n.ai(), n.prompt(), n.answer());
    return new AccessInput(e.time(), e.zone(), e.client(), e.user(), e.group(), e.host(), url, e.categories(),
        e.action(), e.level(), e.rule(), e.search(), AccessInput.Kind.REQUEST, content);
  }

  /** The alert rules' view of a DNS query the filtering resolver answered. */
  static AccessInput toAlertInput(DnsEvent e) {
    return AccessInput.dns(e.time(), e.zone(), e.client(), e.user(), e.group(), e.host(), e.qtype(), e.categories(),
        e.action(), e.level(), e.rule());
  }
}
