package org.schoolgate.store;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What was done about an incident: the fixed vocabulary of the incident log's actions. */
public enum IncidentAction {
  SPOKE_TO_PUPIL("spoke-to-pupil"),
  PARENTS_INFORMED("parents-informed"),
  REFERRED_TO_POLICE("referred-to-police"),
  REFERRED_TO_SOCIAL_CARE("referred-to-social-care"),
  REFERRED_TO_PREVENT("referred-to-prevent"),
  PASTORAL_SUPPORT("pastoral-support"),
  NO_FURTHER_ACTION("no-further-action"),
  /** Anything else; its text must say what. */
  OTHER("other");

  /** Every action's name, comma-separated, for error messages. */
  public static final String EXPECTED = Arrays.stream(values()).map(IncidentAction::apiName)
      .collect(Collectors.joining(", "));

  private final String apiName;

  IncidentAction(String apiName) {
    this.apiName = apiName;
  }

  /** The name in the API and database, e.g. {@code parents-informed}. */
  public String apiName() {
    return apiName;
  }

  public static Optional<IncidentAction> parse(String name) {
    return Arrays.stream(values()).filter(a -> a.apiName.equals(name)).findFirst();
  }
}
