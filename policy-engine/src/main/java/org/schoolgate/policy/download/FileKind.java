package org.schoolgate.policy.download;

import java.util.List;
import java.util.Locale;

/** A kind of file the policy can keep a group from downloading ({@code downloads.groups}). */
public enum FileKind {
  /** Programs: Windows PE ({@code .exe}, {@code .dll}, {@code .scr}), ELF, Mach-O. */
  EXECUTABLE("executable"),
  /** Installer packages: Windows Installer ({@code .msi}, OLE storage), MSIX/AppX, macOS and Android packages. */
  INSTALLER("installer"),
  /** Scripts the system runs: batch, PowerShell, VBScript, HTA, Windows Script Host, Java archives, {@code #!}. */
  SCRIPT("script"),
  /** Disk images: ISO, DMG, VHD(X), IMG. */
  DISK_IMAGE("disk-image"),
  /** Archives (which may hold any of the above): ZIP, RAR, 7-Zip, gzip, tar, CAB. */
  ARCHIVE("archive");

  /** Every kind, in declaration order (no copy per call). */
  public static final List<FileKind> ALL = List.of(values());

  private final String configName;

  FileKind(String configName) {
    this.configName = configName;
  }

  /** The name in the policy and logs, e.g. {@code disk-image}. */
  public String configName() {
    return configName;
  }

  /** The kind named {@code name} in the policy, or null. */
  public static FileKind fromConfigName(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (FileKind k : ALL) {
      if (k.configName.equals(n)) {
        return k;
      }
    }
    return null;
  }

  /** The config names, for error messages. */
  public static List<String> configNames() {
    return ALL.stream().map(FileKind::configName).toList();
  }
}
