/**
 * Reports of wrongly blocked or wrongly allowed sites over HTTP: anyone reports (anonymously from
 * the block page, with an outcome token; or signed in), rate-limited per client address; each
 * report keeps the decision explained for the reporter at report time; technicians list and
 * answer them; reporters read the outcome.
 */
package org.schoolgate.admin.report;
