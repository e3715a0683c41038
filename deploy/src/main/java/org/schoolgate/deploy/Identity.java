package org.schoolgate.deploy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Verifier;
import org.schoolgate.identity.directory.LdapDirectory;
import org.schoolgate.identity.kerberos.SpnegoAcceptor;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.CredentialVerifier;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.store.ProxyAccountStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity sources started from {@code identity:}: the directory's pools, the Kerberos
 * acceptor and the {@link CredentialVerifier} with its {@code schoolgate-identity-N} threads.
 * {@link #service} is what the proxy's front asks per request (handed to {@code ProxyServer.start});
 * {@link #verifier} serves sign-ins elsewhere. Closed after the proxy and admin API.
 */
final class Identity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Identity.class);

  private final LdapDirectory directory;
  private final CredentialVerifier verifier;
  private final IdentityService service;

  private Identity(LdapDirectory directory, CredentialVerifier verifier, IdentityService service) {
    this.directory = directory;
    this.verifier = verifier;
    this.service = service;
  }

  /**
   * Starts the configured sources; {@code settings} null gives a verifier that refuses every sign-in.
   * {@code proxyAccounts}: the store's local proxy accounts, asked when {@code local-accounts: true}.
   */
  static Identity start(SignInSettings settings, ProxyAccountStore proxyAccounts, AddressBindings bindings,
      IdentityMetrics metrics, Clock clock) {
    if (settings == null) {
      return new Identity(null, null, new IdentityService(Verifier.NONE, bindings, clock));
    }
    if (settings.krb5Conf() != null) {
      System.setProperty("java.security.krb5.conf", settings.krb5Conf().toString());
    }
    LdapDirectory directory = settings.directory() == null ? null : new LdapDirectory(settings.directory(), metrics);
    SpnegoAcceptor kerberos = settings.keytab() == null ? null
        : SpnegoAcceptor.fromKeytab(settings.keytab(), settings.principal());
    StoreLocalAccounts local = settings.localAccounts() ? new StoreLocalAccounts(proxyAccounts) : null;
    CredentialVerifier verifier = new CredentialVerifier(settings.verifier(), directory, local, kerberos, metrics,
        Ticker.systemTicker(), clock);
    log.info("proxy sign-in: {}{}{}; verified people cached for {}, at most {} wrong passwords per user per {}",
        directory == null ? "no directory" : directory.describe(), local == null ? "" : ", local proxy accounts",
        kerberos == null ? "" : ", Kerberos as " + kerberos.principal(), settings.verifier().cacheFor(),
        settings.verifier().failuresPerUser(), settings.verifier().lockoutWindow());
    return new Identity(directory, verifier, new IdentityService(verifier, bindings, clock));
  }

  /** Warns at start when the policy asks for proxy sign-in that nothing can check. */
  void warnIfUnchecked(PolicySnapshot policy) {
    if (verifier == null && policy instanceof org.schoolgate.policy.compile.PolicyWithUnblocks p
        && p.compiled().config().identification().usesProxyAuth()) {
      log.warn("the policy asks for proxy sign-in (identification.networks ... proxy-auth) but the runtime"
          + " configuration has no identity: section, so every such request is answered 407 until one is added");
    }
  }

  /** The per-request entry point for the proxy. */
  IdentityService service() {
    return service;
  }

  /** The verifier, or {@link Verifier#NONE} without {@code identity:}. */
  Verifier verifier() {
    return verifier == null ? Verifier.NONE : verifier;
  }

  @Override
  public void close() {
    if (verifier != null) {
      verifier.close();
    }
    if (directory != null) {
      directory.close();
    }
  }
}
