/**
 * The technician's view of the system: the policy matrix as a grid (categories × groups, each
 * level in colour and in words, schedules and nominees), the category lists' status (last update,
 * entries, invalid lines) and system health (requests and blocks per second, the access-log
 * queue, DNS, interceptions, alert delivery) sampled from the meter registry. Each page's data is
 * also JSON ({@code /api/v1/policy/matrix}, {@code /api/v1/lists}, {@code /api/v1/health}).
 */
package org.schoolgate.admin.console.system;
