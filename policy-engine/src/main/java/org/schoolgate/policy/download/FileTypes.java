package org.schoolgate.policy.download;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells what kind of file a response is, from four pieces of evidence, each a table or a few byte
 * comparisons (no regular expressions):
 * <ul>
 *   <li>the {@code Content-Disposition} file name (RFC 6266: {@code filename*} — RFC 8187
 *       {@code charset'lang'percent-encoded} — before {@code filename}; a path's last part;
 *       Windows drops trailing dots and spaces, so do we);
 *   <li>the {@code Content-Type}'s media type;
 *   <li>the URL path's last segment, for extensions that are not ordinary web content
 *       ({@code .js} and {@code .com} only count as a file name: every page loads scripts, and
 *       paths end in domain names);
 *   <li>the body's first bytes ({@link #ofBytes}): PE ({@code MZ} with the {@code PE\0\0}
 *       signature where {@code e_lfanew} points, within {@link #PEEK} bytes), ELF, Mach-O thin
 *       and fat ({@code CAFEBABE} with a small architecture count; a Java class file has a
 *       version there), OLE storage (Windows Installer; an Office 97 document's name or type
 *       excuses it), ZIP (a Java archive when its first entry is under {@code META-INF/}, an
 *       Android package for {@code AndroidManifest.xml}, an Office/ODF/EPUB document left
 *       alone, and the kind of its first entry when that entry's name is a program, installer,
 *       script or disk image, e.g. {@code setup.exe}: the first entry's name is in the first bytes,
 *       the others are not, so a program further in is only an archive), RAR, 7-Zip, gzip, CAB,
 *       xar, and {@code #!/} scripts. A group that blocks archives but not programs (none of the
 *       sample's does) would let a ZIP that starts with a program through.
 * </ul>
 * Header checks allocate nothing unless they find something (or the disposition is percent-encoded).
 * Bodies with a {@code Content-Encoding} are judged by their headers only (their first bytes are
 * the coding's).
 */
public final class FileTypes {
  /** The most body bytes {@link #ofBytes} reads (and the proxy holds) to decide. */
  public static final int PEEK = 1024;

  private record Ext(String ext, FileKind kind, boolean byUrl) {}

  private record Type(String type, FileKind kind) {}

  private static final Ext[] EXTENSIONS = {
      new Ext("exe", FileKind.EXECUTABLE, true), new Ext("dll", FileKind.EXECUTABLE, true),
      new Ext("scr", FileKind.EXECUTABLE, true), new Ext("pif", FileKind.EXECUTABLE, true),
      new Ext("cpl", FileKind.EXECUTABLE, true), new Ext("com", FileKind.EXECUTABLE, false),
      new Ext("msi", FileKind.INSTALLER, true), new Ext("msp", FileKind.INSTALLER, true),
      new Ext("msix", FileKind.INSTALLER, true), new Ext("msixbundle", FileKind.INSTALLER, true),
      new Ext("appx", FileKind.INSTALLER, true), new Ext("appxbundle", FileKind.INSTALLER, true),
      new Ext("pkg", FileKind.INSTALLER, true), new Ext("mpkg", FileKind.INSTALLER, true),
      new Ext("apk", FileKind.INSTALLER, true), new Ext("deb", FileKind.INSTALLER, true),
      new Ext("rpm", FileKind.INSTALLER, true),
      new Ext("bat", FileKind.SCRIPT, true), new Ext("cmd", FileKind.SCRIPT, true),
      new Ext("ps1", FileKind.SCRIPT, true), new Ext("psm1", FileKind.SCRIPT, true),
      new Ext("vbs", FileKind.SCRIPT, true), new Ext("vbe", FileKind.SCRIPT, true),
      new Ext("js", FileKind.SCRIPT, false), new Ext("jse", FileKind.SCRIPT, true),
      new Ext("wsf", FileKind.SCRIPT, true), new Ext("wsh", FileKind.SCRIPT, true),
      new Ext("hta", FileKind.SCRIPT, true), new Ext("jar", FileKind.SCRIPT, true),
      new Ext("reg", FileKind.SCRIPT, true), new Ext("lnk", FileKind.SCRIPT, true),
      new Ext("sh", FileKind.SCRIPT, true),
      new Ext("iso", FileKind.DISK_IMAGE, true), new Ext("dmg", FileKind.DISK_IMAGE, true),
      new Ext("vhd", FileKind.DISK_IMAGE, true), new Ext("vhdx", FileKind.DISK_IMAGE, true),
      new Ext("img", FileKind.DISK_IMAGE, false),
      new Ext("zip", FileKind.ARCHIVE, true), new Ext("rar", FileKind.ARCHIVE, true),
      new Ext("7z", FileKind.ARCHIVE, true), new Ext("gz", FileKind.ARCHIVE, true),
      new Ext("tgz", FileKind.ARCHIVE, true), new Ext("tar", FileKind.ARCHIVE, true),
      new Ext("cab", FileKind.ARCHIVE, true), new Ext("bz2", FileKind.ARCHIVE, true),
      new Ext("xz", FileKind.ARCHIVE, true),
  };

  private static final Type[] TYPES = {
      new Type("application/x-msdownload", FileKind.EXECUTABLE),
      new Type("application/x-msdos-program", FileKind.EXECUTABLE),
      new Type("application/x-dosexec", FileKind.EXECUTABLE),
      new Type("application/vnd.microsoft.portable-executable", FileKind.EXECUTABLE),
      new Type("application/x-executable", FileKind.EXECUTABLE),
      new Type("application/x-elf", FileKind.EXECUTABLE),
      new Type("application/x-mach-binary", FileKind.EXECUTABLE),
      new Type("application/x-exe", FileKind.EXECUTABLE),
      new Type("application/exe", FileKind.EXECUTABLE),
      new Type("application/x-msi", FileKind.INSTALLER),
      new Type("application/x-ms-installer", FileKind.INSTALLER),
      new Type("application/vnd.android.package-archive", FileKind.INSTALLER),
      new Type("application/vnd.debian.binary-package", FileKind.INSTALLER),
      new Type("application/x-debian-package", FileKind.INSTALLER),
      new Type("application/x-rpm", FileKind.INSTALLER),
      new Type("application/x-bat", FileKind.SCRIPT),
      new Type("application/bat", FileKind.SCRIPT),
      new Type("application/x-sh", FileKind.SCRIPT),
      new Type("application/x-shellscript", FileKind.SCRIPT),
      new Type("text/x-shellscript", FileKind.SCRIPT),
      new Type("application/hta", FileKind.SCRIPT),
      new Type("text/vbscript", FileKind.SCRIPT),
      new Type("application/java-archive", FileKind.SCRIPT),
      new Type("application/x-java-archive", FileKind.SCRIPT),
      new Type("application/x-iso9660-image", FileKind.DISK_IMAGE),
      new Type("application/x-apple-diskimage", FileKind.DISK_IMAGE),
      new Type("application/zip", FileKind.ARCHIVE),
      new Type("application/x-zip-compressed", FileKind.ARCHIVE),
      new Type("application/x-rar-compressed", FileKind.ARCHIVE),
      new Type("application/vnd.rar", FileKind.ARCHIVE),
      new Type("application/x-7z-compressed", FileKind.ARCHIVE),
      new Type("application/gzip", FileKind.ARCHIVE),
      new Type("application/x-gzip", FileKind.ARCHIVE),
      new Type("application/x-tar", FileKind.ARCHIVE),
      new Type("application/vnd.ms-cab-compressed", FileKind.ARCHIVE),
      new Type("application/x-bzip2", FileKind.ARCHIVE),
      new Type("application/x-xz", FileKind.ARCHIVE),
  };

  /** Extensions of Office 97 (OLE storage) documents, which are not installers. */
  private static final String[] OLE_DOCUMENTS = {"doc", "dot", "xls", "xlt", "ppt", "pps", "pot", "msg", "pub", "vsd"};

  private FileTypes() {}

  /**
   * The first thing the headers tell that {@code rules} blocks, looking at the disposition's file
   * name, then the type, then the URL path; empty when they tell nothing blocked.
   *
   * @param urlPath the request's path (no query), or null
   * @param contentType the response's {@code Content-Type}, or null
   * @param disposition the response's {@code Content-Disposition}, or null
   */
  public static Optional<Detected> ofHeaders(String urlPath, String contentType, String disposition,
      DownloadRules rules) {
    if (disposition != null) {
      String name = fileName(disposition);
      if (name != null) {
        Ext e = extension(name, false);
        if (e != null && rules.blocks(e.kind)) {
          return Optional.of(new Detected(e.kind, Evidence.DISPOSITION, "file name '" + name + "'"));
        }
      }
    }
    if (contentType != null) {
      Type t = type(contentType);
      if (t != null && rules.blocks(t.kind)) {
        return Optional.of(new Detected(t.kind, Evidence.CONTENT_TYPE, t.type));
      }
    }
    if (urlPath != null) {
      Ext e = extension(urlPath, true);
      if (e != null && rules.blocks(e.kind)) {
        return Optional.of(new Detected(e.kind, Evidence.URL, "path ending ." + e.ext));
      }
    }
    return Optional.empty();
  }

  /**
   * How many of a body's first bytes {@link #ofBytes} needs to decide, given the {@code len}
   * read so far (at most {@link #PEEK}; {@code len} or less once it can decide).
   */
  public static int bytesNeeded(byte[] b, int len) {
    if (len < 1) {
      return 1;
    }
    int need = switch (b[0] & 0xFF) {
      case 'M' -> len < 2 ? 2 : b[1] == 'Z' ? peNeeded(b, len) : b[1] == 'S' ? 8 : 2;
      case 0x7F, 0xFE, 0xCE, 0xCF -> 4;
      case 'x' -> len < 2 ? 2 : b[1] != 'a' ? 2 : 4;
      case 0xCA, 0xD0 -> 8;
      // the second byte tells most text apart at once (a page starting "Please" is not held)
      case 'P' -> len < 2 ? 2 : b[1] != 'K' ? 2 : len < 30 ? 30 : 30 + u16(b, 26);
      case 'R' -> len < 2 ? 2 : b[1] != 'a' ? 2 : 7;
      case '7' -> len < 2 ? 2 : b[1] != 'z' ? 2 : 6;
      case '#' -> len < 2 ? 2 : b[1] != '!' ? 2 : 3;
      case 0x1F -> 3;
      default -> 1;
    };
    return Math.min(need, PEEK);
  }

  private static int peNeeded(byte[] b, int len) {
    if (len < 64) {
      return 64;
    }
    long lfanew = u32(b, 0x3C);
    return lfanew >= 0x40 && lfanew <= PEEK - 4 ? (int) lfanew + 4 : 64;
  }

  /**
   * What a body's first {@code len} bytes are, when they are one of the kinds this class knows
   * and {@code rules} blocks; empty otherwise.
   *
   * @param contentType the response's type (an Office document's excuses OLE and ZIP), or null
   * @param name the disposition's file name or the URL path (likewise), or null
   */
  public static Optional<Detected> ofBytes(byte[] b, int len, String contentType, String name, DownloadRules rules) {
    Detected d = magic(b, Math.min(len, b.length), contentType, name);
    return d != null && rules.blocks(d.kind()) ? Optional.of(d) : Optional.empty();
  }

  private static Detected magic(byte[] b, int len, String type, String name) {
    if (len < 2) {
      return null;
    }
    if (starts(b, len, 'M', 'Z')) {
      long lfanew = len >= 64 ? u32(b, 0x3C) : -1;
      if (lfanew >= 0x40 && lfanew + 4 <= len && at(b, len, (int) lfanew, 'P', 'E', 0, 0)) {
        return bytes(FileKind.EXECUTABLE, "starts with MZ and has the PE signature (a Windows program)");
      }
      return null;
    }
    if (starts(b, len, 0x7F, 'E', 'L', 'F')) {
      return bytes(FileKind.EXECUTABLE, "starts with 7F 'ELF' (a Linux program)");
    }
    if (starts(b, len, 0xFE, 0xED, 0xFA, 0xCE) || starts(b, len, 0xFE, 0xED, 0xFA, 0xCF)
        || starts(b, len, 0xCE, 0xFA, 0xED, 0xFE) || starts(b, len, 0xCF, 0xFA, 0xED, 0xFE)) {
      return bytes(FileKind.EXECUTABLE, "starts with a Mach-O header (a macOS program)");
    }
    if (starts(b, len, 0xCA, 0xFE, 0xBA, 0xBE) && len >= 8) {
      long archs = u32be(b, 4);
      return archs >= 1 && archs < 45 ? bytes(FileKind.EXECUTABLE, "starts with a universal Mach-O header (a macOS program)")
          : null; // 45 and up: a Java class file's version
    }
    if (starts(b, len, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      if (officeType(type) || hasExtension(name, OLE_DOCUMENTS)) {
        return null;
      }
      return bytes(FileKind.INSTALLER, "starts with D0 CF 11 E0 (OLE storage, as Windows Installer packages)");
    }
    if (starts(b, len, 'P', 'K', 3, 4)) {
      return zip(b, len, type);
    }
    if (starts(b, len, 'R', 'a', 'r', '!', 0x1A, 0x07)) {
      return bytes(FileKind.ARCHIVE, "starts with 'Rar!' (a RAR archive)");
    }
    if (starts(b, len, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
      return bytes(FileKind.ARCHIVE, "starts with '7z' (a 7-Zip archive)");
    }
    if (starts(b, len, 0x1F, 0x8B, 0x08)) {
      return bytes(FileKind.ARCHIVE, "starts with 1F 8B (a gzip file)");
    }
    if (starts(b, len, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) {
      return bytes(FileKind.ARCHIVE, "starts with 'MSCF' (a Windows cabinet)");
    }
    if (starts(b, len, 'x', 'a', 'r', '!')) {
      return bytes(FileKind.INSTALLER, "starts with 'xar!' (a macOS installer package)");
    }
    if (starts(b, len, '#', '!', '/')) {
      return bytes(FileKind.SCRIPT, "starts with '#!/' (a script)");
    }
    return null;
  }

  private static Detected zip(byte[] b, int len, String type) {
    if (type != null && (type.contains("officedocument") || type.contains("opendocument") || type.contains("epub"))) {
      return null;
    }
    if (len >= 30) {
      int n = u16(b, 26);
      int end = Math.min(len, 30 + n);
      String first = new String(b, 30, Math.max(0, end - 30), StandardCharsets.ISO_8859_1);
      if (first.startsWith("META-INF/")) {
        return bytes(FileKind.SCRIPT, "a ZIP whose first entry is under META-INF/ (a Java archive)");
      }
      if (first.equals("AndroidManifest.xml")) {
        return bytes(FileKind.INSTALLER, "a ZIP holding AndroidManifest.xml (an Android package)");
      }
      if (first.equals("[Content_Types].xml") || first.equals("mimetype") || first.startsWith("_rels/")
          || first.startsWith("word/") || first.startsWith("xl/") || first.startsWith("ppt/")
          || first.startsWith("docProps/")) {
        return null; // an Office Open XML, OpenDocument or EPUB document
      }
      Ext inside = extension(first, false);
      if (inside != null && inside.kind != FileKind.ARCHIVE) {
        // cheap to tell: the first entry's name is in the first bytes (the others are not)
        return bytes(inside.kind, "a ZIP whose first entry is a ." + inside.ext + " file (" + inside.kind.configName() + ")");
      }
    }
    return bytes(FileKind.ARCHIVE, "starts with 'PK' (a ZIP archive)");
  }

  private static boolean officeType(String type) {
    return type != null && (type.contains("msword") || type.contains("ms-excel") || type.contains("ms-powerpoint")
        || type.contains("ms-outlook") || type.contains("ms-publisher") || type.contains("visio"));
  }

  private static Detected bytes(FileKind kind, String detail) {
    return new Detected(kind, Evidence.BYTES, detail);
  }

  private static boolean starts(byte[] b, int len, int... magic) {
    return at(b, len, 0, magic);
  }

  private static boolean at(byte[] b, int len, int at, int... magic) {
    if (at < 0 || at + magic.length > len) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[at + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }

  private static long u32be(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
  }

  /** The media type of {@code contentType} in the table, or null. */
  private static Type type(String contentType) {
    int end = contentType.indexOf(';');
    if (end < 0) {
      end = contentType.length();
    }
    int start = 0;
    while (start < end && contentType.charAt(start) == ' ') {
      start++;
    }
    while (end > start && contentType.charAt(end - 1) == ' ') {
      end--;
    }
    int n = end - start;
    for (Type t : TYPES) {
      if (t.type.length() == n && contentType.regionMatches(true, start, t.type, 0, n)) {
        return t;
      }
    }
    return null;
  }

  /** The extension entry of {@code name}'s last segment (for a URL path, only those that count there), or null. */
  private static Ext extension(String name, boolean url) {
    int end = name.length();
    while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
      end--; // Windows saves "setup.exe." and "setup.exe " as setup.exe
    }
    int slash = Math.max(name.lastIndexOf('/', end - 1), name.lastIndexOf('\\', end - 1));
    int dot = name.lastIndexOf('.', end - 1);
    if (dot <= slash || dot < 0) {
      return null;
    }
    int n = end - dot - 1;
    for (Ext e : EXTENSIONS) {
      if (e.ext.length() == n && name.regionMatches(true, dot + 1, e.ext, 0, n) && (e.byUrl || !url)) {
        return e;
      }
    }
    return null;
  }

  private static boolean hasExtension(String name, String[] extensions) {
    if (name == null) {
      return false;
    }
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    int n = name.length() - dot - 1;
    for (String e : extensions) {
      if (e.length() == n && name.regionMatches(true, dot + 1, e, 0, n)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The file name a {@code Content-Disposition} value gives (RFC 6266): {@code filename*}
   * (RFC 8187, UTF-8 or ISO-8859-1, percent-decoded) when present and readable, else
   * {@code filename} (quoted or a token); the last part of a path; null when there is none.
   */
  public static String fileName(String disposition) {
    String plain = null;
    String extended = null;
    int i = disposition.indexOf(';');
    while (i >= 0 && i < disposition.length()) {
      int start = i + 1;
      while (start < disposition.length() && (disposition.charAt(start) == ' ' || disposition.charAt(start) == '\t')) {
        start++;
      }
      int eq = disposition.indexOf('=', start);
      if (eq < 0) {
        break;
      }
      String key = disposition.substring(start, eq).strip();
      int v = eq + 1;
      while (v < disposition.length() && disposition.charAt(v) == ' ') {
        v++;
      }
      String value;
      int next;
      if (v < disposition.length() && disposition.charAt(v) == '"') {
        StringBuilder sb = new StringBuilder();
        int j = v + 1;
        while (j < disposition.length() && disposition.charAt(j) != '"') {
          char c = disposition.charAt(j);
          if (c == '\\' && j + 1 < disposition.length()) {
            c = disposition.charAt(++j);
          }
          sb.append(c);
          j++;
        }
        value = sb.toString();
        next = disposition.indexOf(';', j);
      } else {
        next = disposition.indexOf(';', v);
        value = disposition.substring(v, next < 0 ? disposition.length() : next).strip();
      }
      if (key.equalsIgnoreCase("filename*")) {
        extended = decodeExtended(value);
      } else if (key.equalsIgnoreCase("filename")) {
        plain = value;
      }
      i = next;
    }
    String name = extended != null ? extended : plain;
    if (name == null || name.isBlank()) {
      return null;
    }
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(slash + 1);
  }

  /** {@code UTF-8''setup%20v2.msi} → {@code setup v2.msi}; null when it cannot be read. */
  private static String decodeExtended(String value) {
    int q1 = value.indexOf('\'');
    int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
    if (q2 < 0) {
      return null;
    }
    Charset cs;
    String charset = value.substring(0, q1).strip();
    if (charset.equalsIgnoreCase("UTF-8")) {
      cs = StandardCharsets.UTF_8;
    } else if (charset.equalsIgnoreCase("ISO-8859-1")) {
      cs = StandardCharsets.ISO_8859_1;
    } else {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = q2 + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '%') {
        return null;
      } else {
        out.write(c & 0xFF);
      }
    }
    return out.toString(cs);
  }
}
