/** The admin API's meters: sign-ins and the unblock workflow, against the injected registry. */
package org.schoolgate.admin.metrics;
