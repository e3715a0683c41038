/**
 * The compiled host index: category lists reduced to 64-bit suffix hashes packed into one primitive table (8 bytes a slot), looked up without allocation and stopping at the first suffix with nothing listed below it; the builder that gets there without holding names as strings; and the registry of shared category sets. See {@link org.schoolgate.policy.index.HostIndex} for the design notes.
 */
package org.schoolgate.policy.index;
