/** Prebuilt block and error pages (HTML templates loaded once, values HTML-escaped). */
package org.schoolgate.proxy.pages;
