package org.schoolgate.reports.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.GroupConfig;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.reports.Count;
import org.schoolgate.reports.Period;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.staff.StaffReports;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Incident;
import org.schoolgate.store.IncidentStore;

/** Builds the {@link EvidencePack} from the policy in force and the store. Blocks (JDBC, file attributes). */
public final class EvidenceBuilder {
  static final int MAX_CHANGES = 10_000;

  private final PolicyHolder holder;
  private final StaffReports staff;
  private final AuditTrail audit;
  private final IncidentStore incidents;
  private final Clock clock;

  public EvidenceBuilder(PolicyHolder holder, StaffReports staff, AuditTrail audit, IncidentStore incidents,
      Clock clock) {
    this.holder = holder;
    this.staff = staff;
    this.audit = audit;
    this.incidents = incidents;
    this.clock = clock;
  }

  public EvidencePack build(Viewer viewer, Period period) {
    CompiledPolicy policy = holder.compiled();
    List<EvidencePack.Change> changes = new ArrayList<>();
    boolean complete = true;
    for (String prefix : List.of("policy.", "lists.")) {
      List<AuditRecord> records = audit.query(new AuditTrail.Query(period.from(), period.to(), null, prefix, 0,
          MAX_CHANGES));
      complete &= records.size() < MAX_CHANGES;
      for (AuditRecord r : records) {
        changes.add(new EvidencePack.Change(r.seq(), r.at(), r.type(), r.actor(), r.target(), r.reason()));
      }
    }
    changes.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return new EvidencePack(period, clock.instant(), viewer.actor().name(), matrix(policy), changes, complete,
        staff.unblocks(viewer, period), incidents(viewer, period), illegalLists(policy),
        StaffReports.Chain.of(audit.verify()));
  }

  static EvidencePack.PolicyMatrix matrix(CompiledPolicy policy) {
    PolicyConfig config = policy.config();
    List<EvidencePack.Group> groups = new ArrayList<>();
    for (GroupConfig g : config.groups()) {
      groups.add(new EvidencePack.Group(g.id().value(), g.description()));
    }
    Map<CategoryId, MatrixRow> rows = new java.util.HashMap<>();
    for (MatrixRow r : config.matrix()) {
      rows.put(r.category(), r);
    }
    List<EvidencePack.Row> matrix = new ArrayList<>();
    for (CategoryConfig c : config.categories()) {
      MatrixRow row = rows.get(c.id());
      if (row == null) {
        continue;
      }
      List<EvidencePack.Cell> cells = new ArrayList<>();
      for (GroupConfig g : config.groups()) {
        org.schoolgate.policy.model.Cell cell = row.cellFor(g.id());
        Level level = cell == null ? config.defaultLevel() : cell.level();
        cells.add(new EvidencePack.Cell(g.id().value(), level.configName(), words(level),
            cell == null ? List.of() : cell.schedules(), cell == null ? 0 : cell.nominatedUsers().size(),
            cell == null ? List.of() : cell.nominatedGroups().stream().map(GroupId::value).sorted().toList()));
      }
      matrix.add(new EvidencePack.Row(c.id().value(), c.description(), c.sensitive(), row.illegal(), cells));
    }
    return new EvidencePack.PolicyMatrix(String.valueOf(config.file().getFileName()), policy.compiledAt(),
        config.timezone().getId(), config.defaultLevel().configName(), groups, matrix, policy.entryCount());
  }

  /** The level as the school's acceptable-use policy words it. */
  public static String words(Level level) {
    return switch (level) {
      case ACCEPTABLE -> "acceptable";
      case ACCEPTABLE_AT_CERTAIN_TIMES -> "acceptable at certain times";
      case ACCEPTABLE_FOR_NOMINATED_USERS -> "acceptable for nominated users";
      case UNACCEPTABLE -> "unacceptable";
      case ILLEGAL -> "unacceptable and illegal";
    };
  }

  private EvidencePack.Incidents incidents(Viewer viewer, Period period) {
    List<Incident> all = incidents.activity(period.from(), period.to(), viewer.actor());
    Map<String, Long> outcome = new TreeMap<>();
    Map<String, Long> state = new TreeMap<>();
    Map<String, Long> kind = new TreeMap<>();
    for (Incident i : all) {
      String o = i.closed() ? (i.outcome() == null || i.outcome().isBlank() ? "(closed, no outcome given)"
          : i.outcome().strip().toLowerCase(Locale.ROOT)) : "(still open)";
      outcome.merge(o, 1L, Long::sum);
      state.merge(i.state().apiName(), 1L, Long::sum);
      kind.merge(i.kind(), 1L, Long::sum);
    }
    return new EvidencePack.Incidents(Count.of(all.size(), viewer), totals(outcome, viewer), totals(state, viewer),
        totals(kind, viewer));
  }

  private static List<StaffReports.Total> totals(Map<String, Long> counts, Viewer viewer) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> new StaffReports.Total(e.getKey(), Count.of(e.getValue(), viewer))).toList();
  }

  static List<EvidencePack.IllegalList> illegalLists(CompiledPolicy policy) {
    List<EvidencePack.IllegalList> out = new ArrayList<>();
    for (CategoryId c : policy.categories()) {
      if (!policy.isIllegal(c)) {
        continue;
      }
      boolean any = false;
      for (CategoryLoad load : policy.loads()) {
        if (!load.category().equals(c)) {
          continue;
        }
        any = true;
        Path file = load.stats().file();
        Instant modified = null;
        if (file != null) {
          try {
            modified = Files.getLastModifiedTime(file).toInstant();
          } catch (IOException e) {
            modified = null;
          }
        }
        String status = load.stats().entries() == 0 ? "empty: no entries (check the list's source and update it)"
            : "ok";
        out.add(new EvidencePack.IllegalList(c.value(), load.source(), load.kind(), load.stats().entries(),
            load.invalid(), modified, status));
      }
      if (!any) {
        out.add(new EvidencePack.IllegalList(c.value(), "(none)", "", 0, 0, null,
            "missing: the category has no list (give it the IWF or another illegal-content list)"));
      }
    }
    return out;
  }
}
