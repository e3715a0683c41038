package org.schoolgate.proxy.rulebreakers;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Breaks the DNS rule on purpose (ModuleRulesTest): a blocking lookup outside the DNS service. Never called. */
public final class ProxyResolvingOnTheLoop {
  static InetAddress resolve(String host) throws UnknownHostException {
    return InetAddress.getByName(host);
  }
}
