package org.schoolgate.deploy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.BindingJournal;
import org.schoolgate.identity.binding.JournalEntry;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.store.BindingStore;
import org.schoolgate.store.BindingStore.StoredBinding;

/**
 * The identity module's {@link BindingJournal} over the store's {@link BindingStore} (neither
 * module knows the other): addresses as literals, methods by their access-log names. A row the
 * identity module cannot read (an address or method edited by hand) is skipped, never guessed.
 */
final class StoreBindingJournal implements BindingJournal {
  private final BindingStore store;

  StoreBindingJournal(BindingStore store) {
    this.store = store;
  }

  @Override
  public void write(List<JournalEntry> entries) {
    List<StoredBinding> rows = new ArrayList<>(entries.size());
    for (JournalEntry e : entries) {
      AddressBinding b = e.binding();
      rows.add(new StoredBinding(e.address().getHostAddress(), b.user(), b.directoryGroups(), b.method().logName(),
          e.source(), e.madeAt(), b.until(), e.ended()));
    }
    store.write(rows);
  }

  @Override
  public Page active(Instant now) {
    return page(store.active(now));
  }

  @Override
  public Page changedSince(long version) {
    return page(store.changedSince(version));
  }

  @Override
  public int purge(Instant before) {
    return store.purge(before);
  }

  /**
   * Ends, in the store, every binding in force at {@code now} that {@code source} made (a guest
   * voucher withdrawn from the shell): a running Schoolgate on the same database reads the ends
   * within {@code identity.sync-every}, as it reads another node's. Returns how many ended.
   */
  static int endAllFrom(BindingStore store, String source, Instant now) {
    Instant at = now.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    List<StoredBinding> ends = store.active(at).bindings().stream().filter(b -> b.source().equals(source))
        // later than the binding even when this machine's clock is behind the server's: the latest change wins
        .map(b -> new StoredBinding(b.address(), b.user(), b.groups(), b.method(), b.source(),
            b.madeAt().isBefore(at) ? at : b.madeAt().plusNanos(1_000), at, true))
        .toList();
    if (!ends.isEmpty()) {
      store.write(ends);
    }
    return ends.size();
  }

  private static Page page(BindingStore.Page page) {
    List<JournalEntry> entries = new ArrayList<>(page.bindings().size());
    for (StoredBinding row : page.bindings()) {
      JournalEntry e = entry(row);
      if (e != null) {
        entries.add(e);
      }
    }
    return new Page(entries, page.version());
  }

  private static JournalEntry entry(StoredBinding row) {
    try {
      InetAddress address = InetAddress.getByAddress(Subnet.parse(row.address()).network());
      AuthMethod method = AuthMethod.valueOf(row.method().toUpperCase(Locale.ROOT));
      return new JournalEntry(address, new AddressBinding(row.user(), row.groups(), method, row.until()),
          row.source(), row.madeAt(), row.ended());
    } catch (IllegalArgumentException | UnknownHostException e) {
      return null;
    }
  }
}
