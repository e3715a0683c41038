package org.schoolgate.policy.model;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.schoolgate.policy.GroupId;

/**
 * How people are identified on one client network ({@code identification.networks.<name>}).
 * A client is in the network with the most specific subnet containing it; a client in none gets
 * {@link IdentificationConfig#defaults()}.
 *
 * @param name the network's name in the policy (e.g. {@code staff-pcs}); {@code default} for the
 *     settings of clients in no listed network
 * @param subnets the client networks (empty only for {@code default})
 * @param proxyAuth whether the proxy asks for credentials (407)
 * @param schemes the schemes offered in a 407, in the order offered (not empty unless
 *     {@code proxyAuth} is {@link ProxyAuth#OFF})
 * @param trustSessions whether logon sessions (logon scripts, MDM, Wi-Fi controller through the
 *     admin API) identify people here
 * @param trustRadius whether RADIUS accounting identifies people here
 * @param signInPage whether the sign-in page applies (parsed now, used by later work)
 * @param device whose devices these are: school-owned or personal (BYOD; parsed now, used by
 *     later work)
 * @param unmappedGroup the group for a known person in no mapped directory group, or null for
 *     the group the client's subnet gives; never more permissive than that (see
 *     {@link Permissiveness})
 * @param bindFor how long a sign-in on the sign-in page binds the device's address (a guest
 *     voucher's binding still ends with its day): {@link #MIN_BIND_FOR} to {@link #MAX_BIND_FOR}
 */
public record NetworkConfig(String name, List<Subnet> subnets, ProxyAuth proxyAuth, List<Scheme> schemes,
    boolean trustSessions, boolean trustRadius, SignInPage signInPage, DeviceClass device, GroupId unmappedGroup,
    Duration bindFor) {

  /** How long a sign-in-page sign-in binds a device unless the network says: a school day. */
  public static final Duration DEFAULT_BIND_FOR = Duration.ofHours(9);
  /** The shortest binding: shorter sends people back to the page mid-lesson. */
  public static final Duration MIN_BIND_FOR = Duration.ofMinutes(5);
  /** The longest binding: a week (a device's address may pass to someone else after that). */
  public static final Duration MAX_BIND_FOR = Duration.ofDays(7);

  /** The settings of a client in no listed network, unless the policy gives {@code default}. */
  public static final NetworkConfig DEFAULTS = new NetworkConfig("default", List.of(), ProxyAuth.OFF, List.of(),
      true, true, SignInPage.OFF, DeviceClass.SCHOOL, null, DEFAULT_BIND_FOR);

  /** The settings before {@code bindFor}: a school day's binding. */
  public NetworkConfig(String name, List<Subnet> subnets, ProxyAuth proxyAuth, List<Scheme> schemes,
      boolean trustSessions, boolean trustRadius, SignInPage signInPage, DeviceClass device, GroupId unmappedGroup) {
    this(name, subnets, proxyAuth, schemes, trustSessions, trustRadius, signInPage, device, unmappedGroup,
        DEFAULT_BIND_FOR);
  }

  public NetworkConfig {
    Objects.requireNonNull(bindFor, "bindFor");
    if (bindFor.compareTo(MIN_BIND_FOR) < 0 || bindFor.compareTo(MAX_BIND_FOR) > 0) {
      throw new IllegalArgumentException("network '" + name + "': bind-for is " + bindFor.toMinutes()
          + " minutes (expected: from 5m to 7d, e.g. 9h)");
    }
    Objects.requireNonNull(name, "name");
    subnets = List.copyOf(subnets);
    Objects.requireNonNull(proxyAuth, "proxyAuth");
    schemes = List.copyOf(schemes);
    Objects.requireNonNull(signInPage, "signInPage");
    Objects.requireNonNull(device, "device");
    if (proxyAuth != ProxyAuth.OFF && schemes.isEmpty()) {
      throw new IllegalArgumentException("network '" + name + "': proxy-auth is " + proxyAuth.configName()
          + " but no scheme is offered (expected: schemes: [negotiate, basic], or proxy-auth: off)");
    }
    if (schemes.size() != schemes.stream().distinct().count()) {
      throw new IllegalArgumentException("network '" + name + "': schemes " + schemes
          + " names a scheme twice (expected: each of negotiate, basic at most once)");
    }
    if (subnets.isEmpty() && !name.equals("default")) {
      throw new IllegalArgumentException("network '" + name + "' has no subnets (expected: subnets: [10.30.0.0/16];"
          + " only the network named 'default' has none)");
    }
  }

  /** True when the proxy answers 407 to a request without valid credentials. */
  public boolean requiresCredentials() {
    return proxyAuth == ProxyAuth.REQUIRED;
  }

  /** True when credentials sent on this network are checked. */
  public boolean acceptsCredentials() {
    return proxyAuth != ProxyAuth.OFF;
  }

  /** Proxy authentication (407) on a network. */
  public enum ProxyAuth {
    /** Credentials are neither asked for nor read. */
    OFF,
    /**
     * Credentials the client sends are checked (wrong ones get 407); a request without them is
     * identified by the next source (address bindings, then the subnet) and not challenged.
     */
    OPTIONAL,
    /** A request without valid credentials gets 407; nobody is identified by subnet alone. */
    REQUIRED;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A proxy authentication scheme. */
  public enum Scheme {
    /** {@code Negotiate}: Kerberos through SPNEGO, single sign-on for domain-joined machines. */
    NEGOTIATE,
    /** {@code Basic}: user name and password, checked against the directory or local accounts. */
    BASIC;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The scheme's name in {@code Proxy-Authenticate}: {@code Negotiate} or {@code Basic}. */
    public String httpName() {
      return this == NEGOTIATE ? "Negotiate" : "Basic";
    }
  }

  /** The sign-in page (guests, personal devices); later work uses it. */
  public enum SignInPage {
    OFF, OPTIONAL, REQUIRED;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whose devices a network has. */
  public enum DeviceClass {
    /** School-owned, managed devices. */
    SCHOOL,
    /** Personally owned devices (BYOD): internet only, later work. */
    PERSONAL;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The enum constant whose config name is {@code text} (any case), or null. */
  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    return null;
  }
}
