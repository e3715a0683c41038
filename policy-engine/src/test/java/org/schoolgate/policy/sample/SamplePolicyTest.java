package org.schoolgate.policy.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.schoolgate.policy.TestPolicies.facts;
import static org.schoolgate.policy.TestPolicies.london;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.CompiledPolicy;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.testing.Ut1Fixture;

/** Extracting the shipped sample, and running it with the real UT1 lists installed. */
class SamplePolicyTest {
  @TempDir Path dir;

  @Test
  void extractWritesPolicyAndStarterListsWithoutOverwriting() throws Exception {
    Files.createDirectories(dir.resolve("lists/starter/gambling"));
    Files.writeString(dir.resolve("lists/starter/gambling/domains"), "my-own.test\n");

    Path policy = SamplePolicy.extractTo(dir);

    assertThat(policy).isEqualTo(dir.resolve("policy.yaml")).isRegularFile();
    assertThat(SamplePolicy.resources()).first().isEqualTo("policy.yaml");
    assertThat(SamplePolicy.resources()).hasSize(29).allSatisfy(r -> assertThat(dir.resolve(r)).isRegularFile());
    assertThat(Files.readString(dir.resolve("lists/starter/gambling/domains"))).isEqualTo("my-own.test\n");
    assertThat(Files.readString(dir.resolve("lists/starter/social-media/domains"))).contains("\ntiktok.com\n");
  }

  @Test
  void indexListsEverySampleResource() throws Exception {
    Path base = Path.of(SamplePolicy.class.getResource("policy.yaml").toURI()).getParent();
    try (var files = Files.walk(base)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> base.relativize(f).toString())
          .filter(f -> !f.equals("INDEX") && !f.endsWith(".class")))
          .containsExactlyInAnyOrderElementsOf(SamplePolicy.resources());
    }
  }

  @Test
  void starterListsNeverNameRealSitesForIllegalCategories() throws Exception {
    SamplePolicy.extractTo(dir);
    for (String c : new String[] {"child-sexual-abuse-images", "child-grooming", "extreme-pornography",
        "criminally-racist-material"}) {
      assertThat(Files.readAllLines(dir.resolve("lists/starter/" + c + "/domains")))
          .filteredOn(l -> !l.startsWith("#")).containsExactly(c + ".schoolgate.test");
    }
  }

  @Test
  void sampleWithUt1InstalledBlocksListedSitesForPupils() throws Exception {
    Path policyFile = SamplePolicy.extractTo(dir);
    String yaml = Files.readString(policyFile);
    assertThat(yaml).contains("    path: lists/ut1\n");
    Files.writeString(policyFile, yaml.replace("    path: lists/ut1\n",
        "    path: '" + Ut1Fixture.extractTo(dir.resolve("feed")) + "'\n"));

    CompiledPolicy policy = PolicyCompiler.compileFile(policyFile, TestPolicies.CLOCK);

    assertThat(policy.warnings()).isEmpty();
    assertThat(policy.entryCount()).as("the starter lists and the UT1 fixture").isGreaterThan(10_000);
    Decision gambling = policy.decide(facts("ks3-4", null, "www.williamhill.com", "/", london("2026-11-23T10:00")));
    assertThat(gambling.blocked()).isTrue();
    assertThat(gambling.categories().categories()).extracting(c -> c.value()).contains("gambling");
    Decision video = policy.decide(facts("ks2", null, "www.youtube.com", "/", london("2026-11-23T12:30")));
    assertThat(video.blocked()).as(video.reason()).isFalse();
    assertThat(policy.decide(facts("ks2", null, "example.com", "/", london("2026-11-23T10:00"))).blocked()).isFalse();
  }

  @Test
  void sampleMarksSafeguardingTopicsSensitiveAndTheIllegalRowsIllegal() {
    CompiledPolicy policy = TestPolicies.sample(dir);

    assertThat(policy.categories().stream().filter(policy::isSensitive).map(CategoryId::value)).containsExactly(
        "pornography", "discrimination", "violence", "extremism", "offensive-or-against-ethos");
    assertThat(policy.categories().stream().filter(policy::isIllegal).map(CategoryId::value)).containsExactly(
        "child-sexual-abuse-images", "child-grooming", "extreme-pornography", "criminally-racist-material");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dns.google", "mozilla.cloudflare-dns.com", "chrome.cloudflare-dns.com", "dns.quad9.net",
      "dns11.quad9.net", "doh.opendns.com", "doh.familyshield.opendns.com", "dns.nextdns.io", "firefox.dns.nextdns.io",
      "unfiltered.adguard-dns.com", "dns.mullvad.net", "zero.dns0.eu", "mask.icloud.com", "mask-h2.icloud.com"})
  void dnsOverHttpsResolversAndPrivateRelayAreFilterBypassAndBlockedEvenWithoutUt1(String resolver) {
    CompiledPolicy policy = TestPolicies.sample(dir);

    for (String group : new String[] {"ks2", "ks3-4", "guests"}) {
      Decision d = policy.decide(facts(group, null, resolver, "/dns-query", london("2026-11-23T12:30")));
      assertThat(d.blocked()).as(group + " " + resolver).isTrue();
      assertThat(d.decidingCategory()).isEqualTo(new CategoryId("filter-bypass"));
    }
    assertThat(policy.decide(facts("ks2", null, "www.google.com", "/", london("2026-11-23T12:30"))).decidingCategory())
        .as("google search itself is not DoH").isNotEqualTo(new CategoryId("filter-bypass"));
  }
}
