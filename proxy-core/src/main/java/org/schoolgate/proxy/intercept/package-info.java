/**
 * Selective interception: decrypting the CONNECT tunnels the policy selects
 * ({@code interception:}) with a leaf certificate from the school's CA, deciding every request
 * inside on its full URL like plain HTTP (block page inside TLS, SafeSearch by rewriting, access
 * log with the path), and forwarding allowed requests to the origin over a TLS connection that
 * validates the origin's certificate and name. WebSocket upgrades become byte relays. Everything
 * runs on the client channel's event loop; leaf certificates come from elsewhere asynchronously.
 */
package org.schoolgate.proxy.intercept;
