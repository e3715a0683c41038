/**
 * Explaining one decision for people and tools: parsing the inputs (client address, time, URL)
 * the way the admin API and the {@code schoolgate check} CLI both accept them, and turning a
 * {@link org.schoolgate.policy.Decision} into an {@link org.schoolgate.admin.explain.Explanation}.
 *
 * <pre>{@code
 * InetAddress client = Inputs.client("10.20.3.4", "client");
 * Instant at = Inputs.at("2026-11-23T12:30", snapshot.timezone(), clock, "at");
 * Explanation e = Explainer.explain(snapshot, client, "j.smith", "http://example.com/", at);
 * }</pre>
 */
package org.schoolgate.admin.explain;
