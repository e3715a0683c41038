/**
 * Account management for admins: the accounts with their roles, state and second factor; create
 * an account; change roles, disable or enable, set a new password, reset a lost second factor.
 * The store checks and audits every change, as for the JSON API.
 */
package org.schoolgate.admin.console.accounts;
