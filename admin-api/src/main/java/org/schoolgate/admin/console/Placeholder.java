package org.schoolgate.admin.console;

/** The model of a page whose data is not available yet: {@code why} says what it waits for. */
public record Placeholder(String why) {}
