package dev.reprise.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The error envelope of every refused request: {"status":"error","message":...,"missing_fields"?}.
 */
public record ErrorBody(
    String status,
    String message,
    @JsonProperty("missing_fields") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> missingFields) {

  public static ErrorBody of(ApiException e) {
    return new ErrorBody("error", e.getMessage(), e.missingFields());
  }

  public static ErrorBody of(String message) {
    return new ErrorBody("error", message, List.of());
  }
}
