/**
 * "My account" for every signed-in account: changing one's own password (the current one
 * required, throttled like sign-in, other sessions ended), moving the second factor to a new
 * authenticator app, new recovery codes, and one's recent sign-ins from the audit trail.
 * {@link org.schoolgate.admin.me.MyAccount} holds the rules; {@link org.schoolgate.admin.me.MeRoutes}
 * is the JSON API and the console's {@code /account} pages call the same methods.
 */
package org.schoolgate.admin.me;
