package org.schoolgate.policy.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;
import org.schoolgate.policy.model.Subnet;

/** Every built-in range, its edges, and the IPv6 forms that carry an IPv4 address. */
class AddressTableTest {

  private static byte[] bytes(String literal) throws Exception {
    // a literal is parsed, never looked up
    return InetAddress.getByName(literal).getAddress();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0.0.0.0          | PROXY_HOST
      0.255.255.255    | PROXY_HOST
      127.0.0.1        | PROXY_HOST
      127.255.255.254  | PROXY_HOST
      126.255.255.255  | PUBLIC
      128.0.0.0        | PUBLIC
      169.254.169.254  | LINK_LOCAL
      169.254.0.0      | LINK_LOCAL
      169.253.255.255  | PUBLIC
      169.255.0.0      | PUBLIC
      10.0.0.0         | INTERNAL
      10.1.2.3         | INTERNAL
      10.255.255.255   | INTERNAL
      11.0.0.0         | PUBLIC
      9.255.255.255    | PUBLIC
      172.16.0.0       | INTERNAL
      172.31.255.255   | INTERNAL
      172.15.255.255   | PUBLIC
      172.32.0.0       | PUBLIC
      192.168.0.1      | INTERNAL
      192.169.0.1      | PUBLIC
      100.64.0.1       | INTERNAL
      100.127.255.255  | INTERNAL
      100.63.255.255   | PUBLIC
      100.128.0.0      | PUBLIC
      198.18.0.1       | INTERNAL
      198.19.255.255   | INTERNAL
      198.20.0.0       | PUBLIC
      192.0.0.8        | RESERVED
      224.0.0.1        | RESERVED
      239.255.255.255  | RESERVED
      240.0.0.1        | RESERVED
      255.255.255.255  | RESERVED
      8.8.8.8          | PUBLIC
      192.0.2.10       | PUBLIC
      ::               | PROXY_HOST
      ::1              | PROXY_HOST
      ::2              | PROXY_HOST
      fe80::1          | LINK_LOCAL
      febf:ffff::1     | LINK_LOCAL
      fec0::1          | INTERNAL
      fc00::1          | INTERNAL
      fd12:3456::1     | INTERNAL
      fe00::1          | PUBLIC
      ff02::1          | RESERVED
      100::1           | RESERVED
      2001:db8::1      | PUBLIC
      2606:4700::1111  | PUBLIC
      """)
  void builtInRanges(String address, AddressKind kind) throws Exception {
    assertThat(AddressTable.BUILT_IN.kind(bytes(address))).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ::7f00:1                  | PROXY_HOST
      ::a01:203                 | INTERNAL
      ::ffff:0:7f00:1           | PROXY_HOST
      ::ffff:0:a9fe:a9fe        | LINK_LOCAL
      64:ff9b::7f00:1           | PROXY_HOST
      64:ff9b::a9fe:a9fe        | LINK_LOCAL
      64:ff9b::a01:203          | INTERNAL
      64:ff9b::808:808          | PUBLIC
      64:ff9b:1::808:808        | INTERNAL
      2002:7f00:1::             | PROXY_HOST
      2002:a9fe:a9fe::1         | LINK_LOCAL
      2002:c0a8:101::1          | INTERNAL
      2002:808:808::1           | PUBLIC
      2001:0:7f00:1::           | PROXY_HOST
      2001:0:808:808:0:0:f5fe:fefe | INTERNAL
      2001:0:808:808:0:0:f7f7:f7f7 | PUBLIC
      """)
  void ipv6FormsCarryingIpv4AreClassifiedByBoth(String address, AddressKind kind) throws Exception {
    assertThat(AddressTable.BUILT_IN.kind(bytes(address))).isEqualTo(kind);
  }

  @Test
  void ipv4MappedFormsAreTheIpv4Address() {
    // InetAddress turns ::ffff:a.b.c.d into IPv4, so build the 16 bytes by hand
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 127;
    mapped[15] = 1;
    assertThat(AddressTable.BUILT_IN.kind(mapped)).isEqualTo(AddressKind.PROXY_HOST);
    mapped[12] = 10;
    assertThat(AddressTable.BUILT_IN.kind(mapped)).isEqualTo(AddressKind.INTERNAL);
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    assertThat(AddressTable.BUILT_IN.kind(mapped)).isEqualTo(AddressKind.LINK_LOCAL);
    mapped[12] = 8;
    mapped[13] = 8;
    assertThat(AddressTable.BUILT_IN.kind(mapped)).isEqualTo(AddressKind.PUBLIC);
  }

  @Test
  void anAddressOfAnotherLengthIsTheProxyHost() {
    assertThat(AddressTable.BUILT_IN.kind(new byte[5])).isEqualTo(AddressKind.PROXY_HOST);
    assertThat(AddressTable.BUILT_IN.kind(null)).isEqualTo(AddressKind.PROXY_HOST);
  }

  @Test
  void theSchoolsRangesAreInternalAndNeverRelaxABuiltInOne() throws Exception {
    AddressTable table = new AddressTable(List.of(Subnet.parse("203.0.113.0/24"),
        Subnet.parse("2001:db8:5c::/48")));

    assertThat(table.kind(bytes("203.0.113.7"))).isEqualTo(AddressKind.INTERNAL);
    assertThat(table.kind(bytes("203.0.114.7"))).isEqualTo(AddressKind.PUBLIC);
    assertThat(table.kind(bytes("2001:db8:5c:1::1"))).isEqualTo(AddressKind.INTERNAL);
    assertThat(table.kind(bytes("2002:cb00:7107::1"))).isEqualTo(AddressKind.INTERNAL); // 6to4
    assertThat(AddressTable.BUILT_IN.kind(bytes("203.0.113.7"))).isEqualTo(AddressKind.PUBLIC);
  }

  @Test
  void aNetworkIsInternalOnlyWhenWhollyInsideOneInternalRange() {
    AddressTable table = new AddressTable(List.of(Subnet.parse("203.0.113.0/24")));

    assertThat(table.internal(Subnet.parse("10.20.0.0/16"))).isTrue();
    assertThat(table.internal(Subnet.parse("203.0.113.128/25"))).isTrue();
    assertThat(table.internal(Subnet.parse("fd00::/8"))).isTrue();
    assertThat(table.internal(Subnet.parse("10.0.0.0/7"))).isFalse();
    assertThat(table.internal(Subnet.parse("203.0.112.0/23"))).isFalse();
    assertThat(table.internal(Subnet.parse("127.0.0.0/8"))).isFalse();
    assertThat(table.internal(Subnet.parse("8.8.8.0/24"))).isFalse();
  }

  @Test
  void metadataNamesInAnyCaseWithOrWithoutTheTrailingDot() {
    assertThat(MetadataNames.is("metadata.google.internal")).isTrue();
    assertThat(MetadataNames.is("Metadata.Google.Internal.")).isTrue();
    assertThat(MetadataNames.is("metadata")).isTrue();
    assertThat(MetadataNames.is("instance-data")).isTrue();
    assertThat(MetadataNames.is("metadata.azure.internal")).isTrue();
    assertThat(MetadataNames.is("metadata.example.com")).isFalse();
    assertThat(MetadataNames.is("metadatas")).isFalse();
  }

  @Test
  void classifyingAllocatesNothing() throws Exception {
    List<byte[]> addresses = List.of(bytes("8.8.8.8"), bytes("10.1.2.3"), bytes("127.0.0.1"),
        bytes("2606:4700::1111"), bytes("2002:7f00:1::"), bytes("fd00::1"), bytes("64:ff9b::a01:203"));
    AddressTable table = new AddressTable(List.of(Subnet.parse("203.0.113.0/24")));
    long allocated = Allocations.bytesAllocated(20_000, 200_000,
        i -> table.kind(addresses.get(i % addresses.size())).ordinal() + 1);
    assertThat(allocated).as("bytes allocated by 200,000 classifications").isLessThan(10_000);
  }
}
