package org.schoolgate.policy.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;

/**
 * Every distinct set of categories the index can return, each with an int id and a shared
 * {@link CategorySet} plus whatever the policy precomputes per set ({@code T}). Id 0 is the
 * empty set. Members are category indexes in declaration order.
 *
 * <p>Sets are created while lists are loaded and, rarely, at lookup time when a host matches a
 * domain entry and a URL entry of different sets ({@link #union}). Unions are memoised in a
 * lock-free {@link AtomicLongArray}, so after warm-up a union allocates nothing; creating a new
 * set takes a lock and republishes the array of sets. The number of sets is bounded by the
 * combinations the lists actually contain plus those requests hit.
 *
 * @param <T> data the policy attaches to each set (e.g. prebuilt decisions)
 */
public final class CategorySets<T> {
  /** The id of the empty set. */
  public static final int EMPTY = 0;

  private static final int UNION_CACHE_SIZE = 1 << 12;
  private static final int ID_BITS = 21;
  private static final long ID_MASK = (1L << ID_BITS) - 1;

  private final List<CategoryId> categories;
  private final Function<Members, T> attach;
  private final Map<Members, Integer> ids = new HashMap<>();
  private final AtomicLongArray unionCache = new AtomicLongArray(UNION_CACHE_SIZE);
  private volatile Slot<T>[] slots;
  private int count;

  /** One set: its members, the shared {@link CategorySet}, and the attached data. */
  public static final class Slot<T> {
    private final int[] members;
    private final CategorySet set;
    private final T data;

    Slot(int[] members, CategorySet set, T data) {
      this.members = members;
      this.set = set;
      this.data = data;
    }

    /** Category indexes, ascending (declaration order). Do not modify. */
    public int[] members() {
      return members;
    }

    public CategorySet set() {
      return set;
    }

    public T data() {
      return data;
    }
  }

  /** The members of a set as passed to the attach function. */
  public record Members(int[] indexes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Members m && Arrays.equals(m.indexes, indexes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(indexes);
    }

    @Override
    public String toString() {
      return Arrays.toString(indexes);
    }
  }

  /**
   * @param categories all categories, by index
   * @param attach computes the per-set data; called once per new set, under a lock
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CategorySets(List<CategoryId> categories, Function<Members, T> attach) {
    this.categories = List.copyOf(categories);
    this.attach = attach;
    this.slots = new Slot[64];
    intern(new int[0]);
  }

  /** The set with id {@code id}. */
  public Slot<T> get(int id) {
    return slots[id];
  }

  /** How many sets exist. */
  public synchronized int size() {
    return count;
  }

  /** The id of the set with exactly these members (ascending, no repeats), creating it if new. */
  public synchronized int intern(int[] members) {
    Members key = new Members(members);
    Integer id = ids.get(key);
    if (id != null) {
      return id;
    }
    List<CategoryId> names = new ArrayList<>(members.length);
    for (int m : members) {
      names.add(categories.get(m));
    }
    CategorySet set = members.length == 0 ? CategorySet.EMPTY : new CategorySet(names);
    Slot<T> slot = new Slot<>(members.clone(), set, attach.apply(new Members(members.clone())));
    Slot<T>[] current = slots;
    if (count == current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[count] = slot;
    slots = current;
    ids.put(new Members(slot.members), count);
    return count++;
  }

  /** True when set {@code id} contains category {@code category}. */
  public boolean contains(int id, int category) {
    return Arrays.binarySearch(slots[id].members, category) >= 0;
  }

  /** The id of set {@code id} plus {@code category}. */
  public int with(int id, int category) {
    int[] m = slots[id].members;
    int pos = Arrays.binarySearch(m, category);
    if (pos >= 0) {
      return id;
    }
    int insert = -pos - 1;
    int[] out = new int[m.length + 1];
    System.arraycopy(m, 0, out, 0, insert);
    out[insert] = category;
    System.arraycopy(m, insert, out, insert + 1, m.length - insert);
    return intern(out);
  }

  /** The id of the union of two sets; allocates nothing once the pair has been seen. */
  public int union(int a, int b) {
    if (a == b || b == EMPTY) {
      return a;
    }
    if (a == EMPTY) {
      return b;
    }
    if (a > b) {
      int t = a;
      a = b;
      b = t;
    }
    boolean cacheable = b <= ID_MASK;
    int index = 0;
    if (cacheable) {
      index = (int) (HostHash.finish(((long) a << 32) | b) & (UNION_CACHE_SIZE - 1));
      long cached = unionCache.get(index);
      if (cached < 0 && ((cached >>> (2 * ID_BITS)) & ID_MASK) == a
          && ((cached >>> ID_BITS) & ID_MASK) == b) {
        return (int) (cached & ID_MASK);
      }
    }
    int result = merge(a, b);
    if (cacheable && result <= ID_MASK) {
      unionCache.lazySet(index, Long.MIN_VALUE | ((long) a << (2 * ID_BITS)) | ((long) b << ID_BITS) | result);
    }
    return result;
  }

  private int merge(int a, int b) {
    int[] x = slots[a].members;
    int[] y = slots[b].members;
    int[] out = new int[x.length + y.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < x.length || j < y.length) {
      int next;
      if (j >= y.length || (i < x.length && x[i] < y[j])) {
        next = x[i++];
      } else if (i >= x.length || y[j] < x[i]) {
        next = y[j++];
      } else {
        next = x[i++];
        j++;
      }
      out[n++] = next;
    }
    return intern(Arrays.copyOf(out, n));
  }
}
