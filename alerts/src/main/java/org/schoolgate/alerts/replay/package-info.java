/**
 * Replay of the proxy's access log after a restart: {@link org.schoolgate.alerts.replay.AlertReplay}
 * reads the daily {@code access-YYYY-MM-DD.jsonl} files from the alert engine's checkpoint on
 * ({@link org.schoolgate.alerts.replay.AccessLogLine} turns a line back into an
 * {@link org.schoolgate.alerts.AccessInput}); events up to the checkpoint only warm the rules'
 * windows, later ones are evaluated and raised (idempotency keys make an alert raised before a
 * crash harmless to raise again). Reads files: run it on the starting thread, never an event loop.
 */
package org.schoolgate.alerts.replay;
