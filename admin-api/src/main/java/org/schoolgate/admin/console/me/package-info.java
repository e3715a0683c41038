/**
 * The console's "My account" pages for every signed-in person ({@code /account}, linked from the
 * header): password, a new authenticator app, new recovery codes, recent sign-ins. The rules are
 * {@link org.schoolgate.admin.me.MyAccount}'s.
 */
package org.schoolgate.admin.console.me;
