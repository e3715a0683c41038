/**
 * Client → person and group for the proxy's front: {@code Identities} asks the identity
 * service (proxy sign-in, address bindings, subnet) without blocking, {@code IdentityCache} keeps
 * what one connection already knows (the subnet's answer, a Negotiate or tunnel sign-in).
 */
package org.schoolgate.proxy.identity;
