package org.schoolgate.admin.policyedit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.admin.reload.PolicyReloads;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.ReloadResult;
import org.schoolgate.policy.lists.Entries;
import org.schoolgate.policy.lists.ListFileReader;
import org.schoolgate.policy.model.CategoryConfig;
import org.schoolgate.policy.model.CategoryKind;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditTrail;

/**
 * The school's own block and allow lists (categories of kind {@code block-list} and {@code
 * allow-list}): what each holds, and adding or removing one entry with a reason.
 *
 * <p>Design: the list file is the source of truth — the first of the category's {@code files:}
 * (a domain or {@code host/path} per line). An entry is parsed with the engine's own
 * {@link Entries#parseEntry} and written in its normal form, with a trailing comment saying when,
 * who and why ({@code example.com  # added 2026-11-23 by t.jones: why}). The new text replaces
 * the file atomically, then {@link PolicyReloads#reload} compiles and publishes it (and audits
 * {@code policy.reloaded}); if the policy does not compile, the old text is put back and the
 * change refused. Each change is audited as {@code list.entry_added} / {@code list.entry_removed}
 * (target {@code list:<category>}, the reason, before/after: the file and its entry count). An
 * allow-list entry whose site is in an illegal category is refused: nothing may allow those.
 * Changes run one at a time.
 */
public final class SchoolLists {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_REASON = 500;

  private final PolicyHolder holder;
  private final PolicyReloads reloads;
  private final AuditTrail audit;
  private final Clock clock;
  private final Object lock = new Object();

  public SchoolLists(PolicyHolder holder, PolicyReloads reloads, AuditTrail audit, Clock clock) {
    this.holder = Objects.requireNonNull(holder, "holder");
    this.reloads = Objects.requireNonNull(reloads, "reloads");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One entry of a list file: its normal form, its line and the comment beside it. */
  public record Entry(String entry, int line, String note) {}

  /**
   * A school list: {@code kind} {@code block-list} or {@code allow-list}, the file the console
   * edits ({@code file}, relative to the policy file; empty when the category names none, then
   * {@code howToEdit} says what to add), its entries, and those written in the policy file itself
   * ({@code inPolicyFile}: changed by editing that file).
   */
  public record SchoolList(String list, String kind, String description, String file, String howToEdit,
      List<Entry> entries, List<String> inPolicyFile) {}

  /** The school's lists of the policy in force. */
  public record Lists(List<SchoolList> lists) {}

  /** What a change did: {@code action} {@code added} or {@code removed}. */
  public record Edited(String list, String entry, String action, String file, int entriesBefore, int entriesAfter) {}

  public Lists lists() {
    List<SchoolList> out = new ArrayList<>();
    for (CategoryConfig c : holder.compiled().config().categories()) {
      if (c.kind() == CategoryKind.MATRIX) {
        continue;
      }
      List<String> inline = new ArrayList<>(c.domains());
      inline.addAll(c.urls());
      if (c.files().isEmpty()) {
        out.add(new SchoolList(c.id().value(), c.kind().configName(), c.description(), "", howToEdit(c), List.of(),
            inline));
      } else {
        Path file = c.files().get(0);
        out.add(new SchoolList(c.id().value(), c.kind().configName(), c.description(), relative(file), "",
            entries(read(file)), inline));
      }
    }
    return new Lists(out);
  }

  /** Adds {@code text} to {@code list} with {@code reason}; refusals are {@link ApiException}s saying what to fix. */
  public Edited add(Actor actor, String list, String text, String reason) {
    synchronized (lock) {
      String why = reason(reason);
      CategoryConfig c = category(list);
      Path file = file(c);
      Entries.Entry entry = parse(text);
      if (c.kind() == CategoryKind.ALLOW_LIST) {
        refuseIllegal(entry);
      }
      List<String> lines = read(file);
      List<Entry> before = entries(lines);
      for (Entry e : before) {
        if (e.entry().equals(entry.text())) {
          throw ApiException.conflict("already_listed", entry.text() + " is already on " + c.id() + " ("
              + relative(file) + " line " + e.line() + ")");
        }
      }
      List<String> next = new ArrayList<>(lines);
      next.add(entry.text() + "  # added " + LocalDate.ofInstant(clock.instant(), holder.current().timezone()) + " by "
          + actor.name() + ": " + why);
      return change(actor, c, file, lines, next, entry.text(), "added", before.size(), why);
    }
  }

  /** Removes every line of {@code list}'s file holding {@code text} (in its normal form). */
  public Edited remove(Actor actor, String list, String text, String reason) {
    synchronized (lock) {
      String why = reason(reason);
      CategoryConfig c = category(list);
      Path file = file(c);
      Entries.Entry entry = parse(text);
      List<String> lines = read(file);
      List<Entry> before = entries(lines);
      List<String> next = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        Entries.Entry e = entryOf(lines.get(i));
        if (e == null || !e.text().equals(entry.text())) {
          next.add(lines.get(i));
        }
      }
      if (next.size() == lines.size()) {
        boolean inline = c.domains().contains(entry.text()) || c.urls().contains(entry.text());
        throw ApiException.notFound(entry.text() + " is not in " + relative(file) + (inline
            ? "; it is written in " + holder.policyFile().getFileName() + " (categories." + c.id()
                + "): remove it there and reload" : "; the list page shows what is there"));
      }
      return change(actor, c, file, lines, next, entry.text(), "removed", before.size(), why);
    }
  }

  private Edited change(Actor actor, CategoryConfig c, Path file, List<String> old, List<String> next, String entry,
      String action, int entriesBefore, String why) {
    String oldText = join(old);
    AtomicFiles.write(file, join(next));
    ReloadResult result = reloads.reload(actor);
    if (result instanceof ReloadResult.Rejected rejected) {
      AtomicFiles.write(file, oldText);
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "policy_invalid", "Nothing changed: the policy"
          + " does not compile with that change: " + rejected.errors().stream().limit(3).map(Object::toString)
          .collect(Collectors.joining("; ")), null);
    }
    int after = entries(next).size();
    String name = relative(file);
    audit.append(new AuditEntry("list.entry_" + action, actor, "list:" + c.id(), why,
        state(name, entriesBefore, null), state(name, after, (action.equals("added") ? "+" : "-") + entry)));
    return new Edited(c.id().value(), entry, action, name, entriesBefore, after);
  }

  private static String state(String file, int entries, String change) {
    ObjectNode o = JSON.createObjectNode().put("file", file).put("entries", entries);
    if (change != null) {
      o.put("change", change);
    }
    return o.toString();
  }

  private void refuseIllegal(Entries.Entry entry) {
    PolicySnapshot now = holder.current();
    String host = entry instanceof Entries.UrlEntry u ? u.host() : ((Entries.Domain) entry).name();
    String path = entry instanceof Entries.UrlEntry u ? u.pathPrefix() : "/";
    for (CategoryId category : now.categoriesOf(host, path.isEmpty() ? "/" : path).categories()) {
      if (now.isIllegal(category)) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "illegal_category", entry.text() + " is in "
            + category + ", which the policy marks unacceptable and illegal: no list, unblock or setting may"
            + " allow it (it would stay blocked whatever this list says). If the site is listed there by mistake,"
            + " tell the list's supplier.", "entry");
      }
    }
  }

  private CategoryConfig category(String list) {
    List<CategoryConfig> all = holder.compiled().config().categories();
    for (CategoryConfig c : all) {
      if (c.id().value().equals(list) && c.kind() != CategoryKind.MATRIX) {
        return c;
      }
    }
    throw ApiException.notFound("There is no school list '" + list + "' (the school's lists: " + all.stream()
        .filter(c -> c.kind() != CategoryKind.MATRIX).map(c -> c.id().value()).collect(Collectors.joining(", "))
        + ")");
  }

  private Path file(CategoryConfig c) {
    if (c.files().isEmpty()) {
      throw ApiException.conflict("no_list_file", howToEdit(c));
    }
    return c.files().get(0);
  }

  private String howToEdit(CategoryConfig c) {
    return c.id() + " has no list file to edit: add files: [lists/school/" + c.id() + ".txt] to categories."
        + c.id() + " in " + holder.policyFile().getFileName() + ", create that file (it may be empty) and reload";
  }

  private static Entries.Entry parse(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.invalid("entry", "Give a domain (example.com: the site and everything below it) or a"
          + " host/path prefix (example.com/games/).");
    }
    if (text.length() > 2000 || text.strip().contains(" ") || text.contains("#")) {
      throw ApiException.invalid("entry", "'" + abbreviate(text.strip()) + "' is not one domain or host/path"
          + " (expected: e.g. example.com or example.com/games/, no spaces or '#')");
    }
    try {
      return Entries.parseEntry(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("entry", e.getMessage());
    }
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw ApiException.invalid("reason", "Say why (e.g. \"used in Year 9 geography\"): it goes to the audit trail"
          + " and beside the entry in the list file.");
    }
    String one = reason.strip().replaceAll("\\s+", " ");
    if (one.length() > MAX_REASON) {
      throw ApiException.invalid("reason", "The reason has " + one.length() + " characters (expected: at most "
          + MAX_REASON + ")");
    }
    return one;
  }

  private static Entries.Entry entryOf(String line) {
    String text = line.strip();
    if (text.isEmpty() || text.charAt(0) == '#' || text.charAt(0) == '\uFEFF') {
      return null;
    }
    try {
      return Entries.parseEntry(ListFileReader.withoutTrailingComment(text));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Entry> entries(List<String> lines) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Entries.Entry e = entryOf(lines.get(i));
      if (e != null) {
        String text = lines.get(i).strip();
        String bare = ListFileReader.withoutTrailingComment(text);
        String note = bare.length() < text.length() ? text.substring(bare.length()).strip().substring(1).strip() : "";
        out.add(new Entry(e.text(), i + 1, note));
      }
    }
    return out;
  }

  private static List<String> read(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String join(List<String> lines) {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private String relative(Path file) {
    Path dir = holder.policyFile().toAbsolutePath().getParent();
    Path abs = file.toAbsolutePath();
    return dir != null && abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
