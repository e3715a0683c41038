package org.schoolgate.proxy.ca;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance for this package, passed to the calls that need it and never
 * registered with {@code Security}: other code keeps the JDK's providers.
 */
final class BouncyCastle {
  static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
