/**
 * The reports' JSON routes ({@code /api/v1/reports/...}): thin handlers over the reports module's
 * {@link org.schoolgate.reports.Reports} service, which enforces who may see what and audits every
 * look at a named person. The route table ({@code ApiRoute}) lets the roles in; the service adds
 * the rules that depend on the data (a teacher's own timeline, suppressed counts).
 */
package org.schoolgate.admin.reports;
