/**
 * The unblock workflow: a teacher asks for a site, category or (staff only) a filter bypass for
 * some groups, users or rooms over a period; someone else approves it; the engine applies it
 * at once and drops it when it ends. {@link org.schoolgate.admin.unblock.UnblockWorkflow} holds
 * the rules and the publishing ticker.
 */
package org.schoolgate.admin.unblock;
