package org.schoolgate.proxy.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one leaf (EC key, chain leaf → CA) to every TLS client. Handing Netty a key manager
 * directly skips the PKCS#12 key store it would otherwise build per context, whose password-based
 * key encryption costs several milliseconds per leaf.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "leaf";
  private static final String KEY_TYPE = "EC";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  LeafKeyManager(PrivateKey key, X509Certificate leaf, X509Certificate ca) {
    this.key = key;
    this.chain = new X509Certificate[] {leaf, ca};
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return KEY_TYPE.equals(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return KEY_TYPE.equals(keyType) ? ALIAS : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return KEY_TYPE.equals(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
