package org.schoolgate.identity.kerberos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;
import org.schoolgate.identity.Verification;

/**
 * Checks {@code Proxy-Authorization: Negotiate} tokens with the JDK's GSS-API and the proxy's
 * keytab ({@code HTTP/proxy.school.example@SCHOOL.EXAMPLE}): SPNEGO or raw Kerberos tokens
 * carrying a service ticket for that principal. No KDC is asked: the ticket is decrypted with the
 * keytab's key. The JDK keeps a replay cache, so a token seen before is refused; an authenticator
 * whose time differs from the proxy's by more than the allowed skew (krb5.conf {@code clockskew},
 * 5 minutes by default) is refused as {@link Verification.Refusal#CLOCK_SKEW}.
 *
 * <p>Only single-round exchanges are accepted (Kerberos); NTLM wrapped in SPNEGO is refused.
 * Blocking only on CPU: call it from the identity executor.
 *
 * <pre>{@code
 * SpnegoAcceptor acceptor = SpnegoAcceptor.fromKeytab(Path.of("/etc/schoolgate/proxy.keytab"),
 *     "HTTP/proxy.school.example@SCHOOL.EXAMPLE");
 * TokenCheck check = acceptor.accept(token);
 * }</pre>
 */
public final class SpnegoAcceptor {
  /** The largest token accepted: 48 KiB (tickets with a large PAC, users in hundreds of groups). */
  public static final int MAX_TOKEN_BYTES = 48 * 1024;
  /** Kerberos error KRB_AP_ERR_REPEAT. */
  private static final int KRB_AP_ERR_REPEAT = 34;
  /** Kerberos error KRB_AP_ERR_SKEW. */
  private static final int KRB_AP_ERR_SKEW = 37;

  private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
  private static final Oid KRB5 = oid("1.2.840.113554.1.2.2");

  private final GSSManager manager = GSSManager.getInstance();
  private final GSSCredential credential;
  private final String principal;

  private SpnegoAcceptor(GSSCredential credential, String principal) {
    this.credential = credential;
    this.principal = principal;
  }

  /**
   * Logs in as {@code principal} from {@code keytab} (no KDC contact) and prepares to accept.
   *
   * @throws IllegalArgumentException when the keytab cannot be read or holds no key for the
   *     principal, with a message that says which
   */
  public static SpnegoAcceptor fromKeytab(Path keytab, String principal) {
    Objects.requireNonNull(keytab, "keytab");
    Objects.requireNonNull(principal, "principal");
    if (!Files.isReadable(keytab)) {
      throw new IllegalArgumentException("keytab " + keytab + " cannot be read (expected: the proxy's keytab,"
          + " readable by the schoolgate user, e.g. made with ktpass or msktutil)");
    }
    Configuration jaas = new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of(
                "useKeyTab", "true", "keyTab", keytab.toAbsolutePath().toString(), "principal", principal,
                "storeKey", "true", "doNotPrompt", "true", "isInitiator", "false", "refreshKrb5Config", "true"))};
      }
    };
    try {
      LoginContext login = new LoginContext("schoolgate-proxy", new Subject(), null, jaas);
      login.login();
      GSSCredential credential = Subject.doAs(login.getSubject(),
          (PrivilegedExceptionAction<GSSCredential>) () -> GSSManager.getInstance().createCredential(null,
              GSSCredential.INDEFINITE_LIFETIME, new Oid[] {SPNEGO, KRB5}, GSSCredential.ACCEPT_ONLY));
      return new SpnegoAcceptor(credential, principal);
    } catch (LoginException e) {
      throw new IllegalArgumentException("cannot use keytab " + keytab + " for " + principal + ": " + e.getMessage()
          + " (expected: a keytab with a key for that principal)", e);
    } catch (PrivilegedActionException e) {
      throw new IllegalArgumentException("cannot accept Kerberos tickets for " + principal + " with keytab " + keytab
          + ": " + e.getException().getMessage(), e.getException());
    }
  }

  /** The service principal tickets must be for. */
  public String principal() {
    return principal;
  }

  /** Checks one token; never throws. */
  public TokenCheck accept(byte[] token) {
    if (token.length > MAX_TOKEN_BYTES) {
      return new TokenCheck.Rejected(Verification.Refusal.TOO_LARGE, "the Negotiate token is " + token.length
          + " bytes (expected: at most " + MAX_TOKEN_BYTES + ")");
    }
    GSSContext context = null;
    try {
      context = manager.createContext(credential);
      context.acceptSecContext(token, 0, token.length);
      if (!context.isEstablished()) {
        return new TokenCheck.Rejected(Verification.Refusal.BAD_TOKEN,
            "the Negotiate exchange needs more rounds (NTLM is not accepted; use Kerberos)");
      }
      return new TokenCheck.Accepted(context.getSrcName().toString());
    } catch (GSSException e) {
      return rejected(e);
    } catch (RuntimeException e) {
      return new TokenCheck.Rejected(Verification.Refusal.BAD_TOKEN, "the Negotiate token cannot be read: " + e);
    } finally {
      if (context != null) {
        try {
          context.dispose();
        } catch (GSSException ignored) {
          // nothing to release
        }
      }
    }
  }

  private static TokenCheck rejected(GSSException e) {
    String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    String detail = e.getMajorString() + (e.getMinorString() == null ? "" : ": " + e.getMinorString());
    if (e.getMinor() == KRB_AP_ERR_SKEW || text.contains("clock skew")) {
      return new TokenCheck.Rejected(Verification.Refusal.CLOCK_SKEW, "the computer's clock differs from the"
          + " proxy's by more than Kerberos allows (5 minutes); correct its time (" + detail + ")");
    }
    if (e.getMinor() == KRB_AP_ERR_REPEAT || e.getMajor() == GSSException.DUPLICATE_TOKEN
        || e.getMajor() == GSSException.OLD_TOKEN || text.contains("replay")) {
      return new TokenCheck.Rejected(Verification.Refusal.REPLAYED, "the Kerberos ticket was sent before (a replay)");
    }
    return new TokenCheck.Rejected(Verification.Refusal.BAD_TOKEN, "the Kerberos ticket is not valid for this proxy ("
        + detail + ")");
  }

  private static Oid oid(String s) {
    try {
      return new Oid(s);
    } catch (GSSException e) {
      throw new IllegalStateException(e);
    }
  }
}
