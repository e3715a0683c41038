/**
 * Alerts for people over HTTP: the DSL's (and senior leaders') list of alerts from the store's
 * alert outbox, and acknowledging one. Alerts are raised by the store inside the transaction of
 * what caused them (e.g. an approved filter bypass), never by these routes.
 */
package org.schoolgate.admin.alert;
