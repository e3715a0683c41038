package org.schoolgate.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;

/** List files: plain or gzip, comments, blank lines, CRLF, duplicates and invalid lines. */
class ListFilesTest {
  @TempDir Path dir;

  private static final String MESSY = "# a comment\r\n\r\nExample.COM\r\nexample.com.\r\n*.wild.test\r\n"
      + ".leading.test\r\nnot a domain\r\nhttp://x.test/path\r\n   \r\nbücher.example  # a comment after an entry\r\n";

  @Test
  void plainAndGzipFilesCountEveryLine() throws IOException {
    Path plain = dir.resolve("domains");
    Files.writeString(plain, MESSY);
    Path gz = dir.resolve("domains.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(MESSY.getBytes(StandardCharsets.UTF_8));
    }
    for (Path file : List.of(plain, gz)) {
      Set<String> seen = new HashSet<>();
      List<String> added = new ArrayList<>();
      ListStats s = ListFileReader.readDomains(file, d -> seen.add(d) && added.add(d));
      assertThat(added).containsExactly("example.com", "wild.test", "leading.test", "xn--bcher-kva.example");
      assertThat(s).isEqualTo(new ListStats(file, 10, 4, 1, 2, 3));
    }
  }

  @Test
  void squidGuardDirectoriesPlainFilesAndInlineEntriesAllFeedACategory() throws IOException {
    Path cat = Files.createDirectories(dir.resolve("lists/mine/games"));
    Files.writeString(cat.resolve("domains"), "roblox.com\nminiclip.com\n");
    Files.writeString(cat.resolve("urls"), "example.org/games/\n");
    Files.writeString(dir.resolve("extra.txt"), "# extra\npoki.com\nroblox.com\n");
    CompiledPolicy policy = TestPolicies.compile(dir, """
        lists:
          - { name: mine, format: squidguard, path: lists/mine }
          - { name: absent, format: squidguard, path: lists/absent, required: false }
        groups:
          pupils: { subnets: [10.0.0.0/8] }
        categories:
          games:
            sources: [mine/games, absent/games]
            files: [extra.txt]
            domains: [crazygames.com, poki.com]
            urls: [example.net/play/]
        matrix:
          games: { default: unacceptable }
        """);
    assertThat(policy.loads()).extracting(CategoryLoad::source, CategoryLoad::kind,
        l -> l.stats().entries(), l -> l.stats().duplicates()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("mine/games", "domains", 2, 0),
        org.assertj.core.groups.Tuple.tuple("mine/games", "urls", 1, 0),
        org.assertj.core.groups.Tuple.tuple(dir.resolve("extra.txt").toString(), "domains", 1, 1),
        org.assertj.core.groups.Tuple.tuple("domains", "domains", 1, 1),
        org.assertj.core.groups.Tuple.tuple("urls", "urls", 1, 0));
    assertThat(policy.entryCount()).isEqualTo(6);
    assertThat(policy.categoriesOf("www.poki.com", "/").joined()).isEqualTo("games");
    assertThat(policy.categoriesOf("example.org", "/games/x").joined()).isEqualTo("games");
    assertThat(policy.categoriesOf("example.net", "/play/x").joined()).isEqualTo("games");
    assertThat(policy.warnings()).extracting(w -> w.field()).containsExactly("lists.absent.path");
  }
}
