package org.schoolgate.proxy.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing the CA's PEM files, and the key file's permission rules. Messages name the
 * file and the fix; they never contain key material.
 */
final class PemFiles {
  static final Set<PosixFilePermission> KEY_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> CERT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);


  private PemFiles() {}

  /** The first certificate in a PEM file. */
  static X509Certificate readCertificate(Path file) throws CaException {
    String text = readText(file, "CA certificate");
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          return new JcaX509CertificateConverter().getCertificate(holder);
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new CaException("could not read the CA certificate in " + file + ": " + e.getMessage()
          + " (expected: a PEM file with a '-----BEGIN CERTIFICATE-----' block)", e);
    }
    throw new CaException("there is no certificate in " + file
        + " (expected: a PEM file with a '-----BEGIN CERTIFICATE-----' block)");
  }

  /**
   * The private key in a PEM file: PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}) or
   * OpenSSL's traditional form ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}, optionally
   * encrypted). {@code password} may be null for an unencrypted key.
   */
  static PrivateKey readPrivateKey(Path file, char[] password) throws CaException {
    String text = readText(file, "CA key");
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof ASN1ObjectIdentifier || o instanceof X509CertificateHolder) {
          continue; // 'EC PARAMETERS' before the key, or a certificate beside it
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
          requirePassword(file, password);
          try {
            return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password)));
          } catch (Exception e) {
            throw wrongPassword(file, e);
          }
        }
        if (o instanceof PEMEncryptedKeyPair encrypted) {
          requirePassword(file, password);
          try {
            return converter.getPrivateKey(encrypted.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password)).getPrivateKeyInfo());
          } catch (Exception e) {
            throw wrongPassword(file, e);
          }
        }
      }
    } catch (CaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // No cause and no parser message: either could quote part of the key.
      throw new CaException("could not read the private key in " + file + " (expected: PEM '"
          + "PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')");
    }
    throw new CaException("there is no private key in " + file + " (expected: PEM 'PRIVATE KEY', "
        + "'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')");
  }

  private static void requirePassword(Path file, char[] password) throws CaException {
    if (password == null || password.length == 0) {
      throw new CaException("the private key in " + file + " is encrypted (expected: its password, "
          + "or an unencrypted key file with permissions 0600)");
    }
  }

  private static CaException wrongPassword(Path file, Exception e) {
    return new CaException("could not decrypt the private key in " + file + " (wrong password?)");
  }

  /**
   * Refuses a key file that users other than its owner may read or write. Skipped on file systems
   * without POSIX permissions.
   */
  static void requireOwnerOnly(Path file) throws CaException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      throw new CaException("there is no CA key at " + file + " (expected: the key file made with the certificate)");
    } catch (IOException e) {
      throw new CaException("could not read the permissions of " + file + ": " + e.getMessage(), e);
    }
    EnumSet<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(permissions);
    open.retainAll(TOO_OPEN);
    if (!open.isEmpty()) {
      throw new CaException("the CA key " + file + " can be read or written by other users (permissions "
          + PosixFilePermissions.toString(permissions) + "); refusing to use it. Run: chmod 600 " + file);
    }
  }

  private static String readText(Path file, String what) throws CaException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new CaException("there is no " + what + " at " + file
          + " (expected: a PEM file, e.g. made by 'schoolgate ca init')");
    } catch (IOException e) {
      throw new CaException("could not read the " + what + " at " + file + ": " + e.getMessage(), e);
    }
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /**
   * Writes {@code text} to {@code target}, created with {@code permissions} from the start (never
   * widened, then narrowed). Without {@code replace} an existing file is an error; with it the file
   * is written beside the target and moved over it.
   */
  static void write(Path target, String text, Set<PosixFilePermission> permissions, boolean replace)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    boolean posix = Files.getFileAttributeView(target.toAbsolutePath().getParent(), PosixFileAttributeView.class)
        != null;
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
    if (!replace) {
      try (SeekableByteChannel out = Files.newByteChannel(target,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
        writeAll(out, bytes);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (IOException e) {
        Files.deleteIfExists(target);
        throw e;
      }
      return;
    }
    Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".schoolgate-ca-", ".tmp", attributes);
    try {
      try (SeekableByteChannel out = Files.newByteChannel(temp, StandardOpenOption.WRITE)) {
        writeAll(out, bytes);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeAll(SeekableByteChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
