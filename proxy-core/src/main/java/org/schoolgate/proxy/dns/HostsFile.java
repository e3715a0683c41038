package org.schoolgate.proxy.dns;

import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts file ({@code /etc/hosts}) as an immutable map in a volatile field: lookups never touch
 * the disk, so event loops may call {@link #lookup}. {@link #refresh} (called at start-up and by
 * the {@code schoolgate-hosts} thread) re-reads the file only when its modification time, size or
 * identity changed, and says which names it now maps differently.
 *
 * <p>Format as the C library reads it: an address, then names, separated by blanks; {@code #}
 * starts a comment; the first line naming a host wins, per address family. A missing or
 * unreadable file maps nothing (and is reported once per change).
 */
public final class HostsFile implements HostsFileEntriesResolver {
  private static final Logger log = LoggerFactory.getLogger(HostsFile.class);

  /**
   * The IPv4 and IPv6 address (either may be null) a name maps to, and the proxy's answer for it
   * (the preferred address), made once when the file is read.
   */
  record Entry(InetAddress v4, InetAddress v6, DnsAnswer.Resolved answer) {
    Entry(InetAddress v4, InetAddress v6) {
      this(v4, v6, v4 == null && v6 == null ? null
          : new DnsAnswer.Resolved(v4 != null ? v4 : v6, DnsService.FOREVER));
    }

    /** The IPv4 address if there is one (as the resolver asks for A first). */
    InetAddress preferred() {
      return v4 != null ? v4 : v6;
    }
  }

  /** What was read, and from which version of the file. */
  private record Snapshot(Map<String, Entry> entries, Object version) {}

  private final Path path;
  private volatile Snapshot current = new Snapshot(Map.of(), null);

  public HostsFile(Path path) {
    this.path = Objects.requireNonNull(path, "hosts file path");
  }

  /** The file read. */
  public Path path() {
    return path;
  }

  /** The address {@code name} (normalised: lower case, no trailing dot) maps to, or null. */
  public InetAddress lookup(String name) {
    Entry e = current.entries().get(name);
    return e == null ? null : e.preferred();
  }

  /** The answer for {@code name} (normalised), made when the file was read, or null. */
  DnsAnswer.Resolved answer(String name) {
    Entry e = current.entries().get(name);
    return e == null ? null : e.answer();
  }

  /** For Netty's resolver: the same map, honouring the requested address family. */
  @Override
  public InetAddress address(String inetHost, ResolvedAddressTypes types) {
    Entry e = current.entries().get(DnsService.normalise(inetHost));
    if (e == null) {
      return null;
    }
    return switch (types) {
      case IPV4_ONLY -> e.v4();
      case IPV6_ONLY -> e.v6();
      case IPV6_PREFERRED -> e.v6() != null ? e.v6() : e.v4();
      default -> e.preferred();
    };
  }

  /**
   * Re-reads the file if it changed since the last read. Blocking file I/O: never call it on an
   * event loop.
   *
   * @return the names added, removed or mapped to another address (empty when nothing changed)
   */
  public Set<String> refresh() {
    Snapshot before = current;
    Object version = version();
    if (Objects.equals(version, before.version())) {
      return Set.of();
    }
    Map<String, Entry> entries = read(version);
    current = new Snapshot(entries, version);
    Set<String> changed = new HashSet<>();
    before.entries().forEach((name, entry) -> {
      if (!entry.equals(entries.get(name))) {
        changed.add(name);
      }
    });
    entries.forEach((name, entry) -> {
      if (!entry.equals(before.entries().get(name))) {
        changed.add(name);
      }
    });
    return changed;
  }

  private Map<String, Entry> read(Object version) {
    if (version == null) {
      return Map.of();
    }
    try {
      return parse(Files.readAllLines(path, StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      log.warn("hosts file {} could not be read: {} (its names are not mapped until it can)",
          path, e.toString());
      return Map.of();
    }
  }

  /** Modification time, size and file key; null when the file does not exist. */
  private Object version() {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return List.of(e.toString()); // unreadable: try again when the error changes
    }
  }

  /** Parses hosts-file lines into name → addresses. */
  static Map<String, Entry> parse(List<String> lines) {
    Map<String, Entry> out = new HashMap<>();
    for (String line : lines) {
      int hash = line.indexOf('#');
      String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("[ \t]+");
      if (fields.length < 2) {
        continue;
      }
      InetAddress address = literal(fields[0]);
      if (address == null) {
        continue;
      }
      boolean v4 = address instanceof Inet4Address;
      for (int i = 1; i < fields.length; i++) {
        String name = DnsService.normalise(fields[i]);
        if (name.isEmpty()) {
          continue;
        }
        Entry e = out.getOrDefault(name, new Entry(null, null));
        if (v4 && e.v4() == null) {
          out.put(name, new Entry(address, e.v6()));
        } else if (!v4 && e.v6() == null) {
          out.put(name, new Entry(e.v4(), address));
        }
      }
    }
    return Map.copyOf(out);
  }

  private static InetAddress literal(String text) {
    String ip = text.toLowerCase(Locale.ROOT);
    int zone = ip.indexOf('%'); // fe80::1%eth0: the zone is irrelevant for a proxy's upstream
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(zone >= 0 ? ip.substring(0, zone) : ip);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // cannot happen for 4- or 16-byte arrays
    }
  }
}
