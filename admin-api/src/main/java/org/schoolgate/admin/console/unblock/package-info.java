/**
 * The unblock workflow as pages: a teacher's request form (where the block page's "request
 * access" link lands, pre-filled), their requests and "why is this blocked?"; the approvers'
 * inbox (approve or deny with a comment, four eyes as in the API) and the unblocks in force with
 * time left and revoke. Every rule is {@link org.schoolgate.admin.unblock.UnblockWorkflow}'s.
 */
package org.schoolgate.admin.console.unblock;
