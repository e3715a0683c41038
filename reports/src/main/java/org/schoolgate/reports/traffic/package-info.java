/**
 * Traffic reports from the access log: blocked requests by category and group over time, the
 * most blocked sites, and filter bypasses (approved bypasses used, blocked bypass sites, tunnel
 * checks, refused internal destinations). Counts follow the viewer ({@link org.schoolgate.reports.Count}).
 */
package org.schoolgate.reports.traffic;
