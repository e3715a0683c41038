package org.schoolgate.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.ResolvedAddressTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostsFileTest {
  @TempDir
  Path dir;

  private static final List<String> SAMPLE = List.of(
      "# comment line",
      "127.0.0.1\tlocalhost",
      "::1     localhost ip6-localhost",
      "",
      "192.0.2.10  intranet.school.test  Intranet   # trailing comment",
      "192.0.2.11  intranet.school.test",
      "2001:db8::7 intranet.school.test v6only.test.",
      "not-an-ip   ignored.test",
      "192.0.2.12",
      "  192.0.2.13   indented.test");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "intranet.school.test, 192.0.2.10",   // first line wins, IPv4 preferred over a later IPv6
      "intranet,             192.0.2.10",   // every name on the line, lower-cased
      "v6only.test,          2001:db8::7",  // trailing dot dropped
      "indented.test,        192.0.2.13",
      "ignored.test,         none",         // the address is not an IP literal
      "absent.test,          none"})
  void linesAreReadAsTheCLibraryReadsThem(String name, String expected) throws Exception {
    Map<String, HostsFile.Entry> entries = HostsFile.parse(SAMPLE);
    HostsFile.Entry e = entries.get(name);

    assertThat(e == null ? null : e.preferred())
        .isEqualTo(expected == null ? null : InetAddress.getByName(expected));
  }

  @Test
  void nettyIsAnsweredPerAddressFamily() throws Exception {
    HostsFile hosts = fileWith(String.join("\n", SAMPLE));

    assertThat(hosts.address("Intranet.School.Test.", ResolvedAddressTypes.IPV6_ONLY))
        .isEqualTo(InetAddress.getByName("2001:db8::7"));
    assertThat(hosts.address("intranet.school.test", ResolvedAddressTypes.IPV4_ONLY))
        .isEqualTo(InetAddress.getByName("192.0.2.10"));
    assertThat(hosts.address("v6only.test", ResolvedAddressTypes.IPV4_ONLY)).isNull();
    assertThat(hosts.address("v6only.test", ResolvedAddressTypes.IPV4_PREFERRED))
        .isEqualTo(InetAddress.getByName("2001:db8::7"));
  }

  @Test
  void refreshReadsAgainOnlyWhenTheFileChangedAndNamesWhatChanged() throws Exception {
    HostsFile hosts = fileWith("192.0.2.1 a.test b.test\n");
    assertThat(hosts.refresh()).isEmpty(); // unchanged: not read again

    Files.writeString(hosts.path(), "192.0.2.2 b.test c.test\n", StandardOpenOption.APPEND);

    assertThat(hosts.refresh()).containsExactlyInAnyOrder("c.test"); // b.test: first line wins
    assertThat(hosts.lookup("c.test")).isEqualTo(InetAddress.getByName("192.0.2.2"));

    Files.writeString(hosts.path(), "192.0.2.3 a.test\n"); // rewritten: b.test and c.test gone
    assertThat(hosts.refresh()).containsExactlyInAnyOrder("a.test", "b.test", "c.test");
    assertThat(hosts.lookup("b.test")).isNull();
  }

  @Test
  void missingFileMapsNothingUntilItAppears() throws Exception {
    HostsFile hosts = new HostsFile(dir.resolve("not-yet"));
    assertThat(hosts.refresh()).isEmpty();
    assertThat(hosts.lookup("late.test")).isNull();

    Files.writeString(hosts.path(), "192.0.2.4 late.test\n");

    assertThat(hosts.refresh()).containsExactly("late.test");
    assertThat(hosts.lookup("late.test")).isEqualTo(InetAddress.getByName("192.0.2.4"));

    Files.delete(hosts.path());
    assertThat(hosts.refresh()).containsExactly("late.test");
    assertThat(hosts.lookup("late.test")).isNull();
  }

  private HostsFile fileWith(String text) throws IOException {
    Path file = dir.resolve("hosts");
    Files.writeString(file, text);
    HostsFile hosts = new HostsFile(file);
    hosts.refresh();
    return hosts;
  }
}
