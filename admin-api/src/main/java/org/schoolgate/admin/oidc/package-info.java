/**
 * OpenID Connect sign-in with the school's cloud accounts (Google Workspace, Microsoft Entra ID):
 * {@code OidcSettings} (the runtime configuration's {@code oidc:} section), {@code OidcProvider}
 * (discovery and the provider's keys, cached; the code exchange; the ID token checked — signature,
 * issuer, audience, expiry, nonce — with Nimbus OAuth 2.0 / OIDC SDK), {@code OidcFlows} (flows in
 * progress: state, nonce and PKCE verifier, used once) and {@code OidcPerson} (who the token
 * names, after the allowed-domain check). No Javalin here: the console's {@code oidc} package
 * drives the browser.
 */
package org.schoolgate.admin.oidc;
