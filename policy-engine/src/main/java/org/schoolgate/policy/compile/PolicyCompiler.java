package org.schoolgate.policy.compile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyError;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.index.CategorySets;
import org.schoolgate.policy.index.HostIndex;
import org.schoolgate.policy.index.IndexBuilder;
import org.schoolgate.policy.lists.CategoryFiles;
import org.schoolgate.policy.lists.Entries;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.lists.ListStats;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.CategoryKind;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.ListSource;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.policy.model.PolicyReader;
import org.schoolgate.policy.model.SourceRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a policy file and its lists and compiles them into an immutable {@link PolicySnapshot}
 * (a {@link CompiledPolicy}). Reads files: call it off the event loops.
 *
 * <pre>{@code
 * PolicySnapshot policy = PolicyCompiler.compile(Path.of("policy.yaml"), Clock.systemUTC());
 * Decision d = policy.decide(new RequestFacts(new GroupId("ks2"), null, "www.bet365.com", "/", Instant.now()));
 * }</pre>
 */
public final class PolicyCompiler {
  private static final Logger log = LoggerFactory.getLogger(PolicyCompiler.class);

  private PolicyCompiler() {}

  /** Compiles {@code policyFile}; throws with every error found (file, line, field, fix). */
  public static PolicySnapshot compile(Path policyFile, Clock clock) throws PolicyException {
    return compileFile(policyFile, clock);
  }

  /** Like {@link #compile} but typed, for tools that want {@link CompiledPolicy#loads()} etc. */
  public static CompiledPolicy compileFile(Path policyFile, Clock clock) throws PolicyException {
    long start = System.nanoTime();
    PolicyReader.Result read = PolicyReader.read(policyFile);
    for (PolicyError w : read.warnings()) {
      log.warn("{}", w);
    }
    CompiledPolicy policy = compile(read.config(), read.warnings(), clock);
    log.info("compiled {}: {} domains, {} urls, {} category sets in {} ms", policyFile,
        policy.entryCount(), policy.loads().stream().filter(l -> l.kind().equals("urls"))
            .mapToInt(l -> l.stats().entries()).sum(),
        policy.categorySetCount(), (System.nanoTime() - start) / 1_000_000);
    return policy;
  }

  /** Compiles an already parsed policy (lists are read from disk). */
  public static CompiledPolicy compile(PolicyConfig config, List<PolicyError> warnings, Clock clock)
      throws PolicyException {
    List<CategoryConfig> categories = config.categories();
    List<GroupConfig> groups = config.groups();
    int groupCount = groups.size();
    CategorySets<SetRules> sets = new CategorySets<>(
        categories.stream().map(CategoryConfig::id).toList(),
        members -> rulesFor(config, members.indexes(), groupCount));
    IndexBuilder builder = new IndexBuilder(sets);
    ExpressionMatcher.Builder expressions = new ExpressionMatcher.Builder();
    List<CategoryLoad> loads = new ArrayList<>();
    List<PolicyError> errors = new ArrayList<>();
    Map<String, ListSource> lists = new HashMap<>();
    config.lists().forEach(l -> lists.put(l.name(), l));
    for (int c = 0; c < categories.size(); c++) {
      load(config, categories.get(c), c, lists, builder, expressions, loads, errors);
    }
    org.schoolgate.policy.search.AlertPolicy alertPolicy =
        AlertPolicies.compile(config.alerts(), config.file(), errors);
    org.schoolgate.policy.content.ContentPolicy content = ContentPolicies.compile(config, errors);
    if (!errors.isEmpty()) {
      throw new PolicyException(errors);
    }
    HostIndex index = builder.build();
    DirectoryIndex directory = new DirectoryIndex(config.matrix().stream()
        .flatMap(r -> java.util.stream.Stream.concat(
            r.defaultCell() == null ? java.util.stream.Stream.empty() : java.util.stream.Stream.of(r.defaultCell()),
            r.cells().values().stream()))
        .flatMap(c -> c.nominatedDirectoryGroups().stream()).sorted().toList());
    CompiledCell[][] cells = cells(config, directory);
    GroupId unknown = config.clients().unknownGroup() != null
        ? config.clients().unknownGroup() : mostRestrictiveGroup(config);
    Identifier identifier = new Identifier(groups, config.clients().allow(), unknown,
        String.valueOf(config.file().getFileName()));
    return new CompiledPolicy(config, clock.instant(), index, sets, cells,
        new ScheduleTable(config.timezone(), config.schedules()), identifier, loads, warnings,
        expressions.build(sets), new org.schoolgate.policy.search.SearchTerms(config.alerts().searchEngines()),
        alertPolicy, directory, new NetworkTable(config.identification()), content, downloads(config));
  }

  /** The {@code downloads:} section as each group's rules. */
  private static org.schoolgate.policy.download.DownloadPolicy downloads(PolicyConfig config) {
    var d = config.downloads();
    if (d.groups().isEmpty() && d.otherGroups().isEmpty()) {
      return org.schoolgate.policy.download.DownloadPolicy.OFF;
    }
    Map<GroupId, org.schoolgate.policy.download.DownloadRules> rules = new HashMap<>();
    for (GroupConfig g : config.groups()) {
      rules.put(g.id(), new org.schoolgate.policy.download.DownloadRules(g.id(), d.blockedFor(g.id())));
    }
    return new org.schoolgate.policy.download.DownloadPolicy(rules,
        new org.schoolgate.policy.download.DownloadRules(new GroupId("default"), d.otherGroups()));
  }

  /**
   * The group with the most blocking cells (unacceptable, illegal, at-times and nominated), the
   * first declared on a tie.
   */
  public static GroupId mostRestrictiveGroup(PolicyConfig config) {
    return org.schoolgate.policy.model.Permissiveness.mostRestrictiveGroup(config.groups(), config.matrix());
  }

  private static void load(PolicyConfig config, CategoryConfig category, int c, Map<String, ListSource> lists,
      IndexBuilder builder, ExpressionMatcher.Builder expressions, List<CategoryLoad> loads,
      List<PolicyError> errors) {
    String field = "categories." + category.id();
    for (SourceRef ref : category.sources()) {
      ListSource list = lists.get(ref.list());
      Path dir = list.path().resolve(ref.category());
      CategoryFiles files = list.format().files(list.path(), ref.category());
      if (!list.expressions()) {
        files = new CategoryFiles(files.domains(), files.urls(), null, files.hosts());
      }
      if (files.isEmpty()) {
        continue; // reported as a warning (required: false) or an error by PolicyReader
      }
      try {
        ListSources.read(files, c, builder, expressions,
            (kind, stats) -> loads.add(new CategoryLoad(category.id(), ref.toString(), kind, stats)));
      } catch (IOException | RuntimeException e) {
        errors.add(new PolicyError(config.file(), 0, field + ".sources",
            ref + ": cannot read " + dir + ": " + e + " (expected: readable list files, plain or .gz)"));
      }
    }
    for (Path file : category.files()) {
      try {
        loads.add(new CategoryLoad(category.id(), file.toString(), "domains",
            ListFileReader.readEntries(file, d -> builder.addDomain(d, c), u -> builder.addUrl(u, c))));
      } catch (IOException | RuntimeException e) {
        errors.add(new PolicyError(config.file(), 0, field + ".files",
            "cannot read " + file + ": " + e + " (expected: a readable file, a domain or host/path per line)"));
      }
    }
    if (!category.domains().isEmpty()) {
      int added = 0;
      for (String d : category.domains()) {
        added += builder.addDomain(d, c) ? 1 : 0;
      }
      int n = category.domains().size();
      loads.add(new CategoryLoad(category.id(), "domains", "domains",
          new ListStats(Path.of("(inline)"), n, added, n - added, 0, 0)));
    }
    if (!category.urls().isEmpty()) {
      int added = 0;
      for (String u : category.urls()) {
        added += builder.addUrl(Entries.url(u), c) ? 1 : 0;
      }
      int n = category.urls().size();
      loads.add(new CategoryLoad(category.id(), "urls", "urls",
          new ListStats(Path.of("(inline)"), n, added, n - added, 0, 0)));
    }
  }

  private static SetRules rulesFor(PolicyConfig config, int[] members, int groupCount) {
    int illegal = -1;
    int block = -1;
    int allow = -1;
    for (int i = 0; i < members.length; i++) {
      CategoryConfig c = config.categories().get(members[i]);
      if (c.kind() == CategoryKind.BLOCK_LIST && block < 0) {
        block = i;
      } else if (c.kind() == CategoryKind.ALLOW_LIST && allow < 0) {
        allow = i;
      } else if (c.kind() == CategoryKind.MATRIX && illegal < 0) {
        MatrixRow row = row(config, c);
        if (row != null && row.illegal()) {
          illegal = i;
        }
      }
    }
    return new SetRules(illegal, block, allow, groupCount * members.length * 2);
  }

  private static MatrixRow row(PolicyConfig config, CategoryConfig c) {
    for (MatrixRow r : config.matrix()) {
      if (r.category().equals(c.id())) {
        return r;
      }
    }
    return null;
  }

  private static CompiledCell[][] cells(PolicyConfig config, DirectoryIndex directory) {
    List<GroupConfig> groups = config.groups();
    List<CategoryConfig> categories = config.categories();
    Map<String, Integer> scheduleIndex = new HashMap<>();
    for (int i = 0; i < config.schedules().size(); i++) {
      scheduleIndex.put(config.schedules().get(i).name(), i);
    }
    CompiledCell[][] out = new CompiledCell[groups.size()][categories.size()];
    for (int g = 0; g < groups.size(); g++) {
      for (int c = 0; c < categories.size(); c++) {
        MatrixRow row = row(config, categories.get(c));
        if (row == null) {
          continue;
        }
        Cell cell = row.cellFor(groups.get(g).id());
        long mask = 0;
        for (String s : cell.schedules()) {
          mask |= 1L << scheduleIndex.get(s);
        }
        boolean[] nominated = new boolean[groups.size()];
        for (int k = 0; k < groups.size(); k++) {
          nominated[k] = cell.nominatedGroups().contains(groups.get(k).id());
        }
        out[g][c] = new CompiledCell(cell.level(), mask, cell.nominatedUsers(), nominated, directory,
            directory.mask(cell.nominatedDirectoryGroups()), DirectoryIndex.keys(cell.nominatedDirectoryGroups()));
      }
    }
    return out;
  }
}
