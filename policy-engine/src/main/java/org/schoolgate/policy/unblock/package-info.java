/**
 * Approved unblocks compiled for deciding: {@link org.schoolgate.policy.unblock.UnblockIndex}
 * finds the unblock in force for a request without scanning them all — domain and URL-prefix
 * targets by the host's label-boundary suffixes (one right-to-left pass, no allocation), category
 * targets by category, filter bypasses in their own short list — then checks scope (group, user,
 * client subnet) and time. Used through {@link org.schoolgate.policy.UnblockSet}.
 */
package org.schoolgate.policy.unblock;
