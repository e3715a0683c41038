package org.schoolgate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the one {@link StoreFactory} on the class path, once. */
final class StoreFactories {
  private StoreFactories() {}

  /** Loaded on first use: the class path does not change. */
  private static final class Holder {
    static final StoreFactory FACTORY = only(ServiceLoader.load(StoreFactory.class, StoreFactory.class.getClassLoader()));
  }

  static StoreFactory factory() {
    return Holder.FACTORY;
  }

  /** The one factory {@code found} holds; fails naming what is missing or which ones compete. */
  static StoreFactory only(Iterable<StoreFactory> found) {
    List<StoreFactory> all = new ArrayList<>();
    found.forEach(all::add);
    if (all.isEmpty()) {
      throw new IllegalStateException("no store implementation on the class path (expected: the store module's"
          + " META-INF/services/" + StoreFactory.class.getName() + ")");
    }
    if (all.size() > 1) {
      List<String> names = all.stream().map(f -> f.getClass().getName()).toList();
      throw new IllegalStateException("more than one store implementation on the class path: " + names
          + " (expected: exactly one " + StoreFactory.class.getName() + ")");
    }
    return all.get(0);
  }
}
