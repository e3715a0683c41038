package org.schoolgate.policy.model;

/** What a category is for: a matrix row, or one of the school's own block/allow lists. */
public enum CategoryKind {
  /** An ordinary category; its level per group comes from the matrix. */
  MATRIX("matrix"),
  /** The school's own block list: blocks, beaten only by illegal categories. */
  BLOCK_LIST("block-list"),
  /** The school's own allow list: allows, beaten by illegal categories and the block list. */
  ALLOW_LIST("allow-list");

  private final String configName;

  CategoryKind(String configName) {
    this.configName = configName;
  }

  /** The name used in policy files. */
  public String configName() {
    return configName;
  }

  /** Parses a policy-file name or returns null. */
  public static CategoryKind fromConfigName(String name) {
    for (CategoryKind k : values()) {
      if (k.configName.equals(name)) {
        return k;
      }
    }
    return null;
  }
}
