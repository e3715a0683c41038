/**
 * Who may do what: {@link org.schoolgate.admin.auth.ApiRoute} declares every route and the roles
 * it needs, {@link org.schoolgate.admin.auth.AdminGuard} enforces that before any handler runs
 * (401 without a valid session or API token, 403 with the wrong roles), and the routes for
 * signing in, API tokens, first-run setup and account management live here.
 */
package org.schoolgate.admin.auth;
