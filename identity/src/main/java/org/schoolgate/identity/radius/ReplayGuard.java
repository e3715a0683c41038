package org.schoolgate.identity.radius;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers each accepted packet's NAS, identifier and Request Authenticator for the replay
 * window. The accounting authenticator is an MD5 over the packet and the secret, so a packet seen
 * again within the window is either the NAS retransmitting (its answer was lost) or a copy someone
 * captured: either way it is answered and not applied twice. Insertion order is arrival order,
 * so expired keys are dropped from the head; at most {@link #MAX_KEYS} are kept (the oldest go
 * first). Used by the one RADIUS thread only.
 */
final class ReplayGuard {
  static final int MAX_KEYS = 1_000_000;

  private record Key(InetAddress nas, int identifier, long high, long low) {}

  private final LinkedHashMap<Key, Long> seen = new LinkedHashMap<>(4096, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final long windowMillis;

  ReplayGuard(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** True when this packet was already seen within the window; otherwise remembers it. */
  boolean replayed(InetAddress nas, int identifier, byte[] authenticator, long nowMillis) {
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next() > nowMillis) {
        break;
      }
      it.remove();
    }
    ByteBuffer a = ByteBuffer.wrap(authenticator);
    Key key = new Key(nas, identifier, a.getLong(0), a.getLong(8));
    Long until = seen.get(key);
    if (until != null && until > nowMillis) {
      return true;
    }
    seen.put(key, nowMillis + windowMillis);
    return false;
  }

  int size() {
    return seen.size();
  }
}
