/**
 * URL and host parsing shared by the proxy, the CLI and the admin API: {@link org.schoolgate.policy.url.UrlParser} normalises hosts (case, trailing dot, port, brackets, IDN) the same way the index does.
 */
package org.schoolgate.policy.url;
