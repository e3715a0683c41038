package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditEntry;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.AuditTrail.Query;
import org.schoolgate.store.AuditTrail.Verification;
import org.schoolgate.store.StoreException;

class AuditTrailTest {
  private static final Actor TECH = new Actor(null, "tech.tom", "10.1.0.5");

  @DatabaseTest
  void appendChainsEachRecordToThePreviousOne(TestDatabase db) {
    AuditTrail audit = db.store().audit();

    AuditRecord first = audit.append(new AuditEntry("policy.reloaded", Actor.system("sighup"), "policy", "", null,
        "{\"version\":2}"));
    db.clock().advance(Duration.ofSeconds(1));
    AuditRecord second = audit.append(new AuditEntry("lists.updated", TECH, "lists", "nightly", "a", "b"));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo("0".repeat(64));
    assertThat(first.hash()).matches("[0-9a-f]{64}");
    assertThat(first.at()).isEqualTo(TestDatabase.START);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.address()).isEqualTo("10.1.0.5");
    assertThat(audit.query(Query.all())).containsExactly(first, second);
    assertThat(audit.verify()).isEqualTo(new Verification.Valid(2, second.hash()));
  }

  @DatabaseTest
  void concurrentAppendsFromManyThreadsAndTwoNodesFormOneValidChain(TestDatabase db) throws Exception {
    int threads = 6;
    int perThread = 25;
    try (JdbcStore otherNode = JdbcStore.open(db.config(), db.clock(), TestDatabase.FAST_HASHER)) {
      List<List<AuditRecord>> appended = Concurrently.run(threads, t -> {
        AuditTrail audit = (t % 2 == 0 ? db.store() : otherNode).audit();
        List<AuditRecord> mine = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          mine.add(audit.append(new AuditEntry("test.burst", TECH, "thread:" + t, "append " + i, null, null)));
        }
        return mine;
      });

      List<Long> seqs = appended.stream().flatMap(List::stream).map(AuditRecord::seq).sorted()
          .collect(Collectors.toList());
      assertThat(seqs).containsExactlyElementsOf(
          LongStream.rangeClosed(1, threads * perThread).boxed().collect(Collectors.toList()));
      Verification result = db.store().audit().verify();
      assertThat(result).isInstanceOf(Verification.Valid.class);
      assertThat(((Verification.Valid) result).records()).isEqualTo(threads * perThread);
    }
  }

  @DatabaseTest
  void queryFiltersByTimeActorTypePrefixAndPages(TestDatabase db) {
    AuditTrail audit = db.store().audit();
    Instant t0 = TestDatabase.START;
    audit.append(new AuditEntry("unblock.requested", TECH, "unblock:1", "", null, null));
    db.clock().advance(Duration.ofMinutes(1));
    audit.append(new AuditEntry("login", new Actor(null, "alice", null), "account:alice", "", null, null));
    db.clock().advance(Duration.ofMinutes(1));
    audit.append(new AuditEntry("login.failed", new Actor(null, "alice", null), "account:alice", "", null, null));
    db.clock().advance(Duration.ofMinutes(1));
    audit.append(new AuditEntry("unblock.approved", TECH, "unblock:1", "", null, null));
    audit.append(new AuditEntry("unblocked", TECH, "x", "", null, null));

    assertThat(seqs(audit.query(new Query(null, null, null, "unblock.", 0, 100)))).containsExactly(1L, 4L);
    assertThat(seqs(audit.query(new Query(null, null, null, "login", 0, 100)))).containsExactly(2L, 3L);
    assertThat(seqs(audit.query(new Query(null, null, "alice", null, 0, 100)))).containsExactly(2L, 3L);
    assertThat(seqs(audit.query(new Query(t0.plusSeconds(60), t0.plusSeconds(180), null, null, 0, 100))))
        .containsExactly(2L, 3L);
    assertThat(seqs(audit.query(new Query(null, null, null, null, 2, 2)))).containsExactly(3L, 4L);
    assertThat(seqs(audit.query(new Query(null, null, "tech.tom", "unblock", 1, 100)))).containsExactly(4L, 5L);
    assertThat(audit.query(new Query(null, null, null, "%", 0, 100))).isEmpty();
    assertThatThrownBy(() -> audit.query(new Query(null, null, null, null, 0, 0)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.field()).isEqualTo("limit"));
  }

  @DatabaseTest
  void csvExportHasAHeaderAndParsesBackToTheSameRecords(TestDatabase db) {
    AuditTrail audit = db.store().audit();
    audit.append(new AuditEntry("unblock.approved", TECH, "unblock:1", "ok, \"fine\"\r\nsecond line", null,
        "{\"target\":\"domain:a.com\",\"reason\":\"a, b\"}"));
    audit.append(new AuditEntry("history.viewed", new Actor(null, "dsl.dee", null), "pupil:Zoë Ä", "", "", null));
    audit.append(new AuditEntry("login.failed", new Actor(null, "=HYPERLINK(\"http://evil\")", "10.0.0.1"),
        "account:x", "-2+3", null, "@SUM(A1)"));
    StringWriter out = new StringWriter();

    audit.exportCsv(Query.all(), out);

    List<List<String>> rows = Csv.parse(out.toString());
    assertThat(out.toString()).endsWith("\r\n");
    assertThat(rows.get(0)).containsExactly("seq", "at", "type", "actor", "address", "target", "reason", "before",
        "after", "prev_hash", "hash", "node");
    List<AuditRecord> records = audit.query(Query.all());
    assertThat(rows).hasSize(records.size() + 1);
    for (int i = 0; i < records.size(); i++) {
      AuditRecord r = records.get(i);
      assertThat(rows.get(i + 1)).containsExactly(Long.toString(r.seq()), r.at().toString(), r.type(),
          defused(r.actor()), blank(r.address()), r.target(), defused(r.reason()), blank(r.before()),
          defused(blank(r.after())), r.prevHash(), r.hash(), blank(r.node()));
    }
  }

  @DatabaseTest
  void csvCellsThatASpreadsheetWouldRunAsFormulasArePrefixedWithAQuote(TestDatabase db) {
    db.store().audit().append(new AuditEntry("login.failed", new Actor(null, "=cmd|' /C calc'!A0", null),
        "account:x", "+1", null, null));
    StringWriter out = new StringWriter();

    db.store().audit().exportCsv(Query.all(), out);

    List<String> row = Csv.parse(out.toString()).get(1);
    assertThat(row.get(3)).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(row.get(6)).isEqualTo("'+1");
  }

  /** What the export writes for a text a spreadsheet would run. */
  private static String defused(String s) {
    return s.isEmpty() || "=+-@\t\r".indexOf(s.charAt(0)) < 0 ? s : "'" + s;
  }

  private static String blank(String s) {
    return s == null ? "" : s;
  }

  private static List<Long> seqs(List<AuditRecord> records) {
    return records.stream().map(AuditRecord::seq).collect(Collectors.toList());
  }

  /** A strict RFC 4180 reader for the test. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '"' && field.length() == 0) {
          i++;
          while (true) {
            char q = text.charAt(i);
            if (q == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else if (q == '"') {
              i++;
              break;
            } else {
              field.append(q);
              i++;
            }
          }
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
          i++;
        } else if (c == '\r' && text.charAt(i + 1) == '\n') {
          row.add(field.toString());
          field.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
          i += 2;
        } else if (c == '"' || c == '\n' || c == '\r') {
          throw new IllegalArgumentException("not RFC 4180 at offset " + i + ": " + Arrays.toString(new char[] {c}));
        } else {
          field.append(c);
          i++;
        }
      }
      if (!row.isEmpty() || field.length() > 0) {
        throw new IllegalArgumentException("last line does not end with CRLF");
      }
      return rows;
    }
  }
}
