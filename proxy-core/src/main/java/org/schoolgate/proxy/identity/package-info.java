/** Client → group and user: the per-connection identification cache. */
package org.schoolgate.proxy.identity;
