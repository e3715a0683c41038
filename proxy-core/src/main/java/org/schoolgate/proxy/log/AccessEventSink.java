package org.schoolgate.proxy.log;

/**
 * Watches the access log: called on the access-log writer thread ({@code schoolgate-access-log},
 * never an event loop) for every event after it is handed to the file (written, or lost and
 * counted when the disk fails: the event still reaches the sink), and when writing stops or
 * starts working again. It must not block (hand the work to a bounded queue of your own); an
 * exception it throws is logged and the event is dropped for the sink only.
 */
@FunctionalInterface
public interface AccessEventSink {
  /** A sink that ignores every event. */
  AccessEventSink NONE = event -> { };

  void accept(AccessEvent event);

  /**
   * A DNS query's event (the filtering resolver's), on the same thread and with the same rules as
   * {@link #accept}. Ignored unless overridden.
   */
  default void acceptDns(DnsEvent event) {
  }

  /**
   * The access log could not be written: an outage began (once per outage, at its first failed
   * write; {@code outage.until()} is null). Does nothing unless overridden.
   */
  default void accessLogFailing(AccessLogOutage outage) {
  }

  /**
   * Writing works again: the outage ended ({@code outage.until()} set, {@code linesLost} final).
   * Does nothing unless overridden.
   */
  default void accessLogRecovered(AccessLogOutage outage) {
  }
}
