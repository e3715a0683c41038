/** Checks of the shipped packaging files (systemd unit and drop-ins) with the system's own tools. */
package org.schoolgate.deploy.packaging;
