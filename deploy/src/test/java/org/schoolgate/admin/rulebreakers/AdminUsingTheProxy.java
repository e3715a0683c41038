package org.schoolgate.admin.rulebreakers;

import org.schoolgate.proxy.ProxyServer;

/** Breaks the admin-api rule on purpose (ModuleRulesTest). */
public final class AdminUsingTheProxy {
  ProxyServer proxy;
}
