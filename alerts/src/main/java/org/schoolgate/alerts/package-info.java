/**
 * Alert rules on the access stream: {@link org.schoolgate.alerts.AlertEngine} takes
 * {@link org.schoolgate.alerts.AccessInput}s on a bounded queue (never blocking the caller),
 * evaluates {@link org.schoolgate.alerts.AlertRules} on its one thread ({@code schoolgate-alerts})
 * and raises what they decide into the store's alert outbox, retrying while the store is down.
 */
package org.schoolgate.alerts;
