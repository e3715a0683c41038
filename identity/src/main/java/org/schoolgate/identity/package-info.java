/**
 * Who is behind a client address. The contract other modules use: {@link
 * org.schoolgate.identity.AuthMethod} (how a person was identified), {@link
 * org.schoolgate.identity.ProxyCredentials} (a {@code Proxy-Authorization} header read),
 * {@link org.schoolgate.identity.Verifier} and its {@link org.schoolgate.identity.Verification},
 * {@link org.schoolgate.identity.AddressBindings}, the precedence of sources in
 * {@link org.schoolgate.identity.WhoIsAsking} and its answer {@link org.schoolgate.identity.Who},
 * and {@link org.schoolgate.identity.IdentityService}, which gathers the inputs asynchronously.
 * Sub-packages hold the sources: the directory (LDAP/Active Directory), Kerberos, local accounts,
 * and the verifier. Nothing here runs on a Netty event loop: look-ups that may block run on the
 * module's own executor and their results are read without locks.
 */
package org.schoolgate.identity;
