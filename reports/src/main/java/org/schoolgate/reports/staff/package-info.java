/**
 * Reports from the store: unblocks granted (how many, how long, which categories, who approved),
 * alerts by kind and theme with how fast they were acknowledged, and the audit trail with its
 * chain's verification (safeguarding records redacted for readers outside the DSL and senior
 * leaders, {@link org.schoolgate.store.AuditVisibility}).
 */
package org.schoolgate.reports.staff;
