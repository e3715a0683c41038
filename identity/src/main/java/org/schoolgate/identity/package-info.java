/**
 * Who is behind a client address. The contract other modules use: {@link
 * org.schoolgate.identity.AuthMethod} (how a person was identified). Sub-packages hold the
 * sources: the directory (LDAP/Active Directory, Kerberos), address bindings (logon sessions,
 * RADIUS accounting, the sign-in page). Nothing here runs on a Netty event loop: look-ups that
 * may block run on the module's own executors and their results are read without locks.
 */
package org.schoolgate.identity;
