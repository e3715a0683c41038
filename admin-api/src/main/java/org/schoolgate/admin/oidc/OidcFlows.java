package org.schoolgate.admin.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenID Connect sign-ins in progress, in memory, keyed by their random {@code state}: each holds
 * its nonce, its PKCE code verifier, a hash of the browser's key (a random cookie set when the flow
 * starts, so a callback URL sent to someone else's browser fails) and what it is for (a device, with
 * the proxy's ticket and the address it vouches for; or the console, with the page to go to). A
 * flow lasts {@link #LIFE} and is taken once: a second callback with the same state (a replay, a
 * reload) finds nothing. At most {@value #CAPACITY} at once: when full, expired ones are swept and,
 * failing that, a new flow is refused rather than an older one dropped. A restart only means
 * starting again.
 */
public final class OidcFlows {
  /** How long a flow may take from the button to the callback. */
  public static final Duration LIFE = Duration.ofMinutes(10);
  static final int CAPACITY = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** What a flow signs in. */
  public sealed interface Purpose {
    /** A device on the sign-in page: {@code address} (from {@code ticket} when one was given). */
    record Device(InetAddress address, String ticket, String returnUrl) implements Purpose {}

    /** The console: go to {@code next} afterwards. */
    record Console(String next) implements Purpose {}
  }

  /**
   * One flow.
   *
   * @param state the random state sent to the provider
   * @param nonce the random nonce the ID token must carry
   * @param codeVerifier the PKCE verifier (its S256 challenge went to the provider)
   * @param browserKeyHash SHA-256 of the browser's key cookie
   * @param purpose what it signs in
   * @param redirectUri the callback URL sent to the provider (the code exchange repeats it)
   * @param expires when it stops being accepted
   */
  public record Flow(String state, String nonce, String codeVerifier, byte[] browserKeyHash, Purpose purpose,
      URI redirectUri, Instant expires) {
    public Flow {
      Objects.requireNonNull(purpose, "purpose");
      Objects.requireNonNull(redirectUri, "redirectUri");
    }
  }

  /** A started flow and the key its browser must hold. */
  public record Started(Flow flow, String browserKey) {}

  /** What a callback's state found. */
  public sealed interface Taken {
    record Found(Flow flow) implements Taken {}

    /** No flow of that state: never started, already used (a replay), or timed out and swept. */
    record Unknown() implements Taken {}

    /** The flow ran out before the callback. */
    record Expired() implements Taken {}

    /** Another browser started the flow. */
    record WrongBrowser() implements Taken {}
  }

  private final Map<String, Flow> flows = new ConcurrentHashMap<>();
  private final Clock clock;

  public OidcFlows(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts a flow for {@code purpose}, answered at {@code redirectUri}; empty when {@value #CAPACITY} are in progress. */
  public Optional<Started> start(Purpose purpose, URI redirectUri) {
    Instant now = clock.instant();
    if (flows.size() >= CAPACITY) {
      flows.values().removeIf(f -> !now.isBefore(f.expires()));
      if (flows.size() >= CAPACITY) {
        return Optional.empty();
      }
    }
    String browserKey = random();
    Flow flow = new Flow(random(), random(), random() + random(), sha256(browserKey), purpose, redirectUri,
        now.plus(LIFE));
    flows.put(flow.state(), flow);
    return Optional.of(new Started(flow, browserKey));
  }

  /** Takes the flow of {@code state} (it is gone afterwards), checked against the browser's {@code browserKey}. */
  public Taken take(String state, String browserKey) {
    if (state == null || state.length() > 100) {
      return new Taken.Unknown();
    }
    Flow flow = flows.remove(state);
    if (flow == null) {
      return new Taken.Unknown();
    }
    if (!clock.instant().isBefore(flow.expires())) {
      return new Taken.Expired();
    }
    if (browserKey == null || !MessageDigest.isEqual(flow.browserKeyHash(), sha256(browserKey))) {
      return new Taken.WrongBrowser();
    }
    return new Taken.Found(flow);
  }

  /** Flows in progress (tests, the health page). */
  public int size() {
    return flows.size();
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
