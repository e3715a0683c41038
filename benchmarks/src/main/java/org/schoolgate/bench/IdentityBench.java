package org.schoolgate.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.identity.verify.PasswordSource;
import org.schoolgate.identity.verify.VerifierSettings;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.compile.PolicyCompiler;

/**
 * Shared set-up of the identity benchmarks: a verifier whose "directory" answers from memory
 * (only a cache miss reaches it; the benchmarks measure what happens after the first request per
 * person), {@value #USERS} people each in a pupil or staff group, their Basic headers, and a
 * policy that asks for Basic sign-in on 10.20.0.0/16 and maps the groups.
 */
final class IdentityBench implements AutoCloseable {
  static final int USERS = 10_000;
  static final String POLICY = """
      clients: { allow: [10.0.0.0/8] }
      groups:
        pupils: { subnets: [10.20.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
      categories:
        social: { domains: [social.test] }
      matrix:
        social: { default: { nominated: { directory-groups: ["CN=Social,OU=Groups,DC=school,DC=example"] } } }
      identification:
        networks:
          pupils: { subnets: [10.20.0.0/16], proxy-auth: required, schemes: [basic] }
        directory-groups:
          - { directory-group: "CN=Staff,OU=Groups,DC=school,DC=example", group: staff }
          - { directory-group: "CN=Pupils,OU=Groups,DC=school,DC=example", group: pupils }
      """;

  final CredentialVerifier verifier;
  final IdentityService service;
  final PolicySnapshot policy;
  final InetAddress client;
  final String[] headers = new String[USERS];
  final String[] names = new String[USERS];
  final char[][] passwords = new char[USERS][];

  IdentityBench() throws IOException, PolicyException {
    PasswordSource memory = new PasswordSource() {
      @Override
      public Answer authenticate(String user, char[] password) {
        return groups(user);
      }

      @Override
      public Answer groups(String user) {
        int i = Integer.parseInt(user.substring(4));
        return new Found(user, i % 10 == 0
            ? List.of("CN=Teachers,OU=Groups,DC=school,DC=example", "CN=Staff,OU=Groups,DC=school,DC=example")
            : List.of("CN=Year" + (7 + i % 5) + ",OU=Groups,DC=school,DC=example",
                "CN=Pupils,OU=Groups,DC=school,DC=example"));
      }

      @Override
      public String describe() {
        return "in-memory directory";
      }
    };
    VerifierSettings settings = new VerifierSettings(java.time.Duration.ofMinutes(5), 50_000, 0,
        java.time.Duration.ofMinutes(30), 20, 2, 20_000, java.time.Duration.ofSeconds(30));
    verifier = new CredentialVerifier(settings, memory, null, null, new IdentityMetrics(new SimpleMeterRegistry()),
        Ticker.systemTicker(), Clock.systemUTC());
    service = new IdentityService(verifier, AddressBindings.NONE, Clock.systemUTC());
    Path dir = Files.createTempDirectory("identity-bench");
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    policy = PolicyCompiler.compile(file, Clock.systemUTC());
    client = InetAddress.getByName("10.20.4.5");
    for (int i = 0; i < USERS; i++) {
      names[i] = "user" + i;
      passwords[i] = ("pass-" + i + "-correct-horse").toCharArray();
      headers[i] = "Basic " + Base64.getEncoder().encodeToString(
          (names[i] + ":" + new String(passwords[i])).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Signs every person in once (the first request each), so later requests are cache hits. */
  void signInEveryone() {
    for (int i = 0; i < USERS; i++) {
      verifier.verify(new ProxyCredentials.Basic(names[i], passwords[i].clone()), client).join();
    }
  }

  @Override
  public void close() {
    verifier.close();
  }
}
