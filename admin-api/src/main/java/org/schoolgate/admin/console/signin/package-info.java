/**
 * Signing in to the console: username and password, then (admin, dsl, senior-leader) the second
 * factor, or its enrolment for an account that has none yet; signing out. Between the steps the
 * browser holds only a random {@code schoolgate_pending} cookie naming an in-memory entry that
 * ends after 10 minutes or 5 wrong codes.
 */
package org.schoolgate.admin.console.signin;
