/**
 * Deciding a query: who the client is (group, and user from the address bindings), the policy's
 * decision on the queried name, and the resolver's own rules (refusals, the DNS-over-HTTPS
 * canary, HTTPS/SVCB records withheld, Private Relay). Pure and in memory: called on the event
 * loop, it reads the policy snapshot and never blocks.
 */
package org.schoolgate.resolver.judge;
