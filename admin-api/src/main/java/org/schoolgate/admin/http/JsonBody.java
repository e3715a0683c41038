package org.schoolgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON request body read field by field. Every getter names the field in its error, so a client
 * learns exactly what to fix: {@code "reason is required (expected: a sentence saying why)"}.
 */
public final class JsonBody {
  private final JsonNode root;
  private final String prefix;

  private JsonBody(JsonNode root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /** Parses {@code text}; an empty body reads as {@code {}}. */
  public static JsonBody parse(ObjectMapper mapper, String text) {
    if (text == null || text.isBlank()) {
      return new JsonBody(mapper.createObjectNode(), "");
    }
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException(io.javalin.http.HttpStatus.BAD_REQUEST, "invalid_json",
          "the request body is not valid JSON: " + e.getOriginalMessage()
              + " (expected: a JSON object such as {\"field\": \"value\"})", null);
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(io.javalin.http.HttpStatus.BAD_REQUEST, "invalid_json",
          "the request body is not a JSON object (expected: {\"field\": \"value\", ...})", null);
    }
    return new JsonBody(node, "");
  }

  /** The name of {@code field} as the client sees it, e.g. {@code target.value}. */
  public String name(String field) {
    return prefix + field;
  }

  public boolean has(String field) {
    JsonNode n = root.get(field);
    return n != null && !n.isNull();
  }

  /** A nested object, or an error naming it. */
  public JsonBody object(String field, String expected) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw ApiException.invalid(name(field), name(field) + " is required (expected: " + expected + ")");
    }
    if (!n.isObject()) {
      throw ApiException.invalid(name(field), name(field) + " is not an object (expected: " + expected + ")");
    }
    return new JsonBody(n, name(field) + ".");
  }

  /** A required non-blank string, trimmed. */
  public String text(String field, String expected) {
    String s = optionalText(field, expected);
    if (s == null) {
      throw ApiException.invalid(name(field), name(field) + " is required (expected: " + expected + ")");
    }
    return s;
  }

  /** A string, trimmed, or null when absent or blank. */
  public String optionalText(String field, String expected) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.invalid(name(field), name(field) + " is not a string (expected: " + expected + ")");
    }
    String s = n.asText().strip();
    return s.isEmpty() ? null : s;
  }

  /** A string kept exactly as sent (passwords), or null when absent. */
  public char[] secret(String field, String expected) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
      throw ApiException.invalid(name(field), name(field) + " is required (expected: " + expected + ")");
    }
    if (!n.isTextual()) {
      throw ApiException.invalid(name(field), name(field) + " is not a string (expected: " + expected + ")");
    }
    return n.asText().toCharArray();
  }

  /** A list of strings (each trimmed, blanks dropped); empty when absent. */
  public List<String> texts(String field, String expected) {
    JsonNode n = root.get(field);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw ApiException.invalid(name(field), name(field) + " is not a list (expected: " + expected + ")");
    }
    for (JsonNode item : n) {
      if (!item.isTextual()) {
        throw ApiException.invalid(name(field),
            name(field) + " holds " + item + ", not a string (expected: " + expected + ")");
      }
      String s = item.asText().strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** A whole number, or null when absent. */
  public Long optionalLong(String field, String expected) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ApiException.invalid(name(field), name(field) + " '" + n.asText()
          + "' is not a whole number (expected: " + expected + ")");
    }
    return n.asLong();
  }
}
