/**
 * The sign-in page's shared pieces: {@code SignInTicket}, the proxy's signed word for which client
 * address a browser sent to the sign-in page had (the page may be reached through a tunnel, where
 * the admin server sees only the proxy), checked by the admin server with the same per-process key.
 */
package org.schoolgate.identity.portal;
