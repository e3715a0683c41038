package org.schoolgate.deploy;

import java.nio.file.Path;
import java.util.Objects;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.verify.VerifierSettings;

/**
 * The proxy sign-in keys of the runtime configuration's {@code identity:} section: who can sign in to the proxy and how
 * the verifier caches and throttles.
 *
 * @param directory the school's LDAP directory or Active Directory, or null
 * @param keytab the proxy's Kerberos keytab (Negotiate), or null
 * @param principal the service principal in the keytab, e.g. {@code HTTP/proxy.school.example@SCHOOL.EXAMPLE}
 * @param krb5Conf a krb5.conf to use instead of the system's, or null
 * @param localAccounts whether Schoolgate's own proxy accounts ({@code schoolgate accounts proxy-add}) can
 *     sign in too (after the directory, or alone at a school without one)
 * @param verifier cache period, lock-out threshold and window, per-client limit, threads, circuit
 */
record SignInSettings(LdapSettings directory, Path keytab, String principal, Path krb5Conf,
    boolean localAccounts, VerifierSettings verifier) {
  SignInSettings {
    Objects.requireNonNull(verifier, "verifier");
    if ((keytab == null) != (principal == null)) {
      throw new IllegalArgumentException("identity.kerberos needs both keytab and principal"
          + " (expected: keytab: /etc/schoolgate/proxy.keytab, principal: HTTP/proxy.school.example@SCHOOL.EXAMPLE)");
    }
    if (directory == null && keytab == null && !localAccounts) {
      throw new IllegalArgumentException("identity has sign-in settings but no directory, kerberos or local accounts"
          + " (expected: identity.directory, identity.kerberos or local-accounts: true, or leave the sign-in keys out)");
    }
  }
}
