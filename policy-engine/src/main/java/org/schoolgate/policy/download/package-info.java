/**
 * Dangerous downloads by type: {@link org.schoolgate.policy.download.FileKind} (executables,
 * installers, scripts, disk images, archives), {@link org.schoolgate.policy.download.FileTypes}
 * (what a response is, told from the URL's extension, {@code Content-Type}, the
 * {@code Content-Disposition} file name (RFC 6266, {@code filename*} first) and the body's first
 * bytes), {@link org.schoolgate.policy.download.DownloadRules} (the kinds a group may not
 * download: the compiled {@code downloads:} section) and
 * {@link org.schoolgate.policy.download.DownloadDecision} (what the proxy does: block, or log
 * when the school allow list, an unblock or a bypass covers the site).
 */
package org.schoolgate.policy.download;
