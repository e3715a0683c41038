package org.schoolgate.admin.policyedit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.schoolgate.admin.auth.Caller;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.reload.PolicyReloads;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.CategoryKind;
import org.schoolgate.policy.model.Cell;
import org.schoolgate.policy.model.MatrixRow;
import org.schoolgate.policy.model.MatrixText;
import org.schoolgate.policy.model.PolicyConfig;
import org.schoolgate.policy.model.Schedule;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;

/**
 * One matrix cell (category × group, or the row's {@code default}) changed with a reason.
 *
 * <p>Design: rules first — an unacceptable-and-illegal row is changed by nobody and no cell becomes
 * illegal (403 / 422); a sensitive category's cells need the DSL or a senior leader (403). Then
 * {@link MatrixText} rewrites only that cell in the policy file's text (comments and the rest stay
 * as written), the candidate is compiled from a temporary file beside the policy (so list paths
 * resolve) and refused with its errors if it does not compile, then it replaces the policy file
 * atomically and {@link PolicyReloads#reload} puts it in force (and audits {@code
 * policy.reloaded} with the diff); {@code policy.matrix_changed} records who, why and the cell
 * before and after. {@link #candidate} gives the same text without writing it, for a dry run.
 */
public final class MatrixEdits {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@\\\\-]{1,128}");

  private final PolicyHolder holder;
  private final PolicyReloads reloads;
  private final AuditTrail audit;
  private final Clock clock;
  private final Object lock = new Object();

  public MatrixEdits(PolicyHolder holder, PolicyReloads reloads, AuditTrail audit, Clock clock) {
    this.holder = Objects.requireNonNull(holder, "holder");
    this.reloads = Objects.requireNonNull(reloads, "reloads");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A change: {@code level} {@code acceptable}, {@code at-times} (with {@code schedules}), {@code
   * nominated} (with {@code users}, {@code groups} and/or {@code directoryGroups}: directory group
   * names or DNs, as the policy's {@code directory-groups:}) or {@code unacceptable}; {@code group}
   * a group or {@code default}.
   */
  public record CellChange(String category, String group, String level, List<String> schedules, List<String> users,
      List<String> groups, List<String> directoryGroups, String reason) {
    public CellChange {
      schedules = schedules == null ? List.of() : List.copyOf(schedules);
      users = users == null ? List.of() : List.copyOf(users);
      groups = groups == null ? List.of() : List.copyOf(groups);
      directoryGroups = directoryGroups == null ? List.of() : List.copyOf(directoryGroups);
    }
  }

  /** What changed: the cell before and after in words. */
  public record Edited(String category, String group, String before, String after) {}

  /** Why {@code caller} may not change the cells of {@code category}, or null when they may. */
  public String refusal(Caller caller, String category) {
    CategoryId id = new CategoryId(category);
    if (holder.current().isIllegal(id)) {
      return category + " is unacceptable and illegal: the law decides it, not the school, so nobody can change"
          + " its cells (nor unblock it).";
    }
    if (holder.current().isSensitive(id) && !caller.has(Role.DSL) && !caller.has(Role.SENIOR_LEADER)) {
      return category + " is a sensitive (safeguarding) category: its cells are changed by the DSL or a senior"
          + " leader.";
    }
    return null;
  }

  public Edited change(Caller caller, CellChange change) {
    synchronized (lock) {
      String why = reason(change.reason());
      Prepared p = prepare(caller, change);
      validate(p.text());
      Path file = holder.policyFile();
      AtomicFiles.write(file, p.text());
      ReloadResult result = reloads.reload(caller.actor());
      if (result instanceof ReloadResult.Rejected rejected) {
        AtomicFiles.write(file, p.old());
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "policy_invalid", "Nothing changed: the policy did"
            + " not reload: " + rejected.errors().stream().limit(3).map(Object::toString)
            .collect(Collectors.joining("; ")), null);
      }
      String after = words(p.cell());
      audit.append(new AuditEntry("policy.matrix_changed", caller.actor(), "matrix:" + change.category() + "/"
          + change.group(), why, state(change, p.before()), state(change, after)));
      return new Edited(change.category(), change.group(), p.before(), after);
    }
  }

  /** The policy file's text with the change, checked like {@link #change} but not written (for a dry run). */
  public String candidate(Caller caller, CellChange change) {
    Prepared p = prepare(caller, change);
    validate(p.text());
    return p.text();
  }

  private record Prepared(String old, String text, String before, Cell cell) {}

  private Prepared prepare(Caller caller, CellChange change) {
    PolicyConfig config = holder.compiled().config();
    CategoryConfig category = config.categories().stream().filter(c -> c.id().value().equals(change.category())
        && c.kind() == CategoryKind.MATRIX).findFirst().orElseThrow(() -> ApiException.notFound("There is no matrix"
        + " category '" + change.category() + "' (the matrix page lists them)."));
    boolean isDefault = "default".equals(change.group());
    if (!isDefault && config.groups().stream().noneMatch(g -> g.id().value().equals(change.group()))) {
      throw ApiException.notFound("There is no group '" + change.group() + "' (expected: default or one of "
          + config.groups().stream().map(g -> g.id().value()).collect(Collectors.joining(", ")) + ").");
    }
    String refused = refusal(caller, category.id().value());
    if (refused != null) {
      throw ApiException.forbidden(holder.current().isIllegal(category.id()) ? "illegal_never_changes"
          : "sensitive_needs_dsl", refused);
    }
    MatrixRow row = config.matrix().stream().filter(r -> r.category().equals(category.id())).findFirst()
        .orElseThrow(() -> ApiException.notFound("The matrix has no row for " + change.category() + "."));
    Cell old = isDefault ? row.defaultCell() : row.cellFor(new GroupId(change.group()));
    Cell cell = cell(change, config);
    String yaml = yaml(cell);
    String oldText = read(holder.policyFile());
    String next;
    try {
      next = MatrixText.withCell(oldText, category.id().value(), change.group(), yaml);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.CONFLICT, "policy_file_changed", "The policy file cannot be changed here: "
          + e.getMessage() + ". Reload the policy, then try again.", null);
    }
    return new Prepared(oldText, next, old == null ? "(none)" : words(old), cell);
  }

  private static Cell cell(CellChange change, PolicyConfig config) {
    String level = change.level() == null ? "" : change.level().strip();
    switch (level) {
      case "acceptable":
        return Cell.of(Level.ACCEPTABLE);
      case "unacceptable":
        return Cell.of(Level.UNACCEPTABLE);
      case "illegal":
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "illegal_is_a_row", "A cell cannot be made"
            + " unacceptable and illegal: that is the law's word for a whole category, set in the policy file"
            + " (expected: acceptable, at-times, nominated or unacceptable).", "level");
      case "at-times": {
        Map<String, Schedule> schedules = config.schedules().stream().collect(Collectors.toMap(Schedule::name,
            s -> s));
        if (change.schedules().isEmpty()) {
          throw ApiException.invalid("schedules", "Choose when it is acceptable (expected: one or more of "
              + String.join(", ", schedules.keySet()) + ").");
        }
        for (String s : change.schedules()) {
          if (!schedules.containsKey(s)) {
            throw ApiException.invalid("schedules", "There is no schedule '" + s + "' (expected: "
                + String.join(", ", schedules.keySet()) + ").");
          }
        }
        return new Cell(Level.ACCEPTABLE_AT_CERTAIN_TIMES, change.schedules(), java.util.Set.of(),
            java.util.Set.of());
      }
      case "nominated": {
        for (String u : change.users()) {
          if (!USER.matcher(u).matches()) {
            throw ApiException.invalid("users", "'" + u + "' is not a user name (expected: e.g. j.smith)");
          }
        }
        for (String g : change.groups()) {
          if (config.groups().stream().noneMatch(x -> x.id().value().equals(g))) {
            throw ApiException.invalid("groups", "There is no group '" + g + "'.");
          }
        }
        java.util.Set<String> directoryGroups = new java.util.LinkedHashSet<>();
        for (String d : change.directoryGroups()) {
          String problem = org.schoolgate.policy.DirectoryGroupName.problem(d);
          if (problem != null) {
            throw ApiException.invalid("directoryGroups", "The directory group '" + d + "' " + problem);
          }
          directoryGroups.add(d.strip());
        }
        if (change.users().isEmpty() && change.groups().isEmpty() && directoryGroups.isEmpty()) {
          throw ApiException.invalid("users", "Name who is nominated: users (e.g. j.smith), groups or directory"
              + " groups (e.g. Year10 or CN=Year10,OU=Pupils,DC=school,DC=example).");
        }
        return new Cell(Level.ACCEPTABLE_FOR_NOMINATED_USERS, List.of(),
            new java.util.LinkedHashSet<>(change.users().stream().map(u -> u.toLowerCase(java.util.Locale.ROOT))
                .toList()), new java.util.LinkedHashSet<>(change.groups().stream().map(GroupId::new).toList()),
            directoryGroups);
      }
      default:
        throw ApiException.invalid("level", "'" + level + "' is not a level (expected: acceptable, at-times,"
            + " nominated or unacceptable).");
    }
  }

  static String yaml(Cell cell) {
    return switch (cell.level()) {
      case ACCEPTABLE_AT_CERTAIN_TIMES -> "{ at-times: [" + String.join(", ", cell.schedules()) + "] }";
      case ACCEPTABLE_FOR_NOMINATED_USERS -> {
        List<String> parts = new ArrayList<>();
        if (!cell.nominatedUsers().isEmpty()) {
          // sorted: a Cell holds its names in an unordered set, and the file must not change with the JVM's hash seed
          parts.add("users: [" + cell.nominatedUsers().stream().sorted().collect(Collectors.joining(", ")) + "]");
        }
        if (!cell.nominatedGroups().isEmpty()) {
          parts.add("groups: [" + cell.nominatedGroups().stream().map(GroupId::value).sorted()
              .collect(Collectors.joining(", ")) + "]");
        }
        if (!cell.nominatedDirectoryGroups().isEmpty()) {
          // quoted: a DN has commas and spaces, which a flow sequence would split on
          parts.add("directory-groups: [" + cell.nominatedDirectoryGroups().stream().sorted()
              .map(MatrixEdits::quoted).collect(Collectors.joining(", ")) + "]");
        }
        yield "{ nominated: { " + String.join(", ", parts) + " } }";
      }
      default -> cell.level().configName();
    };
  }

  /** {@code text} as a YAML double-quoted scalar (it has no control characters: see DirectoryGroupName). */
  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String words(Cell cell) {
    String s = cell.level().configName();
    if (!cell.schedules().isEmpty()) {
      s += " at " + String.join(", ", cell.schedules());
    }
    List<String> who = new ArrayList<>(cell.nominatedUsers());
    cell.nominatedGroups().forEach(g -> who.add("group " + g.value()));
    cell.nominatedDirectoryGroups().forEach(g -> who.add("directory group " + g));
    if (!who.isEmpty()) {
      s += " for " + String.join(", ", who);
    }
    return s;
  }

  private void validate(String text) {
    Path dir = holder.policyFile().toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".candidate-", ".yaml");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      PolicyCompiler.compileFile(tmp, clock);
    } catch (PolicyException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "policy_invalid", "Nothing changed: the policy would"
          + " not compile with that change: " + e.errors().stream().limit(3).map(er -> "line " + er.line() + ": "
          + er.field() + ": " + er.message()).collect(Collectors.joining("; ")), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a candidate policy beside " + holder.policyFile(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a stray candidate file; the policy itself is untouched
        }
      }
    }
  }

  private static String state(CellChange change, String cell) {
    return JSON.createObjectNode().put("category", change.category()).put("group", change.group())
        .put("cell", cell).toString();
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw ApiException.invalid("reason", "Say why the cell changes (e.g. \"agreed by the e-safety group on 12"
          + " May\"): it goes to the audit trail.");
    }
    String one = reason.strip().replaceAll("\\s+", " ");
    if (one.length() > SchoolLists.MAX_REASON) {
      throw ApiException.invalid("reason", "The reason has " + one.length() + " characters (expected: at most "
          + SchoolLists.MAX_REASON + ")");
    }
    return one;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
