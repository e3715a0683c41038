package org.schoolgate.proxy.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JSON-lines files into maps (objects, arrays and nested objects), with jackson-core only. */
public final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonLines() {}

  public static List<Map<String, Object>> read(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        out.add(parse(line));
      }
    }
    return out;
  }

  public static Map<String, Object> parse(String line) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object: " + line);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        map.put(name, value(p, t));
      }
      if (p.nextToken() != null) {
        throw new IOException("more than one value on a line: " + line);
      }
    }
    return map;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getBooleanValue();
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(p, e));
        }
        return list;
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          object.put(name, value(p, p.nextToken()));
        }
        return object;
      default:
        throw new IOException("unexpected " + t);
    }
  }
}
