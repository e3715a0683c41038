package org.schoolgate.proxy.transparent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.transport.TransportChoice;

/**
 * Schoolgate on the school's router in {@link TransparentNetnsTest}, run as its own JVM in the
 * router namespace (a process's sockets live in its own namespace): the proxy port on {@code
 * args[3]}:3128 and the transparent listeners on [::]:3129 (HTTP) and :3130 (TLS), which take
 * IPv4 and IPv6 alike, in mode {@code args[2]}, with the policy {@code args[0]} and the access
 * log in {@code args[1]}. The test's names resolve to the origin namespace's first IPv4 address
 * {@code args[4]} ({@code allowed.test}, {@code blocked.test}, {@code shop.test}) or its first
 * IPv6 address {@code args[5]} (the same names with a 6). Interception is configured: a school CA
 * made here, its certificate written to {@code args[6]} as PEM; upstream, the proxy trusts the
 * origins' CA read from {@code args[7]}. Runs on the transport {@code args[8]} ({@code epoll} or
 * {@code io_uring}). Prints {@code ready}; stops (and flushes the access log) when stdin closes.
 */
public final class RouterProxy {
  private RouterProxy() {}

  public static void main(String[] args) throws Exception {
    PolicyHolder policy = PolicyHolder.load(Path.of(args[0]), Clock.systemUTC());
    InetAddress internet = InetAddress.getByName(args[4]);
    InetAddress internet6 = InetAddress.getByName(args[5]);
    SchoolCa schoolCa = SchoolCa.generate("Transparent Test School", Clock.systemUTC());
    Files.writeString(Path.of(args[6]), schoolCa.certificatePem());
    InterceptionSettings interception = InterceptionSettings.of(new LeafCertificates(schoolCa,
        ForkJoinPool.commonPool(), Clock.systemUTC(), Duration.ofDays(7), 10),
        List.of(SchoolCa.readCertificate(Path.of(args[7]))));
    ProxyServer proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(args[3], 3128))
        .accessLogDir(Path.of(args[1]))
        .requestAccessUrl("http://" + args[3] + ":8080/request-access")
        .staticHosts(Map.of("allowed.test", internet, "blocked.test", internet,
            "shop.test", internet, "allowed6.test", internet6, "blocked6.test", internet6,
            "shop6.test", internet6))
        .hostsFile(Path.of(args[1]).resolveSibling("no-hosts-file"))
        .workerThreads(1)
        .connections(ProxyConfig.Connections.DEFAULTS.withTransport(
            TransportChoice.parse(args[8]), false))
        .interception(interception)
        .network(new ProxyConfig.Network(new TransparentSettings(
            InetAddress.getByName("::"), 3129, 3130, TransparentMode.parse(args[2])),
            new PacSettings(List.of(), List.of("school.test"), List.of("10.0.0.0/8")), null))
        .build(), policy::current, new SimpleMeterRegistry(), Clock.systemUTC());
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our input (or kills us)
    }
    proxy.close();
    System.exit(0);
  }
}
