package dev.reprise.model.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class CalculatorToolTest {
  private final CalculatorTool calculator = new CalculatorTool();

  private String eval(String expression) throws Exception {
    return calculator
        .call(JsonNodeFactory.instance.objectNode().put("expression", expression))
        .get("result")
        .asText();
  }

  @Test
  void arithmetic_is_exact_with_the_usual_precedence() throws Exception {
    assertThat(eval("6*7")).isEqualTo("42");
    assertThat(eval("0.1 + 0.2")).isEqualTo("0.3");
    assertThat(eval("(1.5 + 2) * 3^2")).isEqualTo("31.5");
    assertThat(eval("-2^2")).isEqualTo("-4");
    assertThat(eval("2^3^2")).isEqualTo("512");
    assertThat(eval("1/3")).startsWith("0.3333333333");
  }

  @Test
  void bad_expressions_are_tool_errors() {
    assertThatThrownBy(() -> eval("1/0"))
        .isInstanceOf(ToolException.class)
        .hasMessage("Division by zero.");
    assertThatThrownBy(() -> eval("2^0.5"))
        .hasMessage("Only whole-number exponents are supported.");
    assertThatThrownBy(() -> eval("(1+2")).hasMessage("Missing ')' at position 5.");
    assertThatThrownBy(() -> eval("1 +")).isInstanceOf(ToolException.class);
  }
}
