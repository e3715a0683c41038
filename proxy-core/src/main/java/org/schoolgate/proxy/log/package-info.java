/**
 * Access events: what happened to each request, recorded on the event loop and written as JSON
 * lines by one writer thread through a bounded queue, one file per day.
 */
package org.schoolgate.proxy.log;
