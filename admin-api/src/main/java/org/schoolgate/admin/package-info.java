/**
 * The admin HTTP API (Javalin on its own port, 127.0.0.1 by default). {@link
 * org.schoolgate.admin.AdminServer} is the entry point; {@code GET /api/v1/openapi.json} lists
 * every route. Sub-packages: {@code auth} (the route table with the roles each route needs, the
 * guard, sign-in, API tokens, first-run setup, accounts), {@code unblock} (the unblock workflow
 * and its publishing ticker), {@code audit} (reading and verifying the audit trail), {@code
 * alert} (the DSL's alerts: list and acknowledge), {@code
 * explain} (decision explanations shared with the CLI) and {@code http} (JSON errors and bodies).
 * Here: health, metrics, decide, policy reload and the {@code /request-access} page the block
 * page links to.
 */
package org.schoolgate.admin;
