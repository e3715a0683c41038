package org.schoolgate.proxy.upstream;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The idle upstream connections of one event loop, by what they were made to: address, port and
 * TLS server name ({@link PoolKey}); used only on that loop, so nothing is locked and no
 * connection changes threads. At most {@code perKey} idle connections per key and {@code total}
 * in all; the most recently used is handed out first (it is the least likely to have been closed
 * by its origin).
 *
 * <p>A request looks its connection up by the resolved address it already holds, the port and
 * the TLS name — one map probe on the address and a walk along that address's few slots — so
 * taking a connection and giving it back allocates nothing. A slot emptied by taking stays (the
 * connection usually comes back); empty slots are swept when there are twice as many slots as
 * the pool may hold connections, so the map stays bounded however many origins a loop has seen.
 */
final class LoopPool {
  /** The idle connections to one port and TLS name at one address; chained per address. */
  private static final class Slot {
    final int port;
    final String serverName;
    final ArrayDeque<Upstream> idle = new ArrayDeque<>(4);
    Slot next;

    Slot(int port, String serverName, Slot next) {
      this.port = port;
      this.serverName = serverName;
      this.next = next;
    }

    boolean is(int port, String serverName) {
      return this.port == port && Objects.equals(this.serverName, serverName);
    }
  }

  private final HashMap<InetAddress, Slot> slots = new HashMap<>();
  private final int perKey;
  private final int total;
  private int count;
  private int slotCount;

  LoopPool(int perKey, int total) {
    this.perKey = perKey;
    this.total = total;
  }

  /** An idle open connection to {@code address:port} (TLS {@code serverName}), taken out, or null. */
  Upstream take(InetAddress address, int port, String serverName) {
    for (Slot s = slots.get(address); s != null; s = s.next) {
      if (s.is(port, serverName)) {
        Upstream u;
        while ((u = s.idle.pollLast()) != null) {
          count--;
          if (u.channel().isActive()) {
            return u;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** Puts {@code u} back; false when the pool is full (the caller closes it). */
  boolean offer(Upstream u) {
    if (count >= total || perKey == 0) {
      return false;
    }
    PoolKey k = u.key();
    InetAddress address = k.address().getAddress();
    int port = k.address().getPort();
    Slot first = slots.get(address);
    Slot s = first;
    while (s != null && !s.is(port, k.serverName())) {
      s = s.next;
    }
    if (s == null) {
      if (slotCount >= 2 * total) {
        sweep();
        first = slots.get(address);
      }
      s = new Slot(port, k.serverName(), first);
      slots.put(address, s);
      slotCount++;
    }
    if (s.idle.size() >= perKey) {
      return false;
    }
    s.idle.addLast(u);
    count++;
    return true;
  }

  /** Forgets {@code u} (it closed, or idled out, while pooled). */
  void remove(Upstream u) {
    PoolKey k = u.key();
    InetAddress address = k.address().getAddress();
    for (Slot s = slots.get(address); s != null; s = s.next) {
      if (s.is(k.address().getPort(), k.serverName())) {
        if (s.idle.remove(u)) {
          count--;
        }
        return;
      }
    }
  }

  /** Drops every empty slot. */
  private void sweep() {
    Iterator<Map.Entry<InetAddress, Slot>> it = slots.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<InetAddress, Slot> e = it.next();
      Slot kept = null;
      for (Slot s = e.getValue(); s != null; ) {
        Slot next = s.next;
        if (s.idle.isEmpty()) {
          slotCount--;
        } else {
          s.next = kept;
          kept = s;
        }
        s = next;
      }
      if (kept == null) {
        it.remove();
      } else {
        e.setValue(kept);
      }
    }
  }

  /** Idle connections held now. */
  int size() {
    return count;
  }

  /** Slots (address, port, TLS name) remembered now, empty ones included. */
  int slots() {
    return slotCount;
  }
}
