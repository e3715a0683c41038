package org.schoolgate.resolver.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Upstream answers by name and type, at most {@code maxEntries} (least recently and least often
 * used go first: Caffeine's W-TinyLFU), each for its own {@link CachedAnswer#lifetimeSeconds}.
 * Upkeep runs on the calling thread, the resolver's event loop; time comes from the injected
 * {@link Ticker}. Answers are the same for every client: the policy is applied when they are
 * served, never when they are stored.
 */
public final class AnswerCache {
  private final Cache<Key, CachedAnswer> cache;

  /** A question: the name (lower case, no trailing dot) and the query type. */
  record Key(String name, int type) {}

  public AnswerCache(int maxEntries, Ticker ticker) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .executor(Runnable::run)
        .ticker(ticker)
        .expireAfter(new Expiry<Key, CachedAnswer>() {
          @Override
          public long expireAfterCreate(Key key, CachedAnswer value, long currentTime) {
            return value.lifetimeSeconds() * 1_000_000_000L;
          }

          @Override
          public long expireAfterUpdate(Key key, CachedAnswer value, long currentTime, long currentDuration) {
            return value.lifetimeSeconds() * 1_000_000_000L;
          }

          @Override
          public long expireAfterRead(Key key, CachedAnswer value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  /** The answer for {@code name}/{@code type} while it lives, or null. */
  public CachedAnswer get(String name, int type) {
    return cache.getIfPresent(new Key(name, type));
  }

  /** Keeps {@code answer} unless it may not be cached at all. */
  void put(Key key, CachedAnswer answer) {
    if (answer.lifetimeSeconds() > 0) {
      cache.put(key, answer);
    }
  }

  /** Answers held now (approximately: expired ones may not have been swept yet). */
  public long size() {
    return cache.estimatedSize();
  }

  /** Forgets every answer. */
  public void clear() {
    cache.invalidateAll();
  }
}
