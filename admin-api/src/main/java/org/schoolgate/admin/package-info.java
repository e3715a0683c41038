/**
 * The admin HTTP API (Javalin on its own port, 127.0.0.1 by default): {@code /healthz},
 * {@code /metrics}, {@code /api/v1/decide}, {@code /api/v1/policy/reload} and the
 * {@code /request-access} page the block page links to. {@link org.schoolgate.admin.AdminServer}
 * is the entry point; routes and error mapping are package-private.
 */
package org.schoolgate.admin;
