/**
 * The browser's side of OpenID Connect sign-in: {@code GET /oidc/start?for=device|console} (a flow
 * started, the browser sent to the school's provider) and {@code GET /oidc/callback} (the flow
 * taken once, the code exchanged, the ID token checked; then the device bound as {@code portal},
 * or the console's matching local account signed in). Each failure gets its own page.
 */
package org.schoolgate.admin.console.oidc;
