package org.schoolgate.resolver;

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
import org.schoolgate.identity.AddressBindings;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.ProxyServer;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.site.PageListenerSettings;
import org.schoolgate.resolver.testing.UpstreamStandIn;

/**
 * Schoolgate's network services in {@link PageListenerNetnsTest}, run as its own JVM in the
 * school-server namespace: the filtering DNS resolver on {@code args[2]}:53 (UDP and TCP), which
 * answers blocked names with the page listener's address {@code args[3]} and forwards the rest to
 * an upstream stand-in on loopback (the school's DNS: {@code wpad.school.test} is the page
 * listener's address, as a school points its WPAD name there); the proxy port on {@code
 * args[2]}:3128; the page listener on {@code args[3]}:80 and :443 with a school CA made here (its
 * certificate written to {@code args[4]} as PEM). Policy {@code args[0]}, access log (requests
 * and DNS queries) in {@code args[1]}. Prints {@code ready}; stops when stdin closes.
 */
public final class SchoolServices {
  private SchoolServices() {}

  public static void main(String[] args) throws Exception {
    PolicyHolder policy = PolicyHolder.load(Path.of(args[0]), Clock.systemUTC());
    InetAddress server = InetAddress.getByName(args[2]);
    InetAddress pages = InetAddress.getByName(args[3]);
    SchoolCa schoolCa = SchoolCa.generate("Page Listener Netns School", Clock.systemUTC());
    Files.writeString(Path.of(args[4]), schoolCa.certificatePem());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProxyServer proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(server, 3128))
        .accessLogDir(Path.of(args[1]))
        .requestAccessUrl("http://" + args[2] + ":8080/request-access")
        .staticHosts(Map.of())
        .hostsFile(Path.of(args[1]).resolveSibling("no-hosts-file"))
        .workerThreads(1)
        .interception(InterceptionSettings.of(new LeafCertificates(schoolCa,
            ForkJoinPool.commonPool(), Clock.systemUTC(), Duration.ofDays(7), 10), List.of()))
        .network(new ProxyConfig.Network(null, PacSettings.DEFAULTS,
            new PageListenerSettings(pages, 80, 443)))
        .build(), policy::current, registry, Clock.systemUTC());
    UpstreamStandIn upstream = new UpstreamStandIn();
    upstream.address("wpad.school.test", args[3], 300);
    DnsFilter dns = DnsFilter.start(DnsFilterConfig.embeddedDefault()
            .withListen(List.of(new InetSocketAddress(server, 53)))
            .withUpstreams(List.of(upstream.address()))
            .withBlockAnswer(BlockAnswer.parse("address " + args[3])),
        policy::current, AddressBindings.NONE, proxy.accessLog()::offer, registry,
        Clock.systemUTC());
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the test closes our input (or kills us)
    }
    dns.close();
    upstream.close();
    proxy.close();
    System.exit(0);
  }
}
