/**
 * LittleProxy filters: build the request facts, identify the client, decide (fail closed), and
 * act on the decision; plus the guard that answers malformed requests with 400/414 pages.
 */
package org.schoolgate.proxy.filter;
