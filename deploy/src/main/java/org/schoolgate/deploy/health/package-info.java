/**
 * The other modules' signals adapted to the admin API's health-check contract
 * ({@code org.schoolgate.admin.health}): the proxy (listening or not), the access log (being
 * written, or an outage), the store (takes writes), the alert outbox (deliveries waiting too long)
 * and the lists (the policy compiled with warnings, or a rejected reload). {@link
 * org.schoolgate.deploy.health.SchoolgateChecks} builds them; the proxy joins once it has started.
 */
package org.schoolgate.deploy.health;
