/**
 * Test utilities shared by every module's tests (through policy-engine's test jar): a clock tests
 * move by hand, and a poll for conditions other threads make true (never sleep to wait for time);
 * a real tmpfs to fill a disk, and Linux network namespaces for clients on other machines (both
 * need root, as CI runs).
 */
package org.schoolgate.policy.testing;
