/**
 * The wire: Netty's DNS codec with what a server facing untrusted clients needs around it. A
 * query that cannot be decoded becomes a {@link org.schoolgate.resolver.wire.BadQuery} (answered
 * FORMERR, or dropped when it is no query at all); TCP frames are decoded like datagrams; an
 * answer too large for the client's UDP size is sent truncated so it retries over TCP; responses
 * carry EDNS when the query did.
 */
package org.schoolgate.resolver.wire;
