package org.schoolgate.policy.rulebreakers;

import io.netty.channel.Channel;
import java.sql.Connection;

/** Breaks the policy-engine rule on purpose (ModuleRulesTest). */
public final class PolicyUsingNettyAndJdbc {
  Channel channel;
  Connection connection;
}
