/**
 * Negotiate (Kerberos through SPNEGO) with the JDK's GSS-API and the proxy's keytab
 * ({@link org.schoolgate.identity.kerberos.SpnegoAcceptor}): tokens are typed outcomes, replays and
 * clock skew are refused with their own reasons.
 */
package org.schoolgate.identity.kerberos;
