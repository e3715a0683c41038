/**
 * Copies of the access log for the tools schools already run: a squid-format file ({@code
 * squid-access-YYYY-MM-DD.log}, Squid's native {@code access.log} line, for SARG, LightSquid,
 * Calamaris and SIEM parsers) and RFC 5424 syslog over UDP or TCP (octet counting). Lines are
 * made on the access-log writer thread; syslog is sent from its own thread through a bounded
 * queue, and every line lost is counted ({@code schoolgate.accesslog.export.dropped}).
 */
package org.schoolgate.proxy.log.export;
