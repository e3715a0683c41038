/**
 * Logon sessions: {@code POST /api/v1/identity/sessions} and {@code DELETE} for logon/logoff
 * scripts, Wi-Fi controllers and MDMs (role {@code identity-source}) to say who is at which
 * address until when, written into the identity module's binding table; validation, the rule
 * that only listed reporter networks may speak for other addresses, and the audit summary.
 */
package org.schoolgate.admin.identity;
