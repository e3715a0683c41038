/**
 * The DSL's incident inbox over HTTP: list and filter, one incident with its timeline, assign,
 * acknowledge, escalate, close, notes and actions taken. Incidents are opened by alerts in the
 * store, never by these routes; the store audits every view and change.
 */
package org.schoolgate.admin.incident;
