package org.schoolgate.store.rulebreakers;

import org.schoolgate.deploy.Main;

/** Breaks the deploy rule on purpose (ModuleRulesTest). */
public final class StoreUsingDeploy {
  Main main;
}
