package org.schoolgate.policy.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checked-hosts cache only saves work: answers are the same on a hit, a miss or an eviction. */
class CheckedHostsTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      xn--bcher-kva.example   | true
      www.XN--bcher-kva.ex    | true
      bücher.example          | false
      example.com             | false
      a.xn                    | false
      xn-a.com                | false
      axn--b.com              | false
      a.xn--p1ai              | true
      """)
  void findsLabelsThatStartWithXnDashDash(String host, boolean ace) {
    assertThat(CheckedHosts.hasAceLabel(host)).isEqualTo(ace);
  }

  @Test
  void answersStayTheSameWhenManyHostsEvictEachOther() {
    List<String> valid = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      valid.add(UrlParser.normalizeHost((i % 2 == 0 ? "bücher" : "аррӏе") + i + ".com"));
    }
    String invalid = "xn--a.com";
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < valid.size(); i++) {
        String host = valid.get(i);
        assertThat(UrlParser.isNormalDomain(host)).as(host).isTrue();
        assertThat(UrlParser.isMixedScript(host)).as(host).isEqualTo(i % 2 == 1);
        assertThat(UrlParser.isNormalDomain(invalid)).isFalse();
      }
    }
    assertThatThrownBy(() -> CheckedHosts.check(invalid, invalid)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCheckedHostIsTheSameEntryNextTime() {
    String host = UrlParser.normalizeHost("пример.рф");

    assertThat(CheckedHosts.check(host, host)).isSameAs(CheckedHosts.check(host, host))
        .isEqualTo(new CheckedHosts.Checked("xn--e1afmkfd.xn--p1ai", false));
  }
}
