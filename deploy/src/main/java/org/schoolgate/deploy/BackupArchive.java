package org.schoolgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The backup file: a gzipped tar whose first entry, {@code manifest.json}, lists every other
 * entry with its role ({@code database}, {@code policy}, {@code list}, {@code certificate},
 * {@code key}, {@code pkcs12}, {@code password-file}, {@code config}) and SHA-256, plus the
 * format, the time and the database kind. Written to a temporary file created owner-only (the CA
 * key and the password hashes are inside) and moved into place whole; read back into a directory
 * with every entry's hash checked and every name kept inside that directory.
 */
final class BackupArchive {
  static final String MANIFEST = "manifest.json";
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file in the archive: its name there, its role, where it is read from (or was read to). */
  record Item(String name, String role, Path file) {}

  /** What an archive holds: its manifest fields and the items, extracted. */
  record Contents(Instant created, String database, List<Item> items) {
    List<Item> withRole(String role) {
      return items.stream().filter(i -> i.role().equals(role)).toList();
    }
  }

  private BackupArchive() {}

  /** Writes {@code items} to {@code target} (replaced whole only once complete). */
  static void write(Path target, Instant created, String database, List<Item> items) throws IOException {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT).put("created", created.toString()).put("database", database);
    ArrayNode files = manifest.putArray("files");
    for (Item item : items) {
      files.addObject().put("name", item.name()).put("role", item.role()).put("sha256", sha256(item.file()));
    }
    Path temp = target.resolveSibling(target.getFileName() + ".partial");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING));
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] m = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
      TarArchiveEntry me = new TarArchiveEntry(MANIFEST);
      me.setSize(m.length);
      me.setMode(0600);
      tar.putArchiveEntry(me);
      tar.write(m);
      tar.closeArchiveEntry();
      for (Item item : items) {
        TarArchiveEntry e = new TarArchiveEntry(item.name());
        e.setSize(Files.size(item.file()));
        e.setMode(0600);
        tar.putArchiveEntry(e);
        Files.copy(item.file(), tar);
        tar.closeArchiveEntry();
      }
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Extracts {@code archive} into the (empty, owner-only) directory {@code into}, checking the
   * manifest's format and every file's hash.
   *
   * @throws IOException with a sentence saying what is wrong with the file
   */
  static Contents read(Path archive, Path into) throws IOException {
    JsonNode manifest = null;
    Map<String, String> hashes = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
        GzipCompressorInputStream gz = new GzipCompressorInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (manifest == null) {
          if (!e.getName().equals(MANIFEST)) {
            throw new IOException(archive + " is not a Schoolgate backup: its first entry is " + e.getName()
                + " (expected: " + MANIFEST + ")");
          }
          manifest = JSON.readTree(tar.readAllBytes());
          continue;
        }
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into) || e.isDirectory() || e.isSymbolicLink() || e.isLink()) {
          throw new IOException(archive + ": entry " + e.getName() + " is not a plain file inside the backup");
        }
        Files.createDirectories(target.getParent());
        MessageDigest digest = sha();
        try (OutputStream out = Files.newOutputStream(target)) {
          new DigestInputStream(tar, digest).transferTo(out);
        }
        hashes.put(e.getName(), HexFormat.of().formatHex(digest.digest()));
      }
    } catch (IOException e) {
      throw new IOException("cannot read the backup " + archive + ": " + e.getMessage(), e);
    }
    if (manifest == null || manifest.path("format").asInt() != FORMAT) {
      throw new IOException(archive + " is not a Schoolgate backup of format " + FORMAT
          + (manifest == null ? " (it is empty)" : " (it says format " + manifest.path("format") + ")"));
    }
    List<Item> items = new ArrayList<>();
    for (JsonNode f : manifest.path("files")) {
      String name = f.path("name").asText();
      String hash = hashes.remove(name);
      if (hash == null) {
        throw new IOException(archive + ": " + name + " is in the manifest but not in the backup (the file is cut short?)");
      }
      if (!hash.equals(f.path("sha256").asText())) {
        throw new IOException(archive + ": " + name + " does not match its SHA-256 in the manifest (the file is damaged)");
      }
      items.add(new Item(name, f.path("role").asText(), into.resolve(name)));
    }
    if (!hashes.isEmpty()) {
      throw new IOException(archive + ": " + hashes.keySet() + " are not in the manifest");
    }
    return new Contents(Instant.parse(manifest.path("created").asText()), manifest.path("database").asText(), items);
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
