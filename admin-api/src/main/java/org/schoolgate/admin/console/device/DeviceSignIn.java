package org.schoolgate.admin.console.device;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.DeviceSignInEvent;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.model.NetworkConfig;
import org.schoolgate.store.GuestVoucher;
import org.schoolgate.store.GuestVoucherStore;

/**
 * Signs a device in on the sign-in page: a school account (user name and password, checked by the
 * identity module's {@link Verifier} — its cache, its throttle below the directory's lock-out
 * threshold, its circuit breaker) or a guest voucher's code; then binds the device's address to
 * the person ({@link AuthMethod#PORTAL}) for the network's {@code bind-for}, a voucher's binding never past the
 * end of its day. Only a device on a network whose policy turns the sign-in page on is signed in
 * (anyone else would bind an address the proxy does not read such bindings for). Runs on the admin
 * server's threads: it blocks on the store and waits for the verifier.
 */
public final class DeviceSignIn {
  /** The directory group a guest's binding carries: the policy maps it (directory-groups) to its guest group. */
  public static final String GUESTS = "guests";
  static final long WAIT_SECONDS = 30;

  private final Verifier verifier;
  private final GuestVoucherStore vouchers;
  private final BindingTable bindings;
  private final PolicyHolder holder;
  private final AdminMetrics metrics;
  private final Clock clock;
  private final String proxyKey;
  private final GuessThrottle guesses;

  /** {@code proxyKey}: the key the proxy signs its sign-in tickets with, or null (no tickets accepted). */
  /** {@code guesses}: how many wrong codes and passwords the page takes ({@code admin.device-sign-in-limits}). */
  public DeviceSignIn(Verifier verifier, GuestVoucherStore vouchers, BindingTable bindings, PolicyHolder holder,
      AdminMetrics metrics, Clock clock, String proxyKey, org.schoolgate.admin.signin.GuessLimits guesses) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.vouchers = Objects.requireNonNull(vouchers, "vouchers");
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.proxyKey = proxyKey;
    this.guesses = new GuessThrottle(guesses, clock);
  }

  /** What became of a sign-in. */
  public sealed interface Outcome {
    /** The device at {@code address} is {@code user}'s until {@code until}. */
    record SignedIn(String user, InetAddress address, Instant until) implements Outcome {}

    /** Wrong user name, password or code (one message for all), or too many attempts. */
    record Refused(String message) implements Outcome {}

    /** The directory cannot answer now: try again. */
    record Unavailable(String message) implements Outcome {}

    /**
     * Too many wrong codes or passwords from this device ({@code everyone} false) or from all:
     * wait until {@code until}, {@code seconds} from now.
     */
    record Throttled(Instant until, long seconds, boolean everyone) implements Outcome {}

    /** The device is not on a network that uses the sign-in page. */
    record NotHere(String message) implements Outcome {}
  }

  /** The address a ticket the proxy issued vouches for; the page's own client address otherwise. */
  public InetAddress address(String ticket, InetAddress seen) {
    if (proxyKey == null || ticket == null || ticket.isBlank()) {
      return seen;
    }
    return org.schoolgate.identity.portal.SignInTicket.check(proxyKey, ticket, clock.instant()).orElse(seen);
  }

  /** True when {@code ticket} is one the proxy issued that has not run out (always false without the proxy's key). */
  public boolean ticketValid(String ticket) {
    return proxyKey != null && ticket != null && !ticket.isBlank()
        && org.schoolgate.identity.portal.SignInTicket.check(proxyKey, ticket, clock.instant()).isPresent();
  }

  /** Signs the device at {@code address} in with a school account. */
  Outcome withAccount(InetAddress address, String user, char[] password) {
    java.util.Optional<Outcome> notHere = notHere(address);
    if (notHere.isPresent()) {
      java.util.Arrays.fill(password, '\0');
      return notHere.get();
    }
    if (guesses.begin(address) instanceof GuessThrottle.Verdict.Wait wait) {
      java.util.Arrays.fill(password, '\0');
      return throttled(wait);
    }
    Outcome outcome = checkAccount(address, user, password);
    guesses.settle(address, outcome instanceof Outcome.Refused);
    return outcome;
  }

  private Outcome checkAccount(InetAddress address, String user, char[] password) {
    Verification v;
    try {
      v = verifier.verify(new ProxyCredentials.Basic(user, password), address).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      v = new Verification.Unavailable("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      v = new Verification.Unavailable("the directory did not answer in time");
    }
    if (v instanceof Verification.Verified ok) {
      metrics.deviceSignIn(DeviceSignInEvent.SIGNED_IN);
      return bind(address, ok.user(), ok.directoryGroups(), clock.instant().plus(bindFor(address)),
          "portal:account");
    }
    if (v instanceof Verification.Refused r) {
      metrics.deviceSignIn(DeviceSignInEvent.REFUSED);
      return new Outcome.Refused(r.refusal() == Verification.Refusal.THROTTLED_USER
          || r.refusal() == Verification.Refusal.THROTTLED_CLIENT ? r.message()
          : "The user name or password is wrong.");
    }
    metrics.deviceSignIn(DeviceSignInEvent.UNAVAILABLE);
    return new Outcome.Unavailable("Signing in is not working just now (" + ((Verification.Unavailable) v).reason()
        + "). Try again in a minute, or ask for a guest code.");
  }

  /**
   * Signs the device at {@code address} in as {@code user}, whom the school's OpenID Connect
   * provider vouched for: with {@code groups} from the ID token, or (null) the directory groups
   * the identity verifier finds for the user name; a user name the directory does not know is
   * refused.
   */
  public Outcome withProvider(InetAddress address, String user, List<String> groups) {
    java.util.Optional<Outcome> notHere = notHere(address);
    if (notHere.isPresent()) {
      return notHere.get();
    }
    List<String> found = groups;
    if (found == null) {
      Verification v;
      try {
        v = verifier.groupsOf(user, AuthMethod.PORTAL).get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        v = new Verification.Unavailable("interrupted");
      } catch (ExecutionException | TimeoutException e) {
        v = new Verification.Unavailable("the directory did not answer in time");
      }
      if (v instanceof Verification.Refused) {
        metrics.deviceSignIn(DeviceSignInEvent.REFUSED);
        return new Outcome.Refused("Your school account (" + user + ") is not in the school's directory, so this"
            + " device cannot be signed in with it. Ask the IT team, or ask for a guest code.");
      }
      if (v instanceof Verification.Unavailable u) {
        metrics.deviceSignIn(DeviceSignInEvent.UNAVAILABLE);
        return new Outcome.Unavailable("Signing in is not working just now (" + u.reason()
            + "). Try again in a minute, or ask for a guest code.");
      }
      found = ((Verification.Verified) v).directoryGroups();
    }
    metrics.deviceSignIn(DeviceSignInEvent.SIGNED_IN);
    return bind(address, user, found, clock.instant().plus(bindFor(address)), "portal:oidc");
  }

  /** Signs the device at {@code address} in with a guest voucher's code. */
  Outcome withVoucher(InetAddress address, String code) {
    java.util.Optional<Outcome> notHere = notHere(address);
    if (notHere.isPresent()) {
      return notHere.get();
    }
    if (guesses.begin(address) instanceof GuessThrottle.Verdict.Wait wait) {
      return throttled(wait);
    }
    Outcome outcome = checkVoucher(address, code);
    guesses.settle(address, outcome instanceof Outcome.Refused);
    return outcome;
  }

  private Outcome throttled(GuessThrottle.Verdict.Wait wait) {
    metrics.deviceSignIn(DeviceSignInEvent.THROTTLED);
    long seconds = Math.max(1, Duration.between(clock.instant(), wait.until()).toSeconds());
    return new Outcome.Throttled(wait.until(), seconds, wait.everyone());
  }

  private Outcome checkVoucher(InetAddress address, String code) {
    Instant now = clock.instant();
    GuestVoucherStore.Redeemed r = vouchers.redeem(code, now, address.getHostAddress());
    if (!(r instanceof GuestVoucherStore.Redeemed.Valid valid)) {
      metrics.deviceSignIn(DeviceSignInEvent.REFUSED);
      return new Outcome.Refused("That guest code is not valid today. Check it, or ask the office for a new one.");
    }
    GuestVoucher v = valid.voucher();
    Instant end = now.plus(bindFor(address));
    Instant until = end.isBefore(v.validUntil()) ? end : v.validUntil();
    metrics.deviceSignIn(DeviceSignInEvent.GUEST_SIGNED_IN);
    return bind(address, v.userName(), List.of(GUESTS), until, org.schoolgate.admin.identity.GuestVoucherRoutes.bindingSource(v.id()));
  }

  /** How long the sign-in page binds a device on {@code address}'s network ({@code bind-for}). */
  private Duration bindFor(InetAddress address) {
    return holder.current().network(address).bindFor();
  }

  /** {@link Outcome.NotHere} when {@code address}'s network does not use the sign-in page. */
  private java.util.Optional<Outcome> notHere(InetAddress address) {
    NetworkConfig network = holder.current().network(address);
    if (network.signInPage() == NetworkConfig.SignInPage.OFF) {
      metrics.deviceSignIn(DeviceSignInEvent.NOT_HERE);
      return java.util.Optional.of(new Outcome.NotHere("This device (" + address.getHostAddress() + ") is not on a"
          + " network that uses the sign-in page, so there is nothing to sign in to here. Ask the IT team if that"
          + " seems wrong."));
    }
    return java.util.Optional.empty();
  }

  private Outcome bind(InetAddress address, String user, List<String> groups, Instant until, String source) {
    bindings.bind(address, new AddressBinding(user, Set.copyOf(groups), AuthMethod.PORTAL, until), source);
    return new Outcome.SignedIn(user, address, until);
  }
}
