/**
 * Alert rules on the access stream: {@link org.schoolgate.alerts.AlertEngine} takes
 * {@link org.schoolgate.alerts.AccessInput}s on a bounded queue (a full queue is counted and the
 * event evaluated on the caller's thread, so no alert is lost), evaluates
 * {@link org.schoolgate.alerts.AlertRules} — tuned by the policy's {@code alerts:} section
 * ({@code PolicySnapshot.alertPolicy()}): search terms by safeguarding theme, illegal attempts,
 * repeated attempts, circumvention, bursts of blocks — on its one thread ({@code schoolgate-alerts})
 * and raises what they decide into the store's alert outbox, retrying while the store is down.
 * Given the access-log directory, the engine's thread keeps a {@link org.schoolgate.alerts.Checkpoint}
 * there (the last event whose alerts are in the outbox) for the replay after a crash
 * ({@code org.schoolgate.alerts.replay}).
 */
package org.schoolgate.alerts;
