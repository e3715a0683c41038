/**
 * Deciding: build the request facts, identify the client, decide with the policy (fail closed)
 * in {@link org.schoolgate.proxy.filter.RequestDecider}, and turn the verdict into a typed
 * {@link org.schoolgate.proxy.filter.Outcome} ({@link org.schoolgate.proxy.filter.Decisions}):
 * a page, a request to forward, a tunnel, or a tunnel to intercept. Nothing here touches a
 * channel.
 */
package org.schoolgate.proxy.filter;
