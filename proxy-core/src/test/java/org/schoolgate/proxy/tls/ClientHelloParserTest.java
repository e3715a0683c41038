package org.schoolgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ClientHello reader: names, ECH, partial input, several records, and bytes that are not TLS. */
class ClientHelloParserTest {

  private static ClientHello parse(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      ClientHello hello = ClientHelloParser.parse(buf, TunnelInspector.MAX_HELLO);
      assertThat(buf.readerIndex()).as("nothing is consumed").isZero();
      return hello;
    } finally {
      buf.release();
    }
  }

  @Test
  void readsTheServerName() {
    assertThat(parse(Hellos.clientHello("School.Example", false)))
        .isEqualTo(new ClientHello.Hello("School.Example", false));
  }

  @Test
  void readsAHelloWithoutServerName() {
    assertThat(parse(Hellos.clientHello(null, false))).isEqualTo(new ClientHello.Hello(null, false));
  }

  @Test
  void detectsEncryptedClientHello() {
    assertThat(parse(Hellos.clientHello("public.example", true)))
        .isEqualTo(new ClientHello.Hello("public.example", true));
  }

  @Test
  void everyProperPrefixIsIncomplete() {
    byte[] hello = Hellos.clientHello("school.example", false);
    for (int n = 0; n < hello.length; n++) {
      assertThat(parse(Arrays.copyOf(hello, n))).as("first %d bytes", n).isSameAs(ClientHello.INCOMPLETE);
    }
  }

  @Test
  void reassemblesAHandshakeSplitAcrossRecords() {
    byte[] handshake = Hellos.handshake(Hellos.body("school.example", true));
    int half = handshake.length / 2;
    byte[] first = Hellos.record(Arrays.copyOfRange(handshake, 0, half));
    byte[] second = Hellos.record(Arrays.copyOfRange(handshake, half, handshake.length));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);

    assertThat(parse(first)).isSameAs(ClientHello.INCOMPLETE);
    assertThat(parse(both)).isEqualTo(new ClientHello.Hello("school.example", true));
  }

  @Test
  void plainHttpIsNotTlsFromTheFirstByte() {
    assertThat(parse("G".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(new ClientHello.NotTls("the first byte is 0x47, not a TLS handshake record"));
  }

  @Test
  void aHandshakeThatIsNotAClientHelloIsNotTls() {
    byte[] hello = Hellos.clientHello("school.example", false);
    hello[5] = 2; // ServerHello
    assertThat(parse(hello)).isEqualTo(
        new ClientHello.NotTls("the first handshake message is type 2, not a ClientHello"));
  }

  @Test
  void aWrongRecordVersionIsNotTls() {
    byte[] hello = Hellos.clientHello("school.example", false);
    hello[1] = 2;
    assertThat(parse(hello)).isEqualTo(new ClientHello.NotTls("record version 2.1 is not TLS"));
  }

  @Test
  void aClientHelloLongerThanTheLimitIsNotTls() {
    byte[] hello = Hellos.clientHello("school.example", false);
    hello[6] = 1; // handshake length ≥ 65536
    assertThat(parse(hello)).isEqualTo(
        new ClientHello.NotTls("the ClientHello is longer than " + TunnelInspector.MAX_HELLO + " bytes"));
  }

  @Test
  void extensionsThatOverrunTheMessageAreNotTls() {
    byte[] body = Hellos.body("school.example", false);
    // the extensions length sits after version, random, session id, ciphers and compression
    int at = 2 + 32 + 1 + 2 + 2 + 1 + 1;
    body[at] = (byte) 0x7f;
    assertThat(parse(Hellos.record(Hellos.handshake(body))))
        .isEqualTo(new ClientHello.NotTls("the ClientHello's extensions overrun it"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      school\u0000.example | byte 0x00 at 6 is not a printable ASCII character
      bad name.example     | byte 0x20 at 3 is not a printable ASCII character
      a..example           | host 'a..example' has an empty label (expected: names separated by single dots)
      xnm-bcher)kva.example | host 'xnm-bcher)kva.example' contains ')' (expected: letters, digits, '-' and '.')
      """)
  void aServerNameThatIsNoHostNameIsNotTls(String name, String problem) {
    // found by ClientHelloParserFuzzTest: the name went to the checks and the access log as sent
    assertThat(parse(Hellos.clientHello(name, false)))
        .isEqualTo(new ClientHello.NotTls("the server name is not a host name: " + problem));
  }
}
