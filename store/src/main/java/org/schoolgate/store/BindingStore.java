package org.schoolgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who is at which client address, kept across restarts and shared by the nodes of one database:
 * one row per address holding its latest change ({@code address_bindings}). The identity module's
 * binding table writes through it from its own thread (deploy adapts it); nothing here is read on
 * the proxy's request path.
 */
public interface BindingStore {

  /**
   * Writes the changes in one transaction, as one new version: each replaces its address's row
   * unless the row was made later (the most recent change wins, whichever node made it).
   */
  void write(List<StoredBinding> changes);

  /** Bindings not ended with {@code until > now}, and the version they are current to. */
  Page active(Instant now);

  /** Rows written after {@code version} (bindings and ends), and the version they bring the reader to. */
  Page changedSince(long version);

  /** The current version (moves with every {@link #write}). */
  long version();

  /** Deletes rows that ended or ran out before {@code before}; returns how many. */
  int purge(Instant before);

  /** Rows and the version they are current to. */
  record Page(List<StoredBinding> bindings, long version) {
    public Page {
      bindings = List.copyOf(bindings);
    }
  }

  /**
   * One address's latest change.
   *
   * @param address the client address, as its canonical literal ({@code 10.0.0.5}, {@code 2001:db8:0:0:0:0:0:5})
   * @param user the user name
   * @param groups directory groups the source vouched for (the sign-in page), usually empty
   * @param method {@code session}, {@code radius} or {@code portal}
   * @param source who reported it, e.g. {@code session:logon-script} or {@code radius:wlc}
   * @param madeAt when the change was made
   * @param until when the binding ends (for an end: when it ended)
   * @param ended true when the binding was ended before its time (logoff, RADIUS Stop)
   */
  record StoredBinding(String address, String user, Set<String> groups, String method, String source,
      Instant madeAt, Instant until, boolean ended) {
    public StoredBinding {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(user, "user");
      groups = Set.copyOf(groups);
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(madeAt, "madeAt");
      Objects.requireNonNull(until, "until");
    }
  }
}
