/**
 * HTTPS for Schoolgate's own pages: {@link org.schoolgate.admin.tls.AdminTls} (the certificate
 * chain and key deploy hands over: from PEM files or issued by the school's CA), and {@link
 * org.schoolgate.admin.tls.TlsConnectors}: Jetty's connectors for it (TLS with HSTS, the same port
 * answering plain HTTP with a redirect, an optional plain listener that only redirects).
 */
package org.schoolgate.admin.tls;
