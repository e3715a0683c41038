/**
 * URL and host parsing shared by the proxy, the CLI, the admin API and the list loaders: one
 * parser ({@link org.schoolgate.policy.url.UrlParser}) that reads request targets the way
 * browsers do (WHATWG URL) so that no spelling of a listed site slips past a block.
 *
 * <p>Package-private helpers, one step each: {@code HostDecoder} (percent-decoding; WHATWG domain
 * to ASCII, UTS #46 through ICU), {@code CheckedHosts} (recently checked {@code xn--} hosts, so a
 * repeated one costs no decoding), {@code Ipv4} (decimal, hex, octal and short forms to a dotted
 * quad), {@code Ipv6} (parsing and compressed serialisation; IPv4-mapped keyed as IPv4),
 * {@code PathNormaliser} (one canonical path spelling) and {@code LookAlikes} (mixed-script and
 * whole-script confusable labels, UTS #39 through ICU). Already-normal hosts and paths are
 * returned as the same instance, allocating nothing; plain ASCII names never reach ICU.
 *
 * <p>{@link org.schoolgate.policy.url.GoogleHosts} tells Google search hosts apart without
 * allocating, for safe-search enforcement and search-term capture alike.
 */
package org.schoolgate.policy.url;
