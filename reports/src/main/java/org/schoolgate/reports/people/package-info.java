/**
 * One person's activity: {@link org.schoolgate.reports.people.PersonTimeline} reads a user's or a
 * device's requests in a window (± 1 hour around an alert by default), folds the web furniture
 * under the page that loaded it ({@link org.schoolgate.reports.people.WebFurniture}), marks search
 * terms with the safeguarding themes they match, and audits the look ({@code history.viewed},
 * {@link org.schoolgate.reports.people.PersonViews}).
 */
package org.schoolgate.reports.people;
