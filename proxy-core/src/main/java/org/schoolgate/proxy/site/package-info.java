/**
 * The proxy's own small web site, answered on the proxy port for origin-form requests (which a
 * forward proxy is otherwise never sent) and on the page listener: the PAC file ({@code
 * /proxy.pac}, {@code /wpad.dat}: {@link org.schoolgate.proxy.site.PacFile} from {@link
 * org.schoolgate.proxy.site.PacSettings}) and the school CA's download page ({@code /ca}, {@code
 * /ca.pem}, {@code /ca.der}: {@code CaDownload}). {@link org.schoolgate.proxy.site.ProxySite}
 * chooses; its answers are written in the exchange's turn like any page of the proxy's own.
 */
package org.schoolgate.proxy.site;
