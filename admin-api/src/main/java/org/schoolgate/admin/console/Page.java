package org.schoolgate.admin.console;

import java.util.List;
import org.schoolgate.store.Account;

/**
 * What the layout needs to draw any page.
 *
 * @param title the page's title (the {@code <title>} and usually its {@code <h1>})
 * @param user who is signed in, or null on the sign-in pages
 * @param nav the navigation for this user (empty when signed out)
 * @param csrf the CSRF token every form on the page carries in {@value Csrf#FIELD}
 * @param nonce this response's CSP nonce, for {@code <script nonce>}
 * @param flash a message from the previous form post, or null
 * @param assets the asset table, for {@link #asset(String)}
 */
public record Page(String title, Account user, List<NavItem> nav, String csrf, String nonce, Flash flash,
    Assets assets) {
  public Page {
    nav = List.copyOf(nav);
  }

  /** The URL of an asset by its plain name, e.g. {@code console.css} → {@code /assets/console.1a2b3c4d.css}. */
  public String asset(String name) {
    return assets.url(name);
  }

  /** One navigation link; {@code current} marks the page being shown ({@code aria-current="page"}). */
  public record NavItem(String label, String href, boolean current) {}
}
