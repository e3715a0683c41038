package org.schoolgate.identity.binding;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import org.schoolgate.identity.AddressBinding;

/**
 * One address's latest change as the journal keeps it: a binding made, or (with {@code ended}) the
 * end of the binding it names, at {@code madeAt}.
 *
 * @param address the client address
 * @param binding the binding made, or for an end the one that ended (its {@code until} is when it ended)
 * @param source who reported it: {@code session:<account>}, {@code radius:<nas>}, {@code portal}
 * @param madeAt when the change was made; the later change of an address wins
 * @param ended true for an end (logoff, RADIUS Stop, DELETE)
 */
public record JournalEntry(InetAddress address, AddressBinding binding, String source, Instant madeAt,
    boolean ended) {
  public JournalEntry {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(madeAt, "madeAt");
  }
}
