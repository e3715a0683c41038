/**
 * Test utilities shared by every module's tests (through policy-engine's test jar): a clock tests
 * move by hand, and a poll for conditions other threads make true. Never sleep to wait for time.
 */
package org.schoolgate.policy.testing;
