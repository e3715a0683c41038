package org.schoolgate.policy.index;

import org.schoolgate.policy.Allocations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.lists.Entries;

/** The index alone: suffix matching, folded parent sets, the packed table, the builder's memory. */
class HostIndexTest {
  private static final List<CategoryId> CATEGORIES = List.of(
      new CategoryId("adult"), new CategoryId("gambling"), new CategoryId("games"));

  private final CategorySets<Void> sets = new CategorySets<>(CATEGORIES, m -> null);

  private HostIndex index() {
    IndexBuilder b = new IndexBuilder(sets);
    // The child is added before its parent: folding must not depend on the order.
    b.addDomain("poker.casino.example", 2);
    b.addDomain("casino.example", 1);
    b.addDomain("adult.test", 0);
    b.addDomain("deep.sub.adult.test", 2);
    b.addDomain("uk", 0);
    b.addDomain("192.168.1.1", 1);
    b.addDomain("server1", 1);
    b.addDomain("web.server1", 2);
    b.addUrl(Entries.url("videos.test/games/"), 2);
    b.addUrl(Entries.url("x.y.clips.test/p"), 0);
    return b.build();
  }

  private String categoriesOf(HostIndex index, String host, String path) {
    int id = index.lookup(host, path);
    if (id < 0) {
      return "unreadable";
    }
    return String.join(",", sets.get(id).set().categories().stream().map(CategoryId::value).toList());
  }

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      casino.example               | /        | gambling
      www.casino.example           | /        | gambling
      WWW.Casino.EXAMPLE.          | /        | gambling
      www.casino.example:8443      | /        | gambling
      poker.casino.example         | /        | gambling,games
      x.poker.casino.example       | /        | gambling,games
      notcasino.example            | /        | ''
      casino.examplex              | /        | ''
      example                      | /        | ''
      deep.sub.adult.test          | /        | adult,games
      sub.adult.test               | /        | adult
      anything.co.uk               | /        | adult
      192.168.1.1                  | /        | gambling
      10.192.168.1.1               | /        | ''
      server1                      | /        | gambling
      www.server1                  | /        | gambling
      web.server1                  | /        | gambling,games
      x.web.server1:8080           | /        | gambling,games
      server2                      | /        | ''
      videos.test                  | /games/x | games
      www.videos.test              | /games/  | games
      videos.test                  | /films/  | ''
      a.x.y.clips.test             | /p/q     | adult
      y.clips.test                 | /p/q     | ''
      Bücher.casino.example        | /        | gambling
      bücher.unlisted.example      | /        | ''
      a:b.casino.example           | /        | ''
      ''                           | /        | unreadable
      """)
  void lookupMatchesListedNamesAndTheirSubdomainsOnLabelBoundaries(String host, String path, String expected) {
    assertThat(categoriesOf(index(), host, path)).isEqualTo(expected);
  }

  @Test
  void lookupAllocatesNothingForAsciiHostsOnEveryPath() {
    HostIndex index = index();
    String[] hosts = {"www.casino.example", "WWW.CASINO.EXAMPLE.", "x.poker.casino.example:443", "unlisted.test",
        "a.b.unlisted.example", "a.x.y.clips.test", "192.168.1.1", "[::1]:8080", "deep.sub.adult.test"};
    long allocated = Allocations.bytesAllocated(50_000, 500_000, i -> index.lookup(hosts[i % hosts.length], "/p/q"));
    assertThat(allocated).as("bytes allocated by 500,000 lookups").isLessThan(10_000);
  }

  @Test
  void addDomainReportsWhetherTheCategoryAlreadyHadTheName() {
    IndexBuilder b = new IndexBuilder(sets);
    assertThat(b.addDomain("a.test", 0)).isTrue();
    assertThat(b.addDomain("a.test", 0)).isFalse();
    assertThat(b.addDomain("a.test", 1)).isTrue();
    assertThat(b.build().domainCount()).isEqualTo(1);
  }

  @Test
  void aBuilderBuildsOnce() {
    IndexBuilder b = new IndexBuilder(sets);
    b.build();
    assertThatThrownBy(() -> b.addDomain("a.test", 0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected: a new IndexBuilder per compile");
  }

  @Test
  void packedTableFindsEveryKeyAndNoOtherWhenGrownFromManyEntries() {
    SplittableRandom random = new SplittableRandom(7);
    LongIntTable source = new LongIntTable(16);
    // 2^19 slots: two segments, so probing crosses a segment's missing tail slots (Segments)
    long[] keys = new long[300_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = HostHash.finish(random.nextLong());
      source.put(keys[i], i % 1000);
    }
    PackedTable table = PackedTable.of(source, 999);
    for (int i = 0; i < keys.length; i++) {
      assertThat(table.get(keys[i])).isEqualTo(i % 1000);
      assertThat(source.get(keys[i])).isEqualTo(i % 1000);
    }
    int falseHits = 0;
    for (int i = 0; i < 200_000; i++) {
      falseHits += table.get(HostHash.finish(random.nextLong())) >= 0 ? 1 : 0;
    }
    assertThat(falseHits).isZero();
    assertThat(table.size()).isEqualTo(keys.length);
    assertThat(table.bytes()).isEqualTo(8L * PackedTable.capacityFor(keys.length));
  }

  @Test
  void keysWhoseHomeSlotIsInASegmentsMissingTailAreFound() {
    SplittableRandom random = new SplittableRandom(11);
    LongIntTable source = new LongIntTable(16);
    long[] keys = new long[300_000];
    for (int i = 0; i < keys.length; i++) {
      long k = random.nextLong();
      if (i % 4 == 0) { // home slot (the low bits) among the last slots of a segment, which do not exist
        k = (k & ~(long) Segments.MASK) | (Segments.USABLE + random.nextInt(Segments.SIZE - Segments.USABLE));
      }
      keys[i] = k;
      source.put(k, i % 1000);
    }
    PackedTable table = PackedTable.of(source, 999);
    for (int i = 0; i < keys.length; i++) {
      assertThat(table.get(keys[i])).isEqualTo(i % 1000);
      assertThat(source.get(keys[i])).isEqualTo(i % 1000);
    }
  }

  @ParameterizedTest(name = "{0} entries -> {1} slots")
  @CsvSource({"0, 16", "12, 16", "13, 32", "588437, 1048576", "5000000, 8388608", "6291456, 8388608",
      "6291457, 16777216"})
  void capacityKeepsTheLoadAtOrBelowThreeQuarters(int entries, int slots) {
    assertThat(PackedTable.capacityFor(entries)).isEqualTo(slots);
  }

  @Test
  void nameArenaReturnsEveryNameInOrderAcrossChunks() {
    NameArena arena = new NameArena();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 600_000; i++) {
      String name = "name" + i + ".example" + (i % 7) + ".test";
      names.add(name);
      arena.add(name);
    }
    List<String> read = new ArrayList<>();
    arena.forEach((bytes, offset, length) -> read.add(new String(Arrays.copyOfRange(bytes, offset, offset + length),
        java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(read).isEqualTo(names);
    assertThat(arena.size()).isEqualTo(names.size());
  }
}
