/**
 * The proxy's own diagnostic log (not the access log): keeping lines that a client can cause on
 * every request or tunnel from flooding it.
 */
package org.schoolgate.proxy.diagnostics;
