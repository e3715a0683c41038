/**
 * The runnable product: {@link org.schoolgate.deploy.Main} (subcommands {@code run}, {@code check}
 * and {@code lists update}, which downloads, checks and atomically installs category lists), the
 * runtime configuration file ({@link org.schoolgate.deploy.RuntimeConfig}, read by
 * {@link org.schoolgate.deploy.RuntimeConfigLoader}), and the wiring that starts the policy, the
 * proxy and the admin API, reloads on SIGHUP and shuts down in order.
 */
package org.schoolgate.deploy;
