/**
 * The compiled host index: category lists reduced to 64-bit suffix hashes in primitive tables, looked up without allocation; and the registry of shared category sets. See {@link org.schoolgate.policy.index.HostIndex} for the design notes.
 */
package org.schoolgate.policy.index;
