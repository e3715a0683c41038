/**
 * Non-blocking DNS: an asynchronous resolver with a TTL-bounded cache and the hosts file
 * (re-read off the event loops when it changes). Answers are typed ({@code DnsAnswer}); the
 * front handler waits for one without blocking, as for any asynchronous step.
 */
package org.schoolgate.proxy.dns;
