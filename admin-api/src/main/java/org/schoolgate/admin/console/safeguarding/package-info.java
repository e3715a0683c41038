/**
 * The DSL's pages: the alerts inbox (acknowledge), the incident inbox with filters, and one
 * incident with its timeline and the workflow's actions (acknowledge, assign, escalate, close with
 * an outcome, notes, actions taken). The store audits every view and change, exactly as for the
 * JSON API; accounts an incident is assigned to see that incident and may add notes and actions.
 */
package org.schoolgate.admin.console.safeguarding;
