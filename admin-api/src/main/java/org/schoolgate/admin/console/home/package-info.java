/** Everyone's home page: what needs me now (requests to decide, open incidents and alerts, my requests). */
package org.schoolgate.admin.console.home;
