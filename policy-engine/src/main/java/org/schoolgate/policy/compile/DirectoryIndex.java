package org.schoolgate.policy.compile;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.DirectoryGroupName;
import org.schoolgate.policy.Person;

/**
 * The directory groups a compiled policy's matrix cells nominate, each given a bit. A person is
 * compiled against it once per identification ({@link #person}): their groups become a bit set,
 * so a nominated cell checks a person with a few AND operations, without allocating.
 */
final class DirectoryIndex {
  private static final long[] NONE = new long[0];

  private final Map<String, Integer> bits = new HashMap<>();
  private final int words;

  /** {@code names}: every directory group some cell nominates, as written. */
  DirectoryIndex(Collection<String> names) {
    for (String n : names) {
      bits.putIfAbsent(DirectoryGroupName.normalise(n), bits.size());
    }
    this.words = (bits.size() + 63) / 64;
  }

  /** The bit mask of {@code names} (as written in a cell). */
  long[] mask(Collection<String> names) {
    if (names.isEmpty()) {
      return NONE;
    }
    long[] mask = new long[words];
    for (String n : names) {
      int bit = bits.get(DirectoryGroupName.normalise(n));
      mask[bit >>> 6] |= 1L << bit;
    }
    return mask;
  }

  /** {@code user} with {@code directoryGroups}, their nominations compiled for this policy. */
  CompiledPerson person(String user, Collection<String> directoryGroups) {
    return new CompiledPerson(this, user, directoryGroups);
  }

  /** A person compiled against one policy's directory index. */
  static final class CompiledPerson extends Person {
    final DirectoryIndex index;
    final long[] bits;

    CompiledPerson(DirectoryIndex index, String user, Collection<String> directoryGroups) {
      super(user, directoryGroups);
      this.index = index;
      long[] b = new long[index.words];
      for (String key : groupKeys()) {
        Integer bit = index.bits.get(key);
        if (bit != null) {
          b[bit >>> 6] |= 1L << bit;
        }
      }
      this.bits = b;
    }
  }

  /** True when {@code person} is in a group of {@code mask} ({@code keys}: the same groups normalised). */
  boolean matches(Person person, long[] mask, String[] keys) {
    if (person instanceof CompiledPerson p && p.index == this) {
      for (int i = 0; i < mask.length; i++) {
        if ((p.bits[i] & mask[i]) != 0) {
          return true;
        }
      }
      return false;
    }
    for (String k : keys) {
      if (person.isIn(k)) {
        return true;
      }
    }
    return false;
  }

  static String[] keys(Collection<String> names) {
    List<String> out = names.stream().map(DirectoryGroupName::normalise).distinct().toList();
    return out.toArray(new String[0]);
  }
}
