/**
 * Test fixtures for the resolver, also used by deploy's end-to-end tests (the module's test jar):
 * an upstream stand-in (UDP and TCP on loopback, scripted answers, truncation, silence, held
 * answers), a DNS client that asks from chosen loopback addresses, and a harness that starts the
 * resolver with a test policy and a real access log.
 */
package org.schoolgate.resolver.testing;
