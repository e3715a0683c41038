/**
 * Limits that keep one client from taking the proxy from everyone else: connections per client
 * address and in total. (The head-read timeout against slowloris lives in the HTTP decoder, the
 * idle and connect timeouts in the pipeline and the upstream bootstrap.)
 */
package org.schoolgate.proxy.limits;
