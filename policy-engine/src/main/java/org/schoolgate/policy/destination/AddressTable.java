package org.schoolgate.policy.destination;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.policy.model.Subnet;

/**
 * Classifies IP addresses into {@link AddressKind}s from a prebuilt table of ranges: the
 * built-in ones (loopback, unspecified, link-local, RFC 1918, CGNAT, ULA, multicast, ...) plus
 * the school's own internal ranges.
 *
 * <p>Design: the table is a handful of parallel primitive arrays (IPv4 base and mask as ints,
 * IPv6 as two longs each) scanned linearly; a school declares a few ranges, so a scan of some
 * twenty entries beats any index and allocates nothing. An address in several ranges takes the
 * strictest class. IPv6 forms that carry an IPv4 address are classified by both: IPv4-mapped
 * ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}, which also covers {@code ::} and
 * {@code ::1}), SIIT ({@code ::ffff:0:0:0/96}), NAT64 ({@code 64:ff9b::/96}; the local-use
 * {@code 64:ff9b:1::/48}, where the operator chooses the layout, is internal as a whole), 6to4
 * ({@code 2002::/16}) and Teredo ({@code 2001::/32}: its server and its de-obfuscated client), so
 * {@code ::ffff:127.0.0.1} or {@code 2002:7f00:1::} is the proxy host however it is spelled.
 *
 * <pre>{@code
 * AddressTable table = new AddressTable(List.of(Subnet.parse("203.0.113.0/24")));
 * table.kind(new byte[] {(byte) 203, 0, 113, 7});   // INTERNAL (the school's range)
 * table.kind(InetAddress.getByName("::ffff:10.1.2.3").getAddress()); // INTERNAL
 * }</pre>
 */
public final class AddressTable {
  /** The built-in ranges only. */
  public static final AddressTable BUILT_IN = new AddressTable(List.of());

  private static final AddressKind[] KINDS = AddressKind.values();
  private static final long NAT64_HI = 0x0064_ff9b_0000_0000L;
  private static final long TEREDO_TOP = 0x2001_0000L;           // the top 32 bits

  private final int[] v4Base;
  private final int[] v4Mask;
  private final byte[] v4Kind;
  private final long[] v6HiBase;
  private final long[] v6LoBase;
  private final long[] v6HiMask;
  private final long[] v6LoMask;
  private final byte[] v6Kind;

  /** The built-in ranges plus {@code schoolRanges}, which are internal. */
  public AddressTable(List<Subnet> schoolRanges) {
    List<Object[]> v4 = new ArrayList<>();
    List<Object[]> v6 = new ArrayList<>();
    builtIn(v4, v6);
    for (Subnet s : schoolRanges) {
      add(v4, v6, s, AddressKind.INTERNAL);
    }
    v4Base = new int[v4.size()];
    v4Mask = new int[v4.size()];
    v4Kind = new byte[v4.size()];
    for (int i = 0; i < v4.size(); i++) {
      v4Base[i] = (int) v4.get(i)[0];
      v4Mask[i] = (int) v4.get(i)[1];
      v4Kind[i] = (byte) ((AddressKind) v4.get(i)[2]).ordinal();
    }
    v6HiBase = new long[v6.size()];
    v6LoBase = new long[v6.size()];
    v6HiMask = new long[v6.size()];
    v6LoMask = new long[v6.size()];
    v6Kind = new byte[v6.size()];
    for (int i = 0; i < v6.size(); i++) {
      Object[] e = v6.get(i);
      v6HiBase[i] = (long) e[0];
      v6LoBase[i] = (long) e[1];
      v6HiMask[i] = (long) e[2];
      v6LoMask[i] = (long) e[3];
      v6Kind[i] = (byte) ((AddressKind) e[4]).ordinal();
    }
  }

  private static void builtIn(List<Object[]> v4, List<Object[]> v6) {
    String[][] ranges = {
        {"0.0.0.0/8", "PROXY_HOST"}, {"127.0.0.0/8", "PROXY_HOST"},
        {"::/128", "PROXY_HOST"}, {"::1/128", "PROXY_HOST"},
        {"169.254.0.0/16", "LINK_LOCAL"}, {"fe80::/10", "LINK_LOCAL"},
        {"10.0.0.0/8", "INTERNAL"}, {"172.16.0.0/12", "INTERNAL"}, {"192.168.0.0/16", "INTERNAL"},
        {"100.64.0.0/10", "INTERNAL"}, {"198.18.0.0/15", "INTERNAL"},
        {"fc00::/7", "INTERNAL"}, {"fec0::/10", "INTERNAL"}, {"64:ff9b:1::/48", "INTERNAL"},
        {"192.0.0.0/24", "RESERVED"}, {"224.0.0.0/4", "RESERVED"}, {"240.0.0.0/4", "RESERVED"},
        {"ff00::/8", "RESERVED"}, {"100::/64", "RESERVED"},
    };
    for (String[] r : ranges) {
      add(v4, v6, Subnet.parse(r[0]), AddressKind.valueOf(r[1]));
    }
  }

  private static void add(List<Object[]> v4, List<Object[]> v6, Subnet s, AddressKind kind) {
    byte[] n = s.network();
    if (n.length == 4) {
      int mask = s.prefix() == 0 ? 0 : -1 << (32 - s.prefix());
      v4.add(new Object[] {int4(n), mask, kind});
    } else {
      int p = s.prefix();
      long hiMask = p == 0 ? 0 : p >= 64 ? -1L : -1L << (64 - p);
      long loMask = p <= 64 ? 0 : p == 128 ? -1L : -1L << (128 - p);
      v6.add(new Object[] {long8(n, 0), long8(n, 8), hiMask, loMask, kind});
    }
  }

  /**
   * The class of {@code address} (4 bytes for IPv4, 16 for IPv6). Any other length is the proxy
   * host, the strictest class (fail closed). Allocates nothing.
   */
  public AddressKind kind(byte[] address) {
    if (address == null) {
      return AddressKind.PROXY_HOST;
    }
    if (address.length == 4) {
      return kind4(int4(address));
    }
    if (address.length == 16) {
      return kind6(long8(address, 0), long8(address, 8));
    }
    return AddressKind.PROXY_HOST;
  }

  /** The class of the IPv4 address {@code a} (network byte order in an int). */
  public AddressKind kind4(int a) {
    int strictest = 0;
    for (int i = 0; i < v4Base.length; i++) {
      if ((a & v4Mask[i]) == v4Base[i] && v4Kind[i] > strictest) {
        strictest = v4Kind[i];
      }
    }
    return KINDS[strictest];
  }

  /** The class of the IPv6 address {@code hi:lo}, including any IPv4 address it carries. */
  public AddressKind kind6(long hi, long lo) {
    int strictest = 0;
    for (int i = 0; i < v6HiBase.length; i++) {
      if ((hi & v6HiMask[i]) == v6HiBase[i] && (lo & v6LoMask[i]) == v6LoBase[i]
          && v6Kind[i] > strictest) {
        strictest = v6Kind[i];
      }
    }
    AddressKind kind = KINDS[strictest];
    int top32 = (int) (lo >>> 32);
    if (hi == 0 && (top32 == 0 || top32 == 0x0000_ffff || top32 == 0xffff_0000)) {
      kind = kind.stricter(kind4((int) lo)); // compatible (and :: / ::1), mapped, SIIT
    } else if (hi == NAT64_HI && top32 == 0) {
      kind = kind.stricter(kind4((int) lo));
    } else if (hi >>> 48 == 0x2002) {
      kind = kind.stricter(kind4((int) (hi >>> 16))); // 6to4
    } else if (hi >>> 32 == TEREDO_TOP) {
      kind = kind.stricter(kind4((int) hi)).stricter(kind4(~(int) lo)); // server, client
    }
    return kind;
  }

  /**
   * True when every address of {@code network} is internal in this table: it lies inside one
   * internal range, and no stricter range starts inside it. Used to check intranet entries.
   */
  public boolean internal(Subnet network) {
    byte[] n = network.network();
    if (kind(n) != AddressKind.INTERNAL) {
      return false;
    }
    if (n.length == 4) {
      int base = int4(n);
      for (int i = 0; i < v4Base.length; i++) {
        if (v4Kind[i] == AddressKind.INTERNAL.ordinal()
            && Integer.bitCount(v4Mask[i]) <= network.prefix() && (base & v4Mask[i]) == v4Base[i]) {
          return true;
        }
      }
      return false;
    }
    long hi = long8(n, 0);
    long lo = long8(n, 8);
    for (int i = 0; i < v6HiBase.length; i++) {
      int prefix = Long.bitCount(v6HiMask[i]) + Long.bitCount(v6LoMask[i]);
      if (v6Kind[i] == AddressKind.INTERNAL.ordinal() && prefix <= network.prefix()
          && (hi & v6HiMask[i]) == v6HiBase[i] && (lo & v6LoMask[i]) == v6LoBase[i]) {
        return true;
      }
    }
    return false;
  }

  /** Big-endian int of 4 bytes. */
  static int int4(byte[] b) {
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  /** Big-endian long of 8 bytes from {@code off}. */
  static long long8(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }
}
