package org.schoolgate.proxy.rulebreakers;

import org.schoolgate.store.Store;

/** Breaks the proxy-core rule on purpose (ModuleRulesTest): a proxy class that reaches the store. */
public final class ProxyUsingTheStore {
  Store store;
}
