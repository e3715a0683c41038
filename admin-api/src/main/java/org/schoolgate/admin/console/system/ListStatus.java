package org.schoolgate.admin.console.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.schoolgate.admin.console.Times;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.compile.CategoryLoad;
import org.schoolgate.policy.compile.PolicyWithUnblocks;
import org.schoolgate.policy.model.ListSource;

/**
 * The category lists of the policy in force, as the lists page and {@code GET /api/v1/lists} show
 * them: per list, its format and download URL, when its files last changed on disk (a list update
 * replaces them), and the entries and invalid lines read at the last compile, with the first
 * invalid lines. Reading file times is disk I/O: admin threads only.
 */
public record ListStatus(String compiledAt, long entries, List<ListInfo> lists) {

  /** One list. {@code lastUpdate} is empty when its files are missing. */
  public record ListInfo(String name, String format, String url, boolean required, String lastUpdate,
      int entries, int invalid, int files, List<String> categories, List<String> firstInvalid) {}

  public static ListStatus of(PolicySnapshot snapshot) {
    PolicyWithUnblocks p = (PolicyWithUnblocks) snapshot;
    ZoneId zone = snapshot.timezone();
    Map<String, List<CategoryLoad>> byList = new LinkedHashMap<>();
    for (ListSource source : p.compiled().config().lists()) {
      byList.put(source.name(), new ArrayList<>());
    }
    List<CategoryLoad> inline = new ArrayList<>();
    for (CategoryLoad load : p.compiled().loads()) {
      String list = load.source().contains("/") ? load.source().substring(0, load.source().indexOf('/')) : null;
      byList.getOrDefault(list, inline).add(load);
    }
    List<ListInfo> infos = new ArrayList<>();
    for (ListSource source : p.compiled().config().lists()) {
      infos.add(info(source.name(), source.format().toString().toLowerCase(java.util.Locale.ROOT),
          source.url() == null ? "" : source.url().toString(), source.required(), byList.get(source.name()), zone));
    }
    if (!inline.isEmpty()) {
      infos.add(info("(the policy's own entries and files)", "inline", "", true, inline, zone));
    }
    return new ListStatus(Times.when(snapshot.compiledAt(), zone), snapshot.entryCount(), infos);
  }

  private static ListInfo info(String name, String format, String url, boolean required, List<CategoryLoad> loads,
      ZoneId zone) {
    int entries = 0;
    int invalid = 0;
    Instant newest = null;
    TreeSet<String> categories = new TreeSet<>();
    List<String> firstInvalid = new ArrayList<>();
    for (CategoryLoad l : loads) {
      entries += l.stats().entries();
      invalid += l.stats().invalid();
      categories.add(l.category().value());
      for (Object line : l.firstInvalid()) {
        if (firstInvalid.size() < 10) {
          firstInvalid.add(String.valueOf(line));
        }
      }
      Path file = l.stats().file();
      try {
        if (file != null && Files.exists(file)) {
          Instant t = Files.getLastModifiedTime(file).toInstant();
          newest = newest == null || t.isAfter(newest) ? t : newest;
        }
      } catch (IOException e) {
        // an unreadable time shows as unknown
      }
    }
    return new ListInfo(name, format, url, required, newest == null ? "" : Times.when(newest, zone), entries, invalid,
        loads.size(), List.copyOf(categories), firstInvalid);
  }
}
