/**
 * CONNECT tunnels and upgraded connections: the switch from HTTP to bytes on the client
 * pipeline (200 answered, the ClientHello held and checked, then a byte relay to the origin or
 * interception), and the relay itself.
 */
package org.schoolgate.proxy.tunnel;
