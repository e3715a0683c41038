/**
 * Selective interception: decrypting the CONNECT tunnels the policy selects
 * ({@code interception:}) with a leaf certificate from the school's CA. Inside, requests go
 * through the same front handler as plain HTTP (decided on their full URL: block page inside
 * TLS, SafeSearch by rewriting, access log with the path), and allowed ones to the origin over a
 * TLS connection that validates the origin's certificate and name ({@code proxy.upstream}).
 * Leaf certificates come from elsewhere asynchronously.
 */
package org.schoolgate.proxy.intercept;
