package org.schoolgate.identity.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import org.schoolgate.identity.Verification;

/**
 * Counts wrong passwords per user name and per client address, each remembered for the window
 * after the last one (like a directory's lock-out counter), and refuses further attempts before
 * they reach the directory. Both maps are bounded; entries expire on the injected ticker.
 */
final class Throttle {
  private final int perUser;
  private final int perClient;
  private final Cache<String, Integer> users;
  private final Cache<InetAddress, Integer> clients;

  Throttle(int perUser, int perClient, Duration window, Ticker ticker) {
    this.perUser = perUser;
    this.perClient = perClient;
    this.users = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).ticker(ticker).build();
    this.clients = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).ticker(ticker).build();
  }

  /** Why {@code user} from {@code client} may not try now, or null when they may. */
  Verification.Refusal check(String user, InetAddress client) {
    Integer byClient = client == null ? null : clients.getIfPresent(client);
    if (byClient != null && byClient >= perClient) {
      return Verification.Refusal.THROTTLED_CLIENT;
    }
    Integer byUser = users.getIfPresent(key(user));
    if (byUser != null && byUser >= perUser) {
      return Verification.Refusal.THROTTLED_USER;
    }
    return null;
  }

  /** Records a wrong password (or unknown user) for both; restarts both windows. */
  void failed(String user, InetAddress client) {
    users.asMap().merge(key(user), 1, Integer::sum);
    if (client != null) {
      clients.asMap().merge(client, 1, Integer::sum);
    }
  }

  private static String key(String user) {
    return user.toLowerCase(Locale.ROOT);
  }
}
