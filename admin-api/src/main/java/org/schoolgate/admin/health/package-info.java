/**
 * Health that tells the truth: the {@link org.schoolgate.admin.health.HealthCheck} contract (the
 * admin API knows no proxy, access log or alert outbox: {@code deploy} adapts them to it), the
 * {@link org.schoolgate.admin.health.HealthMonitor} that runs the checks on its own threads and
 * publishes a {@link org.schoolgate.admin.health.HealthReport}, and the routes {@code /healthz},
 * {@code /healthz/live} and {@code /healthz/ready}.
 */
package org.schoolgate.admin.health;
