/**
 * The address → person table that logon sessions, RADIUS accounting and (later) the sign-in page
 * fill, and the proxy reads: {@link org.schoolgate.identity.binding.BindingTable} (a concurrent map
 * read without locks or allocation, ended bindings never returned), its persistence port {@link
 * org.schoolgate.identity.binding.BindingJournal} (implemented over the store by deploy), the
 * {@code schoolgate-bindings} thread that writes changes, sweeps expired bindings and picks up
 * other nodes' changes, and {@link org.schoolgate.identity.binding.UserNameRule} (realms and
 * domains stripped, case folded).
 */
package org.schoolgate.identity.binding;
