package org.schoolgate.identity.rulebreakers;

import org.schoolgate.proxy.ProxyServer;

/** Breaks the identity rule on purpose (ModuleRulesTest). */
public final class IdentityUsingTheProxy {
  ProxyServer proxy;
}
