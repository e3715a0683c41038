/**
 * URL and host parsing shared by the proxy, the CLI, the admin API and the list loaders: one
 * parser ({@link org.schoolgate.policy.url.UrlParser}) that reads request targets the way
 * browsers do (WHATWG URL) so that no spelling of a listed site slips past a block.
 *
 * <p>Package-private helpers, one step each: {@code HostDecoder} (percent-decoding, IDN to
 * punycode), {@code Ipv4} (decimal, hex, octal and short forms to a dotted quad), {@code Ipv6}
 * (parsing and compressed serialisation; IPv4-mapped keyed as IPv4), {@code PathNormaliser} (one
 * canonical path spelling) and {@code ScriptMix} (mixed-script look-alike detection).
 * Already-normal hosts and paths are returned as the same instance, allocating nothing.
 */
package org.schoolgate.policy.url;
