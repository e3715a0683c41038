package org.schoolgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.TreeSet;
import org.schoolgate.policy.url.UrlParser;

/**
 * Fuzzes {@link ClientHelloParser} (see {@code docs/fuzzing.md}) with the first bytes of a
 * tunnel. Whatever they are, the parser:
 * <ul>
 *   <li>reads only the buffer's readable bytes (a buffer exactly that long, where any other read
 *       throws; and the same bytes between unrelated ones, for the same answer) and consumes none;
 *   <li>gives the same answer for the bytes in one buffer or spread over a composite of several,
 *       as they arrive from the network;
 *   <li>never changes its mind as more bytes arrive: every prefix of the input is "incomplete" or
 *       already the final answer, which is what lets the inspector act on the first answer;
 *   <li>names a server only when it is a host name ({@link UrlParser#normalizeHost} accepts it),
 *       and says why whenever the bytes are not TLS.
 * </ul>
 * The seeds in {@code ClientHelloParserFuzzTestInputs/} are ClientHellos of browsers and tools.
 */
class ClientHelloParserFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void readsOnlyItsBytesNeverChangesItsMindAndNamesOnlyHosts(byte[] input) {
    ClientHello full = parseExact(input);
    check(input, full);

    assertThat(parseBetween(input)).as("the same bytes between others").isEqualTo(full);
    assertThat(parseComposite(input)).as("the same bytes in pieces").isEqualTo(full);

    for (int k : prefixLengths(input)) {
      ClientHello prefix = parseExact(Arrays.copyOf(input, k));
      if (prefix != ClientHello.INCOMPLETE) {
        assertThat(prefix).as("the answer after %d of %d bytes", k, input.length).isEqualTo(full);
      }
    }
  }

  private static void check(byte[] input, ClientHello hello) {
    assertThat(hello).isNotNull();
    if (hello instanceof ClientHello.NotTls notTls) {
      assertThat(notTls.why()).isNotBlank();
    } else if (hello instanceof ClientHello.Hello h && h.serverName() != null) {
      String name = h.serverName();
      try {
        UrlParser.normalizeHost(name);
      } catch (IllegalArgumentException e) {
        throw new AssertionError("server name " + printable(name) + " is not a host name: " + e.getMessage(), e);
      }
    }
  }

  /** Parses from a buffer that holds exactly the input: a read outside it throws. */
  private static ClientHello parseExact(byte[] input) {
    ByteBuf buf = Unpooled.wrappedBuffer(input.length == 0 ? new byte[0] : input.clone())
        .slice(0, input.length);
    ClientHello hello = ClientHelloParser.parse(buf, TunnelInspector.MAX_HELLO);
    assertThat(buf.readerIndex()).as("reader index").isZero();
    assertThat(buf.writerIndex()).as("writer index").isEqualTo(input.length);
    return hello;
  }

  /** Parses the input placed after 7 bytes already read and before 9 more, never written. */
  private static ClientHello parseBetween(byte[] input) {
    byte[] bytes = new byte[7 + input.length + 9];
    Arrays.fill(bytes, (byte) 22);
    System.arraycopy(input, 0, bytes, 7, input.length);
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    buf.readerIndex(7).writerIndex(7 + input.length);
    ClientHello hello = ClientHelloParser.parse(buf, TunnelInspector.MAX_HELLO);
    assertThat(buf.readerIndex()).isEqualTo(7);
    assertThat(buf.writerIndex()).isEqualTo(7 + input.length);
    return hello;
  }

  /** Parses the input split into pieces (sizes from the input itself) in one composite buffer. */
  private static ClientHello parseComposite(byte[] input) {
    CompositeByteBuf composite = Unpooled.compositeBuffer(64);
    int at = 0;
    int i = 0;
    while (at < input.length) {
      int size = Math.min(input.length - at, 1 + (input[i++ % input.length] & 0x3f) * 7);
      composite.addComponent(true, Unpooled.wrappedBuffer(input, at, size));
      at += size;
    }
    try {
      return ClientHelloParser.parse(composite, TunnelInspector.MAX_HELLO);
    } finally {
      composite.release();
    }
  }

  /** Short prefixes, record boundaries and a few in between: enough to catch a changed mind. */
  private static TreeSet<Integer> prefixLengths(byte[] input) {
    TreeSet<Integer> lengths = new TreeSet<>();
    int n = input.length;
    for (int k = 0; k < Math.min(n, 12); k++) {
      lengths.add(k);
    }
    for (int at = 0; at + 5 <= n && lengths.size() < 64; ) {
      int next = at + 5 + ((input[at + 3] & 0xff) << 8 | (input[at + 4] & 0xff));
      for (int k : new int[] {at + 5, at + 9, at + 43, next - 1}) {
        if (k > 0 && k < n) {
          lengths.add(k);
        }
      }
      at = next;
    }
    for (int d = 2; d <= 16; d *= 2) {
      lengths.add(n - n / d);
    }
    lengths.remove(n);
    return lengths;
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder("'");
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.append('\'').toString();
  }
}
