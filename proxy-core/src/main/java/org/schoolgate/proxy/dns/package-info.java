/**
 * Non-blocking DNS: an asynchronous resolver with a TTL-bounded cache, the hosts file (re-read
 * off the event loops when it changes), the cache-only resolver given to LittleProxy, and the
 * gate that holds a request until its host is resolved.
 */
package org.schoolgate.proxy.dns;
