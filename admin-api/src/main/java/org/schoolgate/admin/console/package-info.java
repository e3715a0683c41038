/**
 * The console's framework: server-rendered HTML pages on the admin port, from templates compiled
 * at build time (JTE, {@code src/main/jte}) and styled with GOV.UK Frontend's CSS (served from
 * the WebJar without the crown or the GDS Transport font).
 *
 * <ul>
 *   <li>{@link org.schoolgate.admin.console.ConsoleRoute}: every page and form post with who may
 *       open it and its place in the navigation — the one table, like the API's {@code ApiRoute}.
 *   <li>{@link org.schoolgate.admin.console.ConsoleGuard}: before each console route: a visitor
 *       who is not signed in is sent to {@code /sign-in}, a role that may not open the page gets
 *       the 403 page, and every form post must carry the CSRF token.
 *   <li>{@link org.schoolgate.admin.console.View}: renders a template inside the layout with a
 *       fresh CSP nonce and the security headers; {@link org.schoolgate.admin.console.Page} is
 *       what the layout needs (title, navigation, user, CSRF token, flash message).
 *   <li>{@link org.schoolgate.admin.console.Assets}: CSS, JavaScript and chart library under
 *       content-hashed names with year-long cache headers.
 * </ul>
 *
 * <p>Pages live in their own packages ({@code console.signin}, {@code console.home},
 * {@code console.unblock}, {@code console.safeguarding}, {@code console.system}); docs/console.md
 * says how to add one.
 */
package org.schoolgate.admin.console;
