package org.schoolgate.policy.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.GroupId;

/**
 * What a response is, as one table over the four kinds of evidence: the URL path, the
 * {@code Content-Type}, the {@code Content-Disposition} file name and the first bytes. Every kind is
 * blocked here, so a row says what the detector told, and which evidence told it first.
 */
class FileTypesTest {
  private static final DownloadRules ALL = new DownloadRules(new GroupId("pupils"), FileKind.ALL);

  @ParameterizedTest(name = "{0} | {1} | {2} | {3} → {4} by {5}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
      # URL path               | Content-Type                      | Content-Disposition                                  | first bytes (hex, or 'text:...') | kind       | evidence
      /setup.exe               | application/octet-stream          | -                                                    | -                                | EXECUTABLE | URL
      /files/SETUP.EXE         | -                                 | -                                                    | -                                | EXECUTABLE | URL
      /tool.msi                | -                                 | -                                                    | -                                | INSTALLER  | URL
      /run.ps1                 | text/plain                        | -                                                    | -                                | SCRIPT     | URL
      /app.hta                 | -                                 | -                                                    | -                                | SCRIPT     | URL
      /game.jar                | -                                 | -                                                    | -                                | SCRIPT     | URL
      /ubuntu.iso              | -                                 | -                                                    | -                                | DISK_IMAGE | URL
      /homework.zip            | -                                 | -                                                    | -                                | ARCHIVE    | URL
      # a script every page loads, and a path ending in a domain, are not downloads by their URL
      /static/app.js           | application/javascript            | -                                                    | -                                | -          | -
      /go/www.example.com      | text/html                         | -                                                    | -                                | -          | -
      /photo.jpg               | image/jpeg                        | -                                                    | ffd8ffe000104a46494600           | -          | -
      /report.pdf              | application/pdf                   | -                                                    | text:%PDF-1.7                    | -          | -
      # the type
      /download                | application/x-msdownload          | -                                                    | -                                | EXECUTABLE | CONTENT_TYPE
      /download                | Application/X-MSI; charset=binary | -                                                    | -                                | INSTALLER  | CONTENT_TYPE
      /download                | application/x-apple-diskimage     | -                                                    | -                                | DISK_IMAGE | CONTENT_TYPE
      /download                | application/java-archive          | -                                                    | -                                | SCRIPT     | CONTENT_TYPE
      # the disposition's file name: filename* (RFC 8187) before filename, paths and Windows' trailing dots dropped
      /download                | application/octet-stream          | attachment; filename*=UTF-8''setup.msi               | -                                | INSTALLER  | DISPOSITION
      /download                | application/octet-stream          | attachment; filename="notes.txt"; filename*=UTF-8''%E2%82%AC%20run.bat | -              | SCRIPT     | DISPOSITION
      /download                | application/octet-stream          | attachment; filename="a;b.vbs"                       | -                                | SCRIPT     | DISPOSITION
      /download                | application/octet-stream          | attachment; filename=..\\evil.exe.                   | -                                | EXECUTABLE | DISPOSITION
      /download                | text/javascript                   | attachment; filename="invoice.js"                    | -                                | SCRIPT     | DISPOSITION
      /download                | application/octet-stream          | inline; filename="report.pdf"                        | text:%PDF-1.4                    | -          | -
      /setup.exe               | application/x-msdownload          | attachment; filename="setup.msi"                     | -                                | INSTALLER  | DISPOSITION
      # the first bytes: a program renamed and retyped is caught
      /holiday.jpg             | image/jpeg                        | -                                                    | PE                               | EXECUTABLE | BYTES
      /holiday.jpg             | image/jpeg                        | -                                                    | text:MZ but not a program, just text that starts so and goes on past sixty-four bytes | - | -
      /x                       | application/octet-stream          | -                                                    | 7f454c460201010000               | EXECUTABLE | BYTES
      /x                       | application/octet-stream          | -                                                    | cffaedfe07000001                 | EXECUTABLE | BYTES
      /x                       | application/octet-stream          | -                                                    | cafebabe00000002                 | EXECUTABLE | BYTES
      /Main.class              | application/octet-stream          | -                                                    | cafebabe00000041                 | -          | -
      /x                       | application/octet-stream          | -                                                    | d0cf11e0a1b11ae1                 | INSTALLER  | BYTES
      /old-essay.doc           | application/octet-stream          | -                                                    | d0cf11e0a1b11ae1                 | -          | -
      /x                       | application/msword                | -                                                    | d0cf11e0a1b11ae1                 | -          | -
      /x                       | application/octet-stream          | -                                                    | zip:META-INF/MANIFEST.MF         | SCRIPT     | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:AndroidManifest.xml          | INSTALLER  | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:word/document.xml            | -          | -
      /x                       | application/octet-stream          | -                                                    | zip:[Content_Types].xml          | -          | -
      /x                       | application/octet-stream          | -                                                    | zip:photos/1.jpg                 | ARCHIVE    | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:setup.exe                    | EXECUTABLE | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:Game/Launcher.EXE.           | EXECUTABLE | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:install.msi                  | INSTALLER  | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:run.bat                      | SCRIPT     | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:game.iso                     | DISK_IMAGE | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:inner.zip                    | ARCHIVE    | BYTES
      /x                       | application/octet-stream          | -                                                    | zip:notes/readme.txt             | ARCHIVE    | BYTES
      /x                       | text/plain                        | -                                                    | text:#!/bin/sh                   | SCRIPT     | BYTES
      /x                       | text/plain                        | -                                                    | text:# heading                   | -          | -
      /x                       | application/octet-stream          | -                                                    | 526172211a0700                   | ARCHIVE    | BYTES
      """)
  void theFirstEvidenceOfABlockedKindDecides(String path, String type, String disposition, String bytes,
      FileKind kind, Evidence evidence) {
    Optional<Detected> found = FileTypes.ofHeaders(path, type, disposition, ALL);
    if (found.isEmpty() && bytes != null) {
      byte[] b = bytes(bytes);
      int len = b.length;
      assertThat(FileTypes.bytesNeeded(b, len)).as("enough bytes to decide").isLessThanOrEqualTo(len);
      String name = disposition != null ? FileTypes.fileName(disposition) : path;
      found = FileTypes.ofBytes(b, len, type, name, ALL);
    }
    assertThat(found.map(Detected::kind).orElse(null)).as(found.toString()).isEqualTo(kind);
    assertThat(found.map(Detected::evidence).orElse(null)).isEqualTo(evidence);
  }

  @Test
  void onlyTheKindsAGroupBlocksAreTold() {
    DownloadRules scripts = new DownloadRules(new GroupId("ks2"), List.of(FileKind.SCRIPT));
    assertThat(FileTypes.ofHeaders("/setup.exe", "application/x-msdownload", null, scripts)).isEmpty();
    assertThat(FileTypes.ofHeaders("/setup.exe", null, "attachment; filename=run.bat", scripts))
        .get().extracting(Detected::kind).isEqualTo(FileKind.SCRIPT);
    assertThat(FileTypes.ofBytes(bytes("PE"), 256, "image/jpeg", "/a.jpg", scripts)).isEmpty();
    assertThat(scripts.needsBytes()).isTrue();
    assertThat(new DownloadRules(new GroupId("x"), List.of(FileKind.DISK_IMAGE)).needsBytes()).isFalse();
  }

  @Test
  void aZipThatStartsWithAProgramIsThatProgramForAGroupThatAllowsArchives() {
    DownloadRules pupils = new DownloadRules(new GroupId("ks3-4"),
        List.of(FileKind.EXECUTABLE, FileKind.INSTALLER, FileKind.SCRIPT, FileKind.DISK_IMAGE));
    assertThat(FileTypes.ofHeaders("/homework.zip", "application/zip", "attachment; filename=homework.zip", pupils))
        .as("an archive is allowed by its headers").isEmpty();
    byte[] game = bytes("zip:game.exe");
    assertThat(FileTypes.bytesNeeded(game, game.length)).isLessThanOrEqualTo(game.length);
    assertThat(FileTypes.ofBytes(game, game.length, "application/zip", "homework.zip", pupils)).get()
        .satisfies(d -> assertThat(d.kind()).isEqualTo(FileKind.EXECUTABLE))
        .satisfies(d -> assertThat(d.detail()).isEqualTo("a ZIP whose first entry is a .exe file (executable)"));
    byte[] photos = bytes("zip:photos/1.jpg");
    assertThat(FileTypes.ofBytes(photos, photos.length, "application/zip", "homework.zip", pupils)).isEmpty();
  }

  @Test
  void aProgramsSignatureIsWaitedForUpToThePeek() {
    byte[] pe = bytes("PE");
    assertThat(FileTypes.bytesNeeded(pe, 1)).isEqualTo(2);
    assertThat(FileTypes.bytesNeeded(pe, 2)).isEqualTo(64);
    assertThat(FileTypes.bytesNeeded(pe, 64)).isEqualTo(0x80 + 4); // e_lfanew points at 0x80
    assertThat(FileTypes.bytesNeeded("<html>".getBytes(StandardCharsets.US_ASCII), 6)).isEqualTo(1);
    assertThat(FileTypes.bytesNeeded(new byte[0], 0)).isEqualTo(1);
    byte[] please = "Please read the notice".getBytes(StandardCharsets.US_ASCII);
    assertThat(FileTypes.bytesNeeded(please, 1)).as("P could start a ZIP").isEqualTo(2);
    assertThat(FileTypes.bytesNeeded(please, 2)).as("Pl cannot").isEqualTo(2);
    byte[] zip = bytes("zip:photos/1.jpg");
    assertThat(FileTypes.bytesNeeded(zip, 2)).isEqualTo(30);
    assertThat(FileTypes.bytesNeeded(zip, 30)).as("the first entry's name").isEqualTo(30 + "photos/1.jpg".length());
  }

  @Test
  void dispositionFileNamesAreReadAsRfc6266Says() {
    assertThat(FileTypes.fileName("attachment; filename*=UTF-8''%C5%82%C3%B3d%C5%BA.exe")).isEqualTo("łódź.exe");
    assertThat(FileTypes.fileName("attachment; filename*=iso-8859-1'en'caf%E9.msi")).isEqualTo("café.msi");
    assertThat(FileTypes.fileName("attachment; filename*=UTF-8''bad%ZZ.exe; filename=\"fallback.bat\""))
        .as("an unreadable filename* falls back to filename").isEqualTo("fallback.bat");
    assertThat(FileTypes.fileName("attachment; filename=\"quo\\\"ted.cmd\"")).isEqualTo("quo\"ted.cmd");
    assertThat(FileTypes.fileName("attachment")).isNull();
    assertThat(FileTypes.fileName("attachment; filename=\"C:\\\\Users\\\\x\\\\run.vbs\"")).isEqualTo("run.vbs");
  }

  /** Hex; {@code text:...}; {@code PE} (a minimal Windows program head); {@code zip:<first entry name>}. */
  private static byte[] bytes(String spec) {
    if (spec.equals("PE")) {
      byte[] b = new byte[256];
      b[0] = 'M';
      b[1] = 'Z';
      b[0x3C] = (byte) 0x80;
      b[0x80] = 'P';
      b[0x81] = 'E';
      return b;
    }
    if (spec.startsWith("text:")) {
      return spec.substring(5).getBytes(StandardCharsets.UTF_8);
    }
    if (spec.startsWith("zip:")) {
      byte[] name = spec.substring(4).getBytes(StandardCharsets.UTF_8);
      byte[] b = new byte[30 + name.length + 16];
      b[0] = 'P';
      b[1] = 'K';
      b[2] = 3;
      b[3] = 4;
      b[26] = (byte) name.length;
      System.arraycopy(name, 0, b, 30, name.length);
      return b;
    }
    return HexFormat.of().parseHex(spec);
  }
}
